import { Container } from 'inversify';
import { LokstraError } from '../errors/lokstra-error';
import { isThunk, lazyToken } from '../metadata/lazy-token';
import { metadata } from '../metadata/store';
import type { Scope } from '../metadata/types';
import { tokenName, type Class, type Newable, type Token } from '../internal/types';
import { topoSort } from './graph';
import { toResolveError } from './inversify-errors';
import type { CreatedService } from './lifecycle';
import type { ProviderObject } from './providers';
import { CYCLE_HINT, isThenable, requestScoped, tokenAt, type Entry } from './entries';

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

/**
 * Lokstra's wrapper over one Inversify container: classes are constructed from Lokstra's own
 * metadata (`design:paramtypes` + `@Inject`), so decorators never touch Inversify's globals and two
 * Lokstra instances stay independent. Singletons are created eagerly, in dependency order.
 */
export class ServiceContainer {
  readonly root = new Container();
  private readonly entries = new Map<Token, Entry>();
  private readonly names = new Map<string | symbol, Token>();
  private readonly values = new Set<Token>();
  private readonly pending = new Set<string | symbol>();
  private overrides = new Map<Token, unknown>();
  private tainted: Entry[] = [];
  /** Singletons and named services in creation order, for lifecycle hooks. */
  readonly created: CreatedService[] = [];

  /** Registers a class (a service, or a controller). Re-registering the same class merges names. */
  addClass(cls: Newable, options: AddClassOptions = {}): void {
    const meta = metadata.getService(cls);
    const entry = this.entries.get(cls) ?? { key: cls, cls, scope: options.scope ?? meta?.scope ?? 'singleton', names: [], deps: [], controller: false };
    entry.controller ||= options.controller === true;
    this.entries.set(cls, entry);
    this.addName(entry, options.name ?? meta?.name);
  }

  private addName(entry: Entry, name: string | symbol | undefined): void {
    if (name === undefined || entry.names.includes(name)) return;
    if (this.names.has(name) || this.pending.has(name)) throw new LokstraError('LKS_ERR_DI_DUPLICATE', { kind: 'service', name: tokenName(name) });
    entry.names.push(name);
    this.names.set(name, entry.key);
  }

  /** Registers a module provider (`useValue`, `useFactory` or `useClass`) under its `provide` token. */
  addProvider(p: ProviderObject): void {
    if (this.isKnown(p.provide)) throw new LokstraError('LKS_ERR_DI_DUPLICATE', { kind: 'provider', name: tokenName(p.provide) });
    if ('useValue' in p) {
      this.bindValue(p.provide, p.useValue);
      return;
    }
    const base = { key: p.provide, scope: p.scope ?? 'singleton', names: [], deps: [], controller: false };
    if ('useFactory' in p) this.entries.set(p.provide, { ...base, cls: undefined, factory: { fn: p.useFactory, inject: p.inject ?? [] } });
    else this.entries.set(p.provide, { ...base, scope: p.scope ?? metadata.getService(p.useClass)?.scope ?? 'singleton', cls: p.useClass as Newable });
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
    this.bindConstant(token, value);
    this.created.push({ name, instance: value });
  }

  private bindConstant(token: Token, value: unknown): void {
    if (this.root.isBound(token)) this.root.unbindSync(token);
    this.root.bind(token).toConstantValue(value);
    this.values.add(token);
    this.pending.delete(token as string);
  }

  /** Every registered name or class, for error messages. */
  knownTokens(): string[] {
    return [...new Set([...this.names.keys(), ...this.pending, ...this.values, ...this.entries.keys()].map(tokenName))];
  }

  isKnown(token: Token): boolean {
    return this.values.has(token) || this.pending.has(token as string) || this.names.has(token as string) || this.entries.has(token);
  }

  /** True when `token` was replaced by an override: its factory or constructor must not run. */
  isOverridden(token: Token): boolean {
    return this.overrides.has(token);
  }

