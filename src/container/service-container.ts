import { Container } from 'inversify';
import { LokstraError } from '../errors/lokstra-error';
import { metadata } from '../metadata/store';
import type { Scope } from '../metadata/types';
import { tokenName, type Class, type Newable, type Token } from '../internal/types';
import { topoSort } from './graph';
import type { CreatedService } from './lifecycle';

interface ClassEntry {
  cls: Newable;
  scope: Scope;
  names: (string | symbol)[];
  deps: Token[];
  controller: boolean;
}

/** Options of {@link ServiceContainer.addClass}. */
export interface AddClassOptions {
  scope?: Scope;
  name?: string | symbol | undefined;
  controller?: boolean;
}

/** Resolves tokens within one HTTP request (request-scoped services once per request). */
export interface ScopeResolver {
  get<T>(token: Token<T>): T;
}

const PRIMITIVES = new Set<unknown>([Object, String, Number, Boolean, Array, Function, Symbol, Promise, undefined]);

/**
 * Lokstra's wrapper over one Inversify container: classes are constructed from Lokstra's own
 * metadata (`design:paramtypes` + `@Inject`), so decorators never touch Inversify's globals and two
 * Lokstra instances stay independent. Singletons are created eagerly, in dependency order.
 */
export class ServiceContainer {
  readonly root = new Container();
  private readonly entries = new Map<Class, ClassEntry>();
  private readonly names = new Map<string | symbol, Token>();
  private readonly values = new Set<Token>();
  private readonly pending = new Set<string | symbol>();
  private tainted: ClassEntry[] = [];
  /** Singletons and named services in creation order, for lifecycle hooks. */
  readonly created: CreatedService[] = [];

  /** Registers a class (a service, or a controller). Re-registering the same class merges names. */
  addClass(cls: Newable, options: AddClassOptions = {}): void {
    const meta = metadata.getService(cls);
    const name = options.name ?? meta?.name;
    const entry = this.entries.get(cls) ?? { cls, scope: options.scope ?? meta?.scope ?? 'singleton', names: [], deps: [], controller: false };
    entry.controller ||= options.controller === true;
    this.entries.set(cls, entry);
    if (name === undefined || entry.names.includes(name)) return;
    if (this.names.has(name) || this.pending.has(name)) throw new LokstraError('LKS_ERR_DI_DUPLICATE', { kind: 'service', name: tokenName(name) });
    entry.names.push(name);
    this.names.set(name, cls);
  }

  /** Declares a named service created later (YAML/factory), so dependencies on it validate. */
  declareName(name: string | symbol): void {
    if (this.names.has(name) || this.pending.has(name) || this.values.has(name)) {
      throw new LokstraError('LKS_ERR_DI_DUPLICATE', { kind: 'service', name: tokenName(name) });
    }
    this.pending.add(name);
  }

  /** Binds a ready value under a token (a created YAML service, or an override). */
  bindValue(token: Token, value: unknown, name = tokenName(token)): void {
    if (this.root.isBound(token)) this.root.unbindSync(token);
    this.root.bind(token).toConstantValue(value);
    this.values.add(token);
    this.pending.delete(token as string);
    this.created.push({ name, instance: value });
  }

  /** Every registered name or class, for error messages. */
  knownTokens(): string[] {
    return [...this.names.keys(), ...this.pending, ...this.values, ...this.entries.keys()].map(tokenName);
  }

  isKnown(token: Token): boolean {
    return this.values.has(token) || this.pending.has(token as string) || this.names.has(token as string) || this.entries.has(token as Class);
  }

  /** Resolves dependencies, checks cycles and scopes, and binds everything. Call once. */
  prepare(overrides: Map<Token, unknown>): void {
    for (const [token, value] of overrides) this.bindValue(token, value);
    for (const entry of [...this.entries.values()]) this.resolveDeps(entry);
    topoSort([...this.entries.keys()], (cls) => this.depClasses(cls));
    this.computeTaint();
    for (const entry of this.entries.values()) {
      if (!overrides.has(entry.cls)) this.bindRoot(entry);
    }
  }

  private resolveDeps(entry: ClassEntry): void {
    const types = metadata.paramTypes(entry.cls);
    const injected = metadata.getInject(entry.cls);
    const count = Math.max(types.length, entry.cls.length, ...[...injected.keys()].map((i) => i + 1));
    for (let i = 0; i < count; i++) {
      const token = (injected.get(i) ?? types[i]) as Token | undefined;
      if (token === undefined || (PRIMITIVES.has(token) && !injected.has(i))) {
        throw new LokstraError('LKS_ERR_DI_RESOLVE', {
          token: entry.cls.name,
          detail: `constructor parameter #${i} has type ${tokenName(token ?? 'unknown')}; add @Inject(token) or register the type`,
        });
      }
      if (!this.isKnown(token) && typeof token === 'function' && metadata.getService(token) !== undefined) {
        this.addClass(token as Newable);
        this.resolveDeps(this.entries.get(token as Class) as ClassEntry);
      }
      if (!this.isKnown(token) && !this.entries.has(token as Class)) {
        throw new LokstraError('LKS_ERR_DI_NOT_FOUND', {
          token: tokenName(token),
          hint: ` (needed by ${entry.cls.name}, parameter #${i}); registered: ${this.knownTokens().join(', ') || 'none'}`,
        });
      }
      entry.deps.push(token);
    }
  }

