import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsEmail, IsEnum, IsInt, IsOptional, IsString, Max, Min, MinLength, ValidateNested, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { Query, Header } from '../../src/index';
import { compileDtoSchema } from '../../src/schema';
import { compileValidation } from '../../src/schema/validation';

enum Role { Admin = 'admin', User = 'user' }

class Address {
  @IsString() city!: string;
  @IsOptional() @Type(() => Address) @ValidateNested() parent?: Address;
}

class CreateUser {
  @IsString() @MinLength(2) name!: string;
  @IsEmail() email!: string;
  @IsInt() @Min(0) @Max(150) age!: number;
  @IsOptional() @IsEnum(Role) role?: Role;
  @ValidateNested() @Type(() => Address) addresses!: Address[];
  @Query('dry_run') @IsOptional() dryRun?: boolean;
  @Header('X-Tenant') @IsString() tenant!: string;
}

// `@IsString` by name, but not class-validator's isString: must not be compiled as the built-in.
@ValidatorConstraint({ name: 'isString' })
class FakeIsString implements ValidatorConstraintInterface {
  validate(v: unknown): boolean { return v === 'only-this'; }
}
class Tricky { @Validate(FakeIsString) code!: string; }

describe('compileDtoSchema', () => {
  const out = compileDtoSchema(CreateUser);

  it('emits one JSON Schema 2020-12 document for the body, by wire name, with nested classes in $defs', () => {
    expect(out.schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'CreateUser',
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 2 },
        email: { type: 'string', format: 'email' },
        age: { type: 'integer', minimum: 0, maximum: 150 },
        role: { anyOf: [{ type: 'null' }, { enum: ['admin', 'user'] }] },
        addresses: { type: 'array', items: { $ref: '#/$defs/Address' } },
      },
      required: ['name', 'email', 'age'],
      $defs: { Address: { type: 'object', properties: { city: { type: 'string' }, parent: { anyOf: [{ type: 'null' }, { $ref: '#/$defs/Address' }] } }, required: ['city'] } },
    });
    expect(Object.keys(out.schema.properties as object)).not.toContain('tenant');
  });

  it('lists path/query/header properties as parameters', () => {
    expect(out.parameters).toEqual([
      { in: 'query', name: 'dry_run', property: 'dryRun', required: false, schema: { anyOf: [{ type: 'null' }, { type: 'boolean' }] } },
      { in: 'header', name: 'x-tenant', property: 'tenant', required: true, schema: { type: 'string' } },
    ]);
  });

  it('is not exact when a rule has no JSON-Schema equivalent, and says which', () => {
    expect(out.exact).toBe(false);
    expect(out.unsupported).toEqual(['CreateUser.email: isEmail']);
    expect(compileDtoSchema(Address)).toMatchObject({ exact: true, unsupported: [] });
  });

  it('never compiles a custom rule registered under a built-in name', () => {
    const v = compileValidation(Tricky);
    expect(v.schema.properties).toEqual({});
    expect(v.direct).toEqual(['Tricky.code: isString']);
  });

  it('guards minLength against variation selectors in the validation schema only', () => {
    const v = compileValidation(CreateUser);
    expect((v.schema.properties as Record<string, unknown>).name).toEqual({ type: 'string', minLength: 2, not: { pattern: '[\\uFE0E\\uFE0F]' } });
    expect(v.direct).toEqual(['CreateUser.email: isEmail']);
    expect(v.problems).toEqual([]);
  });
});
