import type { Context } from './context';
import type { Response } from './response/response';

// `MiddlewareFn` is declared in metadata/ (the bottom layer, which decorators and modules use) and
// typed with the request Context here, by declaration merging: an import the other way would be a cycle.
declare module '../metadata/types' {
  interface MiddlewareTypes {
    context: Context;
    response: Response;
  }
}

export {};
