/** The three benchmarked requests. */
export interface BenchRoute {
  id: 'hello' | 'user' | 'create';
  label: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

export const VALID_USER = { name: 'Ada Lovelace', email: 'ada@example.com', age: 36 };

export const ROUTES: BenchRoute[] = [
  { id: 'hello', label: 'GET /hello', method: 'GET', path: '/hello' },
  { id: 'user', label: 'GET /users/:id', method: 'GET', path: '/users/42?verbose=true' },
  { id: 'create', label: 'POST /users (validated)', method: 'POST', path: '/users', body: JSON.stringify(VALID_USER) },
];

/** JSON schema of the POST body (raw Fastify), the same rules as `CreateUserDto`. */
export const CREATE_USER_SCHEMA = {
  type: 'object',
  required: ['name', 'email', 'age'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 2 },
    email: { type: 'string', format: 'email' },
    age: { type: 'integer', minimum: 0, maximum: 150 },
  },
} as const;

export function portFromEnv(): number {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('PORT must be set');
  return port;
}
