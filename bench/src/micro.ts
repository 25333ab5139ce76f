// Micro-benchmarks behind the optimisation proposals of docs/performance.md: each pits what Lokstra
// does per request today against the proposed replacement, in one process, interleaved (A B A B…),
// median ns per operation. The replacements are sketches written here, not Lokstra code.
//   node dist/micro.js [--rounds=15] [--n=20000]
/* eslint-disable @typescript-eslint/no-require-imports */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { getFromContainer, getMetadataStorage, validateSync, type ValidationArguments } from 'class-validator';
import { CreateUserDto } from './shared/dto';

type Case = { name: string; base: () => unknown; proposed: () => unknown; note: string };

const body = { name: 'Ada Lovelace', email: 'ada@example.com', age: 36 };

// 1. class-validator: validateSync (today) vs the DTO's rules compiled into direct constraint calls.
function compileRules(cls: new () => object): (o: Record<string, unknown>) => boolean {
  const storage = getMetadataStorage();
  const checks: ((o: Record<string, unknown>) => boolean)[] = [];
  for (const m of storage.getTargetValidationMetadatas(cls, '', true, false)) {
    const c = storage.getTargetValidatorConstraints(m.constraintCls)[0];
    if (c === undefined) continue;
    const impl = getFromContainer(c.target as new () => { validate(v: unknown, a: ValidationArguments): boolean });
    const { propertyName: property, constraints } = m;
    checks.push((o) => impl.validate(o[property], { targetName: cls.name, property, object: o, value: o[property], constraints }) === true);
  }
  return (o) => checks.every((c) => c(o));
}
const fastRules = compileRules(CreateUserDto);
const OPTIONS = { whitelist: true, forbidUnknownValues: true, validationError: { target: false, value: true } };

// 2. class-transformer: plainToInstance (today) vs `new Dto()` + assignment for flat values.
function fastInstance(cls: new () => object, plain: Record<string, unknown>): object {
  const inst = new cls() as Record<string, unknown>;
  for (const k of Object.keys(plain)) inst[k] = plain[k];
  return inst;
}

// 3. request id: randomUUID per request (today) vs boot id + counter.
const BOOT = randomUUID();
let seq = 0;

// 4. envelope: JSON.stringify of a fresh envelope object (what reply.send(obj) ends in) vs string building.
const data = { id: 42, name: 'Ada Lovelace', email: 'ada@example.com', age: 36 };
const envelope = (): string => JSON.stringify({ code: 'CREATED', success: true, data });
const direct = (): string => `{"code":"CREATED","success":true,"data":${JSON.stringify(data)}}`;

// 5. security_headers: @fastify/helmet with per-route options builds helmet(options) on every request
//    (buildHelmetOnRoutes → helmet()); the headers are static for a config, so they can be built once.
const lokstraDir = require.resolve('lokstra');
const helmet = require(require.resolve('helmet', { paths: [lokstraDir] })) as (o?: object) => (req: unknown, res: unknown, next: () => void) => void;
const fakeRes = (): { setHeader(k: string, v: string): void; removeHeader(): void; h: Record<string, string> } => {
  const h: Record<string, string> = {};
  return { h, setHeader: (k, v) => { h[k] = v; }, removeHeader: () => undefined };
};
const staticHeaders = fakeRes();
helmet({})({}, staticHeaders, () => undefined);

// 6. request_logger with the level filtered out: winston formats the line before dropping it.
const { createLogger } = require('lokstra') as { createLogger(o: object): { info(m: string, meta: object): void; isLevelEnabled(l: string): boolean } };
const logger = createLogger({ level: 'warn', format: 'json' });
const meta = (): object => ({ requestId: 'r-1', method: 'GET', route: '/hello', url: '/hello', status: 200, durationMs: 0.12, ip: '127.0.0.1', userAgent: 'autocannon' });

const CASES: Case[] = [
  { name: 'validate CreateUserDto', note: 'binding/validator.ts buildValidator', base: () => validateSync(Object.assign(new CreateUserDto(), body), OPTIONS), proposed: () => fastRules(Object.assign(new CreateUserDto(), body) as never) },
  { name: 'DTO instance', note: 'binding/dto-binder.ts bindDto', base: () => plainToInstance(CreateUserDto, { ...body }), proposed: () => fastInstance(CreateUserDto, { ...body }) },
  { name: 'request id', note: 'http/listener.ts requestId', base: () => randomUUID(), proposed: () => `${BOOT}-${(++seq).toString(36)}` },
  { name: 'envelope serialisation', note: 'response/send.ts sendResponse', base: envelope, proposed: direct },
  { name: 'security headers', note: 'middleware/security-headers.ts', base: () => { const r = fakeRes(); helmet({})({}, r, () => undefined); return r; }, proposed: () => ({ ...staticHeaders.h }) },
  { name: 'request log, level off', note: 'middleware/request-logger.ts onResponse', base: () => logger.info('request completed', meta()), proposed: () => (logger.isLevelEnabled('info') ? logger.info('request completed', meta()) : undefined) },
];

function time(fn: () => unknown, n: number): number {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - t0) / n;
}
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2; };

const argv = process.argv.slice(2);
const rounds = Number(argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 15);
const n = Number(argv.find((a) => a.startsWith('--n='))?.slice(4) ?? 20000);
console.log(`| per request | where | today ns | proposed ns | saved µs |`);
console.log('|---|---|---:|---:|---:|');
for (const c of CASES) {
  time(c.base, n); time(c.proposed, n); // warm-up
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < rounds; r++) { a.push(time(c.base, n)); b.push(time(c.proposed, n)); }
  console.log(`| ${c.name} | ${c.note} | ${median(a).toFixed(0)} | ${median(b).toFixed(0)} | ${((median(a) - median(b)) / 1000).toFixed(2)} |`);
}
