import { getMetadataStorage } from 'class-validator';
import { metadata } from '../../metadata/store';
import type { BindSource, ParamMeta, SourceOptions } from '../../metadata/types';
import type { Class } from '../../internal/types';

/** Where boot-time warnings go (the deployment logger's `warn`). */
export type BootWarn = (message: string, meta: Record<string, unknown>) => void;

/** One bound member (DTO property or handler parameter) as seen by the metadata checks. */
export interface MemberInfo {
  /** `Class.property` or `Class.method parameter #i`. */
  member: string;
  source: BindSource;
  designType: unknown;
  /** The type is given some other way: a `type` option, a class-validator type rule, `@IsObject`, `@ValidateNested`. */
  typedOtherwise: boolean;
}

/**
 * Remembers, per deployment, which warnings were given (each is logged once) and whether any class
 * seen so far carried `design:*` metadata (which tells "reflect-metadata loaded too late" apart from
 * "this compiler emits no metadata").
 */
export class MetadataWarnings {
  private readonly given = new Set<string>();
  sawMetadata = false;

  constructor(private readonly sink: BootWarn | undefined) {}

  warn(message: string, meta: Record<string, unknown>): void {
    if (this.sink === undefined || this.given.has(message)) return;
    this.given.add(message);
    this.sink(message, meta);
  }
}

function underTranspileOnlyCompiler(): boolean {
  const hints = [...process.execArgv, process.env.NODE_OPTIONS ?? '', process.argv[1] ?? ''].join(' ');
  return /\btsx\b|esbuild|@swc-node|--experimental-strip-types|--experimental-transform-types/.test(hints);
}

/** The most likely reason a class has no `design:type`, in words a user can act on. */
export function likelyMissingMetadataCause(sawMetadataElsewhere: boolean): string {
  if (underTranspileOnlyCompiler()) {
    return 'this process runs under tsx/esbuild (or Node type stripping), which emit no decorator metadata — compile with tsc, ts-node or ts-jest, or give every property an explicit type';
  }
  if (sawMetadataElsewhere) {
    return "other classes do carry metadata, so 'reflect-metadata' was likely imported after this class was defined — import 'reflect-metadata' first, in your entry file";
  }
  return "'emitDecoratorMetadata' is likely off — set \"experimentalDecorators\": true and \"emitDecoratorMetadata\": true in tsconfig.json (tsx/esbuild emit none at all)";
}

/** Warns for members whose `design:type` is `Object` (a union such as `number | undefined`) and that nothing else types. */
export function warnObjectTypes(members: MemberInfo[], warnings: MetadataWarnings): void {
  for (const m of members) {
    if (m.designType !== Object || m.typedOtherwise) continue;
    const fix = m.source === 'body'
      ? 'declare a single type (`n?: number`, not `n?: number | undefined`), or add a class-validator type rule (@IsInt(), @IsString()…); if it is a free-form map, add @IsObject()'
      : "declare a single type (`n?: number`, not `n?: number | undefined` or `number | null`), or pass `{ type: 'number' }` to the decorator";
    warnings.warn(`${m.member}: its design:type is Object (a union type such as 'number | undefined', or an interface), so its value is not converted or type-checked; ${fix}`, {
      code: 'LKS_WARN_BINDING_TYPE', member: m.member,
    });
  }
}

/** Warns for a class whose class-validator rules or bound members have no `design:type` at all. */
export function warnMissingMetadata(owner: string, members: MemberInfo[], warnings: MetadataWarnings): void {
  if (members.length === 0 || members.some((m) => m.designType !== undefined)) return;
  const short = (m: MemberInfo): string => (m.member.startsWith(`${owner}.`) || m.member.startsWith(`${owner} `) ? m.member.slice(owner.length + 1) : m.member);
  const names = members.slice(0, 3).map(short).join(', ');
  warnings.warn(`${owner}: no design:type metadata on its decorated members (${names}${members.length > 3 ? ', …' : ''}), so their values are not converted or type-checked by their declared types; ${likelyMissingMetadataCause(warnings.sawMetadata)}`, {
    code: 'LKS_WARN_NO_METADATA', class: owner,
  });
}

// Rules that type a body member without a scalar hint: free-form maps, enums, fixed values, nested DTOs.
const TYPING_RULES = new Set(['isObject', 'isEnum', 'isIn', 'equals', 'isInstance']);

/** One declared DTO member, as compiled: its property, source and decorator options. */
export interface DeclaredMember {
  property: string;
  source: BindSource;
  options: SourceOptions;
}

/** The boot-time metadata checks of one DTO class: `Object` unions, and no `design:type` at all. */
export function checkDtoMetadata(cls: Class, members: DeclaredMember[], hints: Map<string, unknown>, warnings: MetadataWarnings): void {
  const proto = cls.prototype as object;
  const typing = new Set<string>();
  for (const m of getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false)) {
    if (m.type === 'nestedValidation' || TYPING_RULES.has(m.name ?? '')) typing.add(m.propertyName);
  }
  const infos: MemberInfo[] = members.map((m) => ({
    member: `${cls.name}.${m.property}`,
    source: m.source,
    designType: metadata.designType(proto, m.property),
    typedOtherwise: m.options.type !== undefined || hints.has(m.property) || (m.source === 'body' && typing.has(m.property)),
  }));
  if (infos.some((i) => i.designType !== undefined)) warnings.sawMetadata = true;
  warnObjectTypes(infos, warnings);
  warnMissingMetadata(cls.name, infos, warnings);
}

/** The boot-time metadata checks of one handler's named source parameters (`@Query('n') n: number | undefined`). */
export function checkParamMetadata(target: string, params: ParamMeta[], types: unknown[], warnings: MetadataWarnings): void {
  const infos: MemberInfo[] = [];
  for (const p of params) {
    if (p.kind !== 'source' || p.name === undefined) continue;
    const decorator = `@${(p.source[0] ?? '').toUpperCase()}${p.source.slice(1)}('${p.name}')`;
    infos.push({ member: `${target} parameter #${p.index} (${decorator})`, source: p.source, designType: types[p.index], typedOtherwise: p.options.type !== undefined });
  }
  warnObjectTypes(infos, warnings);
  warnMissingMetadata(target, infos, warnings);
}
