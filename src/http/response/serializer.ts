import { optional } from '../../internal/optional';
import type { ReturnsMeta } from '../../metadata/types';
import { bundleDtoSchema, type JsonSchema } from '../../schema/index';
import type { Response } from './response';

type Stringify = (value: unknown) => string;

/**
 * A route's compiled response serialisers (from `@Returns`): success envelopes (and plain-JSON
 * `data` under `envelope: false`) are written with the declared fields only.
 */
export interface ResponseSerializer {
  /** The JSON text of `res`, or `undefined` when Lokstra's default serialisation applies (errors, raw bodies, null data). Throws when `data` does not fit the declared schema. */
  serialize(res: Response): string | undefined;
}

const META_SCHEMA: JsonSchema = { type: 'object', additionalProperties: true };

/** The `data` schema and `$defs` of one `@Returns` (refs under `#/$defs/`). */
function dataSchema(r: ReturnsMeta): { data: JsonSchema; defs: Record<string, JsonSchema> } {
  const { name, defs } = bundleDtoSchema(r.type, '#/$defs/');
  const ref = { $ref: `#/$defs/${name}` };
  return { data: r.array ? { type: 'array', items: ref } : ref, defs };
}

interface Compiled { envelope: Stringify; data: Stringify }

// The schemas are built at boot (a DTO the compiler cannot read fails boot); fast-json-stringify's
// code for each is generated on the first response that needs it (~0.3 ms per schema, so 1,000
// routes would add ~0.6 s to startup).
function compile(r: ReturnsMeta): Compiled {
  const { data, defs } = dataSchema(r);
  const envelopeSchema = {
    type: 'object',
    properties: { code: { type: 'string' }, success: { type: 'boolean' }, message: { type: 'string' }, data, meta: META_SCHEMA },
    $defs: defs,
  };
  let envelope: Stringify | undefined;
  let plain: Stringify | undefined;
  return {
    envelope: (v) => (envelope ??= optional.fastJsonStringify()(envelopeSchema as never) as Stringify)(v),
    data: (v) => (plain ??= optional.fastJsonStringify()({ ...data, $defs: defs } as never) as Stringify)(v),
  };
}

/**
 * Compiles the serialisers of a route's `@Returns` declarations, one per status; a success status
 * without its own declaration uses the first one, so no success response escapes the guard.
 * `undefined` when the route declares nothing.
 */
export function buildResponseSerializer(returns: readonly ReturnsMeta[]): ResponseSerializer | undefined {
  if (returns.length === 0) return undefined;
  const byStatus = new Map<number, Compiled>();
  for (const r of returns) if (!byStatus.has(r.status)) byStatus.set(r.status, compile(r));
  const fallback = byStatus.values().next().value as Compiled;
  return {
    serialize(res) {
      // `data: null` (or none) carries no field that could leak: the default path writes it as is.
      if (!res.success || res.data === undefined || res.data === null) return undefined;
      const s = byStatus.get(res.status) ?? fallback;
      if (res.kind === 'envelope') return s.envelope(res.toEnvelope());
      return res.kind === 'json' ? s.data(res.data) : undefined;
    },
  };
}
