/** How the request body was parsed. */
export type BodyKind = 'json' | 'form' | 'none';

/** The raw request values binding reads from. */
export interface RequestSources {
  params: Record<string, string | undefined>;
  query: Record<string, string | string[] | undefined>;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  bodyKind: BodyKind;
}

/** Detects the body kind from the parsed body and the request's content type. */
export function bodyKindOf(body: unknown, contentType: string | undefined): BodyKind {
  if (body === undefined || body === null) return 'none';
  if (contentType !== undefined && contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) return 'form';
  return 'json';
}
