import type { Class } from '../internal/types';

/** A JSON Schema 2020-12 node. The compiler emits a small, known subset of keywords. */
export type JsonSchema = { [keyword: string]: unknown };

/** A DTO property bound from the path, the query string or a header (an OpenAPI parameter). */
export interface DtoParameter {
  in: 'path' | 'query' | 'header';
  /** The name on the wire (`@Query('page')`), headers lower-cased. */
  name: string;
  /** The DTO property it binds to. */
  property: string;
  required: boolean;
  schema: JsonSchema;
}

/** What {@link compileDtoSchema} returns for one DTO class. */
export interface CompiledDtoSchema {
  /**
   * JSON Schema 2020-12 of the body part (`type: object`, `properties` by wire name, `required`);
   * nested DTO classes are in `$defs` by class name and referenced as `#/$defs/<Name>`.
   */
  schema: JsonSchema;
  /** Properties bound from path, query and headers. */
  parameters: DtoParameter[];
  /** True when every class-validator rule of the class (and its nested classes) has an exact JSON-Schema equivalent. */
  exact: boolean;
  /** Rules and constructs without an exact equivalent, as `Class.property: rule`. */
  unsupported: string[];
}

/** A rule's JSON-Schema equivalent: `exact` when the schema accepts exactly what class-validator accepts. */
export interface RuleSchema {
  schema: JsonSchema;
  exact: boolean;
}

/** Which of the two schemas to emit from the same model. */
export type SchemaMode = 'document' | 'validation';

/** A nested DTO reference (`@ValidateNested() @Type(() => X)`). */
export interface NestedRef {
  cls: Class;
  /** `design:type` is Array: an array of `cls`. */
  array: boolean;
}
