import { getMetadataStorage } from 'class-validator';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { metadata } from '../metadata/store';
import type { BindSource } from '../metadata/types';
import type { Class } from '../internal/types';
import type { NestedRef } from './types';

/** class-validator's metadata record (its type is not exported from the package root). */
export type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];

/** One DTO property as the schema compiler sees it. */
export interface PropertyModel {
  property: string;
  source: BindSource;
  /** Name on the wire (body key, query name, lower-cased header name). */
  key: string;
  designType: unknown;
  /** `@IsOptional()`: null and undefined skip every rule. */
  optional: boolean;
  /** `@IsDefined()` rules. */
  defined: ValidationMetadata[];
  /** Conditions other than `@IsOptional` (`@ValidateIf`). */
  conditions: ValidationMetadata[];
  /** Every other rule (`customValidation`: built-in and user constraints). */
  rules: ValidationMetadata[];
  nested: NestedRef | undefined;
}

/** A DTO class: its properties, the names `whitelist` keeps, and constructs no schema can express. */
export interface ClassModel {
  cls: Class;
  properties: PropertyModel[];
  /** Properties with class-validator metadata (everything else is stripped by `whitelist`). */
  allowed: Set<string>;
  /** Non-empty: the class must be validated by class-validator alone (`Class.property: reason`). */
  problems: string[];
}

const SCALARS = new Set<unknown>([String, Number, Boolean, Date, Object, Array, Set, Map]);

/** class-validator's metadata exactly as its executor reads it (no groups, `always` false). */
export function validationMetadatas(cls: Class): ValidationMetadata[] {
  return getMetadataStorage().getTargetValidationMetadatas(cls, '', false, false, undefined);
}

function nestedRef(cls: Class, property: string, designType: unknown, problems: string[]): NestedRef | undefined {
  const typeMeta = defaultMetadataStorage.findTypeMetadata(cls, property);
  const nested = typeMeta?.typeFunction() as unknown;
  if (typeMeta === undefined || typeof nested !== 'function' || SCALARS.has(nested)) {
    problems.push(`${cls.name}.${property}: @ValidateNested without @Type(() => Class)`);
    return undefined;
  }
  if (typeMeta.options?.discriminator !== undefined) problems.push(`${cls.name}.${property}: @Type discriminator`);
  return { cls: nested as Class, array: designType === Array };
}

function readProperty(cls: Class, property: string, metas: ValidationMetadata[], problems: string[]): PropertyModel {
  const declared = metadata.getProperties(cls).find((p) => p.property === property);
  const source = declared?.source ?? 'body';
  const designType = metadata.designType(cls.prototype as object, property);
  const model: PropertyModel = {
    property, source, designType, optional: false, defined: [], conditions: [], rules: [], nested: undefined,
    key: declared === undefined ? property : source === 'header' ? declared.name.toLowerCase() : declared.name,
  };
  for (const m of metas) {
    switch (m.type) {
      case 'conditionalValidation':
        if (m.name === 'isOptional') model.optional = true;
        else model.conditions.push(m);
        break;
      case 'isDefined': model.defined.push(m); break;
      case 'customValidation': model.rules.push(m); break;
      case 'nestedValidation': model.nested ??= nestedRef(cls, property, designType, problems); break;
      case 'whitelistValidation': break;
      default: problems.push(`${cls.name}.${property}: ${m.type}`);
    }
  }
  if (model.nested !== undefined && model.conditions.length > 0) problems.push(`${cls.name}.${property}: @ValidateIf on a nested DTO`);
  return model;
}

/** Reads one DTO class (own and inherited metadata). Nested classes are read by the caller. */
export function readClass(cls: Class): ClassModel {
  const grouped = new Map<string, ValidationMetadata[]>();
  for (const m of validationMetadatas(cls)) {
    const list = grouped.get(m.propertyName) ?? [];
    list.push(m);
    grouped.set(m.propertyName, list);
  }
  const problems: string[] = [];
  if (grouped.size === 0) problems.push(`${cls.name}: no class-validator metadata (forbidUnknownValues rejects it)`);
  const names = [...new Set([...metadata.getProperties(cls).map((p) => p.property), ...grouped.keys()])];
  const properties = names.map((p) => readProperty(cls, p, grouped.get(p) ?? [], problems));
  return { cls, properties, allowed: new Set(grouped.keys()), problems };
}
