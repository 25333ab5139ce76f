/**
 * Differential property (issue 13): the validation fast path (compiled ajv + direct rule calls) must
 * give exactly class-validator's result. Over generated DTO shapes × generated inputs (valid,
 * boundary, invalid, wrong types, extra keys, nested arrays) the binder's validator with the fast
 * path and without it must produce the same accept/reject, the same `errors` and `meta.constraints`,
 * and the same instance afterwards (whitelist stripping); `new cls()` instantiation must equal
 * `plainToInstance`. Bounded to stay well under 30 s.
 */
import 'reflect-metadata';
import fc from 'fast-check';
import { plainToInstance, Type } from 'class-transformer';
import {
  Allow, ArrayMaxSize, ArrayMinSize, ArrayNotEmpty, Equals, IsArray, IsBoolean, IsDefined, IsEmail, IsEnum, IsIn, IsInt,
  IsNegative, IsNotEmpty, IsNumber, IsObject, IsOptional, IsPositive, IsString, Length, Matches, Max, MaxLength, Min,
  MinLength, Validate, ValidateIf, ValidateNested, ValidatorConstraint, type ValidatorConstraintInterface,
} from 'class-validator';
import { FieldErrorCollector } from '../../src/http/binding/errors';
import { compileFastCheck } from '../../src/http/binding/fast-validator';
import { compileInstantiate } from '../../src/http/binding/instantiate';
import { buildValidator, type DtoValidator } from '../../src/http/binding/validator';

const SEED = Number(process.env.FC_SEED ?? Date.now() % 1_000_000);

enum Color { Red = 'red', Blue = 'blue' }
enum Level { Low, High }

@ValidatorConstraint({ name: 'evenLength' })
class EvenLength implements ValidatorConstraintInterface {
  validate(v: unknown): boolean { return typeof v === 'string' && v.length % 2 === 0; }
}

class Item {
  @IsString() @MinLength(1) sku!: string;
  @IsInt() @Min(1) qty!: number;
  @IsOptional() @IsEmail() contact?: string;
}

type Deco = PropertyDecorator;
/** Rule families per property kind; a shape picks a kind and a subset of its rules. */
const RULES: Record<string, [string, () => Deco][]> = {
  string: [['IsString', () => IsString()], ['MinLength2', () => MinLength(2)], ['MinLength0', () => MinLength(0)], ['MaxLength3', () => MaxLength(3)],
    ['Length1-3', () => Length(1, 3)], ['IsNotEmpty', () => IsNotEmpty()], ['IsIn', () => IsIn(['a', 'bb'])], ['Equals', () => Equals('ab')],
    ['IsEmail', () => IsEmail()], ['Matches', () => Matches(/^a/)], ['EvenLength', () => Validate(EvenLength)]],
  number: [['IsNumber', () => IsNumber()], ['IsNumberNaN', () => IsNumber({ allowNaN: true })], ['IsInt', () => IsInt()], ['Min0', () => Min(0)],
    ['Max150', () => Max(150)], ['IsPositive', () => IsPositive()], ['IsNegative', () => IsNegative()], ['IsIn12', () => IsIn([1, 2])]],
  boolean: [['IsBoolean', () => IsBoolean()], ['EqualsTrue', () => Equals(true)]],
  enum: [['IsEnumColor', () => IsEnum(Color)], ['IsEnumLevel', () => IsEnum(Level)]],
  array: [['IsArray', () => IsArray()], ['ArrayMinSize1', () => ArrayMinSize(1)], ['ArrayMaxSize2', () => ArrayMaxSize(2)], ['ArrayNotEmpty', () => ArrayNotEmpty()],
    ['EachString', () => IsString({ each: true })], ['EachInt', () => IsInt({ each: true })], ['EachMinLength1', () => MinLength(1, { each: true })]],
  nested: [['IsObject', () => IsObject()]],
  nestedArray: [['IsArray', () => IsArray()], ['ArrayMaxSize2', () => ArrayMaxSize(2)]],
};
const KINDS = Object.keys(RULES);