  /** Applies overrides, resolves dependencies, checks cycles and scopes, and binds everything. Call once. */
  prepare(overrides: Map<Token, unknown>): void {
    this.overrides = overrides;
    const loose = [...overrides].filter(([token, value]) => !this.applyOverride(token, value)).map(([t]) => t);
    for (const entry of [...this.entries.values()]) this.resolveDeps(entry);
    this.checkLooseOverrides(loose);
    topoSort([...this.entries.keys()], (key) => this.depKeys(key), CYCLE_HINT);
    this.computeTaint();
    for (const entry of this.entries.values()) this.bindRoot(entry);
  }

  // An override replaces the whole service: its class and every name it has get the value, and it
  // is never constructed (so its own dependencies need not exist). Returns false when no service,
  // YAML name or bound value has that token (yet).
  private applyOverride(token: Token, value: unknown): boolean {
    const entry = this.entryFor(token);
    const known = entry !== undefined || this.pending.has(token as string) || this.values.has(token);
    if (this.values.has(token)) {
      // A value bound earlier (a useValue provider) is replaced: its lifecycle hooks must not run.
      const replaced = this.root.get(token as never) as unknown;
      const at = this.created.findIndex((c) => c.instance === replaced);
      if (at >= 0) this.created.splice(at, 1);
    }
    if (entry !== undefined) {
      this.entries.delete(entry.key);
      for (const t of [entry.key, ...entry.names]) this.bindConstant(t, value);
    } else {
      this.bindConstant(token, value);
    }
    if (!this.created.some((c) => c.instance === value)) this.created.push({ name: tokenName(token), instance: value });
    return known;
  }

  // A name nothing declares and nothing injects is almost certainly a typo: fail rather than ignore it.
  private checkLooseOverrides(loose: Token[]): void {
    for (const token of loose) {
      if (typeof token === 'function' || this.names.has(token)) continue;
      if ([...this.entries.values()].some((e) => e.deps.includes(token))) continue;
      const known = this.knownTokens().filter((t) => t !== tokenName(token));
      throw new LokstraError('LKS_ERR_DI_NOT_FOUND', { token: tokenName(token), hint: ` (given in overrides, but no service has this name and nothing injects it); registered: ${known.join(', ') || 'none'}` });
    }
  }

  private resolveDeps(entry: Entry): void {
    if (entry.factory !== undefined) {
      entry.factory.inject.forEach((raw, i) => entry.deps.push(this.requireDep(tokenName(entry.key), i, isThunk(raw) ? lazyToken(raw) : raw)));
      return;
    }
    const cls = entry.cls;
    if (cls === undefined) return;
    const types = metadata.paramTypes(cls);
    const injected = metadata.getInject(cls);
    const count = Math.max(types.length, cls.length, ...[...injected.keys()].map((i) => i + 1));
    for (let i = 0; i < count; i++) entry.deps.push(this.requireDep(cls.name, i, injected.get(i), types[i]));
  }

  // The token of a dependency, registered on the spot when it is an undeclared @Service class.
  private requireDep(consumer: string, i: number, injected: unknown, declared?: unknown): Token {
    const token = tokenAt(consumer, i, injected, declared);
    if (!this.isKnown(token) && typeof token === 'function' && metadata.getService(token) !== undefined) this.discover(token as Newable);
    if (!this.isKnown(token)) {
      throw new LokstraError('LKS_ERR_DI_NOT_FOUND', {
        token: tokenName(token),
        hint: ` (needed by ${consumer}, parameter #${i}); registered: ${this.knownTokens().join(', ') || 'none'}`,
      });
    }
    return token;
  }

  // A @Service class found as a constructor parameter type is registered on the spot — or replaced,
  // when an override names it (by class or by its name).
  private discover(cls: Newable): void {
    this.addClass(cls);
    const entry = this.entries.get(cls) as Entry;
    const token = [cls, ...entry.names].find((t) => this.overrides.has(t));
    if (token !== undefined) this.applyOverride(token, this.overrides.get(token));
    else this.resolveDeps(entry);
  }

