/**
 * The registry of every `LKS_ERR_*` code Lokstra raises: message template and HTTP status.
 * `docs/errors.md` lists the same table; `test/errors/codes.test.ts` checks that they agree.
 * Templates use `{name}` placeholders filled from the error's params.
 */
export const ERROR_CODES = {
  LKS_ERR_CONFIG_NOT_FOUND: { status: 500, message: 'no Lokstra configuration found: {detail}' },
  LKS_ERR_CONFIG_PARSE: { status: 500, message: 'cannot parse {file}: {detail}' },
  LKS_ERR_CONFIG_INVALID: { status: 500, message: 'invalid configuration at {path}: {detail}' },
  LKS_ERR_CONFIG_ENV_MISSING: { status: 500, message: 'environment variable {variable} is not set (used at {path}) and has no default' },
  LKS_ERR_CONFIG_LISTEN_FAILED: { status: 500, message: "app '{app}' cannot listen on {address}: {detail}" },
  LKS_ERR_CONFIG_SECRET_FILE: { status: 500, message: 'cannot read secret file {file} (used at {path}): {detail}' },
  LKS_ERR_CONFIG_APP_NOT_FOUND: { status: 500, message: "no app named '{name}'; apps: {known}" },
  LKS_ERR_DI_DUPLICATE: { status: 500, message: "{kind} '{name}' is registered twice" },
  LKS_ERR_DI_NOT_FOUND: { status: 500, message: "service '{token}' is not registered{hint}" },
  LKS_ERR_DI_RESOLVE: { status: 500, message: "cannot create '{token}': {detail}" },
  LKS_ERR_DI_CYCLE: { status: 500, message: 'dependency cycle: {cycle}' },
  LKS_ERR_DI_SCOPE_MISMATCH: { status: 500, message: "singleton '{consumer}' depends on request-scoped '{dependency}'; make '{consumer}' request-scoped or inject a factory" },
  LKS_ERR_DI_UNKNOWN_FACTORY: { status: 500, message: "service '{name}' has unknown type '{type}' (at {source}); registered types: {known}" },
  LKS_ERR_DI_PROVIDER_INVALID: { status: 500, message: "provider '{token}' of module '{module}' is invalid: {detail}" },
  LKS_ERR_DI_MODULE_REQUIRES: { status: 500, message: "module '{module}' requires service '{service}', which is not registered" },
  LKS_ERR_DECORATOR_UNBOUND_PARAM: { status: 500, message: '{target} parameter #{index} has no source decorator and its type ({type}) is neither Context nor a DTO class; add @Path/@Query/@Header/@Body/@Bind/@Ctx' },
  LKS_ERR_DECORATOR_MISSING_NAME: { status: 500, message: '{target} parameter #{index}: @{decorator}() needs a name on parameters' },
  LKS_ERR_DECORATOR_NESTED_TYPE: { status: 500, message: "{target}.{property} has @ValidateNested but no @Type(() => X) from class-transformer" },
  LKS_ERR_DECORATOR_NOT_CONTROLLER: { status: 500, message: '{target} is not a controller (missing @Route) nor a module' },
  LKS_ERR_ROUTE_DUPLICATE: { status: 500, message: '{method} {path} is declared twice in app {app}: {first} and {second}' },
  LKS_ERR_ROUTE_HANDLER_NOT_FOUND: { status: 500, message: "handler '{name}' is not registered (at {source}); registered handlers: {known}" },
  LKS_ERR_ROUTE_CONTROLLER_NOT_FOUND: { status: 500, message: "controller or module '{name}' is not registered (at {source}); registered: {known}" },
  LKS_ERR_ROUTE_INVALID: { status: 500, message: 'invalid route at {source}: {detail}' },
  LKS_ERR_BIND_PATH_MAP: { status: 500, message: 'path parameters cannot be bound into a map; bind them into a DTO class or read ctx.params' },
  LKS_ERR_BIND_INVALID_TARGET: { status: 500, message: 'cannot bind into {target}: expected a DTO class, an instance or a plain object' },
  LKS_ERR_RESPONSE_FORMAT_FAILED: { status: 500, message: 'error formatter {formatter} failed: {detail}' },
  LKS_ERR_RESPONSE_ALREADY_SENT: { status: 500, message: 'the response for {method} {url} was already sent' },
  LKS_ERR_RESPONSE_HEADER_INVALID: { status: 500, message: 'response header {name}: {detail}' },
  LKS_ERR_MIDDLEWARE_NOT_FOUND: { status: 500, message: "middleware '{name}' is not registered (at {source}){hint}; registered middleware: {known}" },
  LKS_ERR_MIDDLEWARE_INVALID: { status: 500, message: "middleware '{name}' is invalid: {detail}" },
  LKS_ERR_SERVICE_START_TIMEOUT: { status: 500, message: "service '{name}' did not finish onStart within {timeout} ms" },
  LKS_ERR_SERVICE_START_FAILED: { status: 500, message: "service '{name}' failed to start: {detail}" },
  LKS_ERR_SERVICE_STOP_FAILED: { status: 500, message: "service '{name}' failed to stop: {detail}" },
  LKS_ERR_MIGRATION_CHECKSUM: { status: 500, message: 'migration {name} of {service} was edited after it was applied (checksum {applied} in the database, {current} on disk); restore the file and add a new migration instead' },
  LKS_ERR_MIGRATION_MISSING: { status: 500, message: 'migration {name} of {service} is applied but has no file {file}' },
  LKS_ERR_MIGRATION_FAILED: { status: 500, message: 'migration {name} of {service} failed at {file}:{line}: {detail}' },
  LKS_ERR_MIGRATION_LOCKED: { status: 500, message: 'another runner holds the migration lock of {service}; gave up after {timeout} ms' },
  LKS_ERR_MIGRATION_NO_DOWN: { status: 500, message: 'migration {name} of {service} has no down file ({file})' },
} as const satisfies Record<string, { status: number; message: string }>;

/** A code from the `LKS_ERR_*` registry. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Fills a message template's `{name}` placeholders; unknown placeholders stay visible. */
export function formatMessage(template: string, params: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in params ? String(params[key] ?? '') : whole,
  );
}