interface PropSpec { kind: string; rules: string[]; optional: boolean; defined: boolean; when: boolean }
const propArb: fc.Arbitrary<PropSpec> = fc.constantFrom(...KINDS).chain((kind) => fc.record({
  kind: fc.constant(kind),
  rules: fc.subarray(RULES[kind]!.map(([n]) => n), { minLength: kind.startsWith('nested') ? 0 : 1 }),
  optional: fc.boolean(), defined: fc.integer({ min: 0, max: 4 }).map((n) => n === 0), when: fc.integer({ min: 0, max: 6 }).map((n) => n === 0),
}));
const shapeArb = fc.record({ props: fc.array(propArb, { minLength: 1, maxLength: 4 }), allow: fc.boolean() });

let classCount = 0;
function makeClass(shape: { props: PropSpec[]; allow: boolean }): new () => object {
  const cls = class {};
  Object.defineProperty(cls, 'name', { value: `Dto${++classCount}` });
  const proto = cls.prototype as object;
  shape.props.forEach((p, i) => {
    const key = `p${i}`;
    const decos: Deco[] = p.rules.map((r) => RULES[p.kind]!.find(([n]) => n === r)![1]());
    if (p.optional) decos.push(IsOptional());
    if (p.defined) decos.push(IsDefined());
    if (p.when) decos.push(ValidateIf((o: Record<string, unknown>) => o.p0 !== 'skip'));
    if (p.kind.startsWith('nested')) decos.push(ValidateNested(), Type(() => Item));
    Reflect.defineMetadata('design:type', p.kind === 'nestedArray' || p.kind === 'array' ? Array : Object, proto, key);
    for (const d of decos) d(proto, key);
  });
  if (shape.allow) Allow()(proto, 'kept');
  return cls;
}

const strings = fc.oneof(
  fc.constantFrom<unknown>('', 'a', 'ab', 'abc', 'abcd', 'a\uFE0F', 'ab\uFE0F', 'a\uFE0Fb', '\uD83D\uDE00', '\uD83D\uDE00\uD83D\uDE00', '\uD800', 'x@y.co', 'red', 'blue', 'bb', 'skip'),
  fc.string({ maxLength: 5 }),
);
const numbers = fc.oneof(fc.constantFrom<unknown>(0, -0, 1, -1, 2, 1.5, 150, 151, 1e21, NaN, Infinity, -Infinity, -1.5, 0.1), fc.integer({ min: -3, max: 200 }), fc.double());
const scalarArb = fc.oneof(strings, numbers, fc.constantFrom<unknown>(true, false, null, Level.High, Color.Red));
const itemArb = fc.oneof(
  fc.record({ sku: scalarArb, qty: scalarArb, contact: scalarArb, extra: scalarArb }, { requiredKeys: [] }),
  fc.record({ sku: fc.constantFrom('a', 'bc'), qty: fc.integer({ min: 1, max: 5 }), contact: fc.constantFrom('x@y.co', 'nope', null) }, { requiredKeys: ['sku', 'qty'] }),
  scalarArb,
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: scalarArb },
  { weight: 2, arbitrary: fc.array(scalarArb, { maxLength: 3 }) },
  { weight: 2, arbitrary: fc.array(itemArb, { maxLength: 3 }) },
  { weight: 2, arbitrary: itemArb },
  { weight: 1, arbitrary: fc.array(fc.array(itemArb, { maxLength: 2 }), { maxLength: 2 }) },
);
/** Values aimed at a kind's boundaries (most of the time), or anything at all. */
const TYPED: Record<string, fc.Arbitrary<unknown>> = {
  string: strings, number: numbers, boolean: fc.constantFrom<unknown>(true, false, 'true', 1),
  enum: fc.constantFrom<unknown>('red', 'blue', 'green', 0, 1, 2, 'Low', 'High', '0'),
  array: fc.array(fc.oneof(strings, numbers), { maxLength: 3 }), nested: itemArb, nestedArray: fc.array(itemArb, { maxLength: 3 }),
};
const valueFor = (p: PropSpec): fc.Arbitrary<unknown> => fc.oneof({ weight: 3, arbitrary: TYPED[p.kind]! }, { weight: 1, arbitrary: anyValue });
const inputArb = (props: PropSpec[]): fc.Arbitrary<Record<string, unknown>> => fc.record(
  Object.fromEntries([...props.map((p, i) => [`p${i}`, valueFor(p)]), ['kept', scalarArb], ['extra', scalarArb]]),
  { requiredKeys: [] },
);