  private depKeys(key: Token): Token[] {
    return (this.entries.get(key)?.deps ?? []).map((d) => this.entryFor(d)?.key).filter((k): k is Token => k !== undefined);
  }

  private entryFor(token: Token): Entry | undefined {
    const direct = this.entries.get(token);
    if (direct !== undefined || typeof token === 'function') return direct;
    const target = this.names.get(token);
    return target === undefined ? undefined : this.entries.get(target);
  }

  private computeTaint(): void {
    this.tainted = requestScoped([...this.entries.values()], (d) => this.entryFor(d));
  }

  /** True when instances of this class must be created per request. */
  isPerRequest(cls: Class): boolean {
    return this.tainted.some((e) => e.key === cls);
  }

  private construct(entry: Entry, resolve: (token: Token) => unknown, record: boolean): unknown {
    const args = entry.deps.map(resolve);
    const instance = entry.factory !== undefined ? entry.factory.fn(...args) : new (entry.cls as Newable)(...args) as unknown;
    if (isThenable(instance)) {
      // createSingletons awaits singletons; any other scope would inject a Promise.
      if (entry.scope === 'singleton' && !record) return instance;
      Promise.resolve(instance).catch(() => undefined);
      throw new LokstraError('LKS_ERR_DI_RESOLVE', { token: tokenName(entry.key), detail: 'an async useFactory must be a singleton' });
    }
    if (record) this.created.push({ name: tokenName(entry.names[0] ?? entry.key), instance });
    return instance;
  }

  private bindRoot(entry: Entry): void {
    const resolve = (t: Token): unknown => this.root.get(t as never);
    if (this.tainted.includes(entry)) {
      this.root.bind(entry.key).toDynamicValue(() => {
        throw new LokstraError('LKS_ERR_DI_RESOLVE', { token: tokenName(entry.key), detail: 'it is request-scoped; resolve it from ctx.container inside a request' });
      });
    } else if (entry.scope === 'transient') {
      this.root.bind(entry.key).toDynamicValue(() => this.construct(entry, resolve, false)).inTransientScope();
    } else {
      this.root.bind(entry.key).toDynamicValue(() => this.construct(entry, resolve, true)).inSingletonScope();
    }
    for (const name of entry.names) this.root.bind(name).toDynamicValue(() => this.root.get(entry.key as never));
  }

  /**
   * Creates every singleton now, in dependency order (so `onStart` runs in that order); an async
   * factory is awaited before anything that depends on it is constructed.
   */
  async createSingletons(): Promise<void> {
    for (const key of topoSort([...this.entries.keys()], (k) => this.depKeys(k))) {
      const entry = this.entries.get(key) as Entry;
      if (entry.scope !== 'singleton' || this.tainted.includes(entry)) continue;
      if (entry.factory === undefined) {
        this.get(key);
        continue;
      }
      // Factories are called here, not through Inversify (which would hold on to a rejected Promise).
      try {
        const value = await this.construct(entry, (t) => this.get(t), false);
        this.bindValue(key, value, tokenName(entry.key));
      } catch (err) {
        throw toResolveError(key, err);
      }
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
      throw toResolveError(token, err);
    }
  }

  /** A resolver for one request: a child container holding the per-request instances, created lazily. */
  createRequestScope(): ScopeResolver {
    if (this.tainted.length === 0) return this;
    const child = new Container({ parent: this.root });
    const resolve = (t: Token): unknown => child.get(t as never);
    for (const entry of this.tainted) {
      const binding = child.bind(entry.key).toDynamicValue(() => this.construct(entry, resolve, false));
      if (entry.scope === 'transient') binding.inTransientScope();
      else binding.inSingletonScope();
      for (const name of entry.names) child.bind(name).toDynamicValue(() => child.get(entry.key as never));
    }
    return {
      get: <T>(token: Token<T>): T => {
        try {
          return child.get(token as never) as T;
        } catch (err) {
          throw toResolveError(token, err);
        }
      },
    };
  }
}
