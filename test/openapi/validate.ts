import { validate } from '@readme/openapi-parser';

/** Validates an OpenAPI document with @readme/openapi-parser; returns the error messages (none when valid). */
export async function openApiErrors(doc: unknown): Promise<string[]> {
  // The parser dereferences in place: give it a copy.
  const result = await validate(JSON.parse(JSON.stringify(doc)) as never);
  return result.valid ? [] : (result.errors ?? []).map((e: { message: string }) => e.message);
}
