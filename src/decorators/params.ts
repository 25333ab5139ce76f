import { Allow } from 'class-validator';
import { metadata } from '../metadata/store';
import type { BindSource, Class, SourceOptions } from '../metadata/types';

type ParamOrPropertyDecorator = ParameterDecorator & PropertyDecorator;

function source(kind: BindSource, name: string | undefined, options: SourceOptions): ParamOrPropertyDecorator {
  return ((target: object, propertyKey: string | symbol | undefined, index?: number) => {
    if (typeof index === 'number') {
      metadata.addParam(target, propertyKey as string | symbol, { index, kind: 'source', source: kind, name, options });
      return;
    }
    const property = String(propertyKey);
    metadata.addProperty(target.constructor, { property, source: kind, name: name ?? property, options });
    // Source-bound properties are allowed through class-validator's whitelist even without rules.
    Allow()(target, property);
  }) as ParamOrPropertyDecorator;
}

/**
 * Binds a path parameter (always required) to a handler parameter or DTO property, converted to its type.
 * @example
 * @Get('/:id') get(@Path('id') id: number) {}
 */
export function Path(name?: string, options: SourceOptions = {}): ParamOrPropertyDecorator {
  return source('path', name, { ...options, required: true });
}

/**
 * Binds a query-string value (optional unless `{ required: true }`), converted to its type.
 * @example
 * @Get('/') list(@Query('page') page?: number) {}
 */
export function Query(name?: string, options: SourceOptions = {}): ParamOrPropertyDecorator {
  return source('query', name, options);
}

/**
 * Binds a request header (case-insensitive; optional unless `{ required: true }`).
 * @example
 * @Get('/') list(@Header('x-tenant') tenant?: string) {}
 */
export function Header(name?: string, options: SourceOptions = {}): ParamOrPropertyDecorator {
  return source('header', name === undefined ? undefined : name.toLowerCase(), options);
}

/**
 * On a parameter without a name: the whole body as a validated DTO. With a name, or on a property: one body field.
 * @example
 * @Post('/') create(@Body() dto: CreateUserDto) {}
 */
export function Body(name?: string, options: SourceOptions = {}): ParamOrPropertyDecorator {
  return source('body', name, options);
}

/**
 * Binds a DTO from all sources at once ("bind all smart"); the DTO class defaults to the parameter's type.
 * @example
 * @Get('/:id') get(@Bind() req: UserRequest) {}
 */
export function Bind(dto?: Class): ParameterDecorator {
  return (target, propertyKey, index) => metadata.addParam(target, propertyKey as string | symbol, { index, kind: 'bind', dto });
}

/**
 * Injects the request `Context` (the explicit form of a parameter typed `Context`).
 * @example
 * @Get('/') list(@Ctx() ctx: Context) { return ctx.ok([]); }
 */
export function Ctx(): ParameterDecorator {
  return (target, propertyKey, index) => metadata.addParam(target, propertyKey as string | symbol, { index, kind: 'ctx' });
}