  private depClasses(cls: Class): Class[] {
    return (this.entries.get(cls)?.deps ?? []).map((d) => this.entryFor(d)?.cls).filter((c): c is Newable => c !== undefined);
  }

  private entryFor(token: Token): ClassEntry | undefined {
    if (typeof token === 'function') return this.entries.get(token);
    const target = this.names.get(token);
    return target === undefined ? undefined : this.entries.get(target as Class);
  }

  // A controller or transient that depends on a request-scoped service must itself be created per request;
  // a singleton service that does is a captive dependency and a boot error.
  private computeTaint(): void {
    const tainted = new Set<ClassEntry>();
    let changed = true;
    while (changed) {
      changed = false;
      for (const entry of this.entries.values()) {
        if (tainted.has(entry)) continue;
        const dirty = entry.scope === 'request' || entry.deps.some((d) => {
          const dep = this.entryFor(d);
          return dep !== undefined && tainted.has(dep);
        });
        if (!dirty) continue;
        if (entry.scope === 'singleton' && !entry.controller) {
          const dep = entry.deps.map((d) => this.entryFor(d)).find((d) => d !== undefined && tainted.has(d));
          throw new LokstraError('LKS_ERR_DI_SCOPE_MISMATCH', { consumer: entry.cls.name, dependency: dep?.cls.name ?? '?' });
        }
        tainted.add(entry);
        changed = true;
      }
    }
    this.tainted = [...tainted];
  }

  /** True when instances of this class must be created per request. */
  isPerRequest(cls: Class): boolean {
    return this.tainted.some((e) => e.cls === cls);
  }

  private construct(entry: ClassEntry, resolve: (token: Token) => unknown, record: boolean): unknown {
    const args = entry.deps.map(resolve);
    const instance = new entry.cls(...args) as unknown;
    if (record) this.created.push({ name: tokenName(entry.names[0] ?? entry.cls), instance });
    return instance;
  }

  private bindRoot(entry: ClassEntry): void {
    const resolve = (t: Token): unknown => this.root.get(t as never);
    if (this.tainted.includes(entry)) {
      this.root.bind(entry.cls).toDynamicValue(() => {
        throw new LokstraError('LKS_ERR_DI_RESOLVE', { token: entry.cls.name, detail: 'it is request-scoped; resolve it from ctx.container inside a request' });
      });
    } else if (entry.scope === 'transient') {
      this.root.bind(entry.cls).toDynamicValue(() => this.construct(entry, resolve, false)).inTransientScope();
    } else {
      this.root.bind(entry.cls).toDynamicValue(() => this.construct(entry, resolve, true)).inSingletonScope();
    }
    for (const name of entry.names) this.root.bind(name).toDynamicValue(() => this.root.get(entry.cls));
  }

  /** Creates every singleton now, in dependency order (so `onStart` runs in that order). */
  createSingletons(): void {
    for (const cls of topoSort([...this.entries.keys()], (c) => this.depClasses(c))) {
      const entry = this.entries.get(cls) as ClassEntry;
      if (entry.scope === 'singleton' && !this.tainted.includes(entry)) this.get(cls);
    }
  }

  /** Resolves a token from the root container. */
  get<T>(token: Token<T>): T {
    if (!this.root.isBound(token as never)) {
      throw new LokstraError('LKS_ERR_DI_NOT_FOUND', { token: tokenName(token), hint: `; registered: ${this.knownTokens().join(', ') || 'none'}` });
    }
    try {
      return this.root.get(token as never) as T;
    } catch (err) {
      if (LokstraError.is(err)) throw err;
      throw new LokstraError('LKS_ERR_DI_RESOLVE', { token: tokenName(token), detail: (err as Error).message }, { cause: err });
    }
  }

  /** A resolver for one request: a child container holding the per-request instances, created lazily. */
  createRequestScope(): ScopeResolver {
    if (this.tainted.length === 0) return this;
    const child = new Container({ parent: this.root });
    const resolve = (t: Token): unknown => child.get(t as never);
    for (const entry of this.tainted) {
      const binding = child.bind(entry.cls).toDynamicValue(() => this.construct(entry, resolve, false));
      if (entry.scope === 'transient') binding.inTransientScope();
      else binding.inSingletonScope();
      for (const name of entry.names) child.bind(name).toDynamicValue(() => child.get(entry.cls));
    }
    return { get: <T>(token: Token<T>): T => child.get(token as never) as T };
  }
}