function withFastPath<T>(on: boolean, build: () => T): T {
  const before = process.env.LOKSTRA_VALIDATION_FAST_PATH;
  process.env.LOKSTRA_VALIDATION_FAST_PATH = on ? '1' : '0';
  try { return build(); } finally {
    if (before === undefined) delete process.env.LOKSTRA_VALIDATION_FAST_PATH;
    else process.env.LOKSTRA_VALIDATION_FAST_PATH = before;
  }
}

/** The validator's outcome: its errors, or what it threw (class-validator's isEmail throws URIError on lone surrogates). */
function run(v: DtoValidator, instance: object): { errors?: unknown; constraints?: unknown; threw?: string; empty: boolean } {
  const errors = new FieldErrorCollector();
  try {
    expect(v(instance, errors)).toBeUndefined();
  } catch (e) {
    return { threw: (e as Error).name, empty: false };
  }
  return { errors: errors.errors, constraints: errors.constraints, empty: errors.empty };
}

const stats = { inputs: 0, fastAccepted: 0, valid: 0, shapes: 0, compiled: 0 };

test('the fast path gives class-validator\'s accept/reject, errors, constraints and instance', () => {
  fc.assert(fc.property(shapeArb, (shape) => {
    const cls = makeClass(shape);
    const slow = withFastPath(false, () => buildValidator(cls))!;
    const combined = withFastPath(true, () => buildValidator(cls))!;
    const fast = compileFastCheck(cls);
    stats.shapes++;
    if (fast !== undefined) stats.compiled++;
    fc.assert(fc.property(inputArb(shape.props), (plain) => {
      stats.inputs++;
      const reference = plainToInstance(cls, plain);
      const expected = run(slow, reference);
      const instance = plainToInstance(cls, plain);
      const actual = run(combined, instance);
      expect(actual).toStrictEqual(expected);
      expect(instance).toStrictEqual(reference);
      if (expected.empty) stats.valid++;
      if (expected.threw === undefined && fast !== undefined && fast(plainToInstance(cls, plain))) {
        stats.fastAccepted++;
        expect(expected.empty).toBe(true);
      }
    }), { numRuns: 40, seed: SEED, endOnFailure: true });
  }), { numRuns: 80, seed: SEED, endOnFailure: true });
  // Not vacuous: most shapes compile and the fast path accepts most valid inputs.
  if (process.env.FC_STATS === '1') console.log(stats);
  expect(stats.compiled).toBeGreaterThan(stats.shapes * 0.7);
  expect(stats.fastAccepted).toBeGreaterThan(stats.valid * 0.5);
});

test('new cls() + assignment builds what plainToInstance builds for flat DTOs', () => {
  fc.assert(fc.property(shapeArb, (shape) => {
    const flatShape = { ...shape, props: shape.props.filter((p) => !p.kind.startsWith('nested')) };
    const cls = makeClass(flatShape);
    const instantiate = compileInstantiate(cls);
    fc.assert(fc.property(inputArb(flatShape.props), (plain) => {
      expect(instantiate(plain)).toStrictEqual(plainToInstance(cls, plain));
    }), { numRuns: 20, seed: SEED });
  }), { numRuns: 60, seed: SEED });
});
