/**
 * Issue 12 (Low): conversion edge cases (SPEC §4.3). `-0` binds as `0`; dates in years 0000–0099
 * are those years (no two-digit-year quirk); `T24:00` and out-of-range times or zones are 400s; a
 * date-time without a zone is UTC — never the server's local time, checked in a child process
 * whose `TZ` is far from UTC. Query strings go over raw sockets, as sent.
 */
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { IsOptional } from 'class-validator';
import { Body, Get, Lokstra, Module, Post, Query, Route, type LokstraHandle } from '../../src/index';
import { memoryLogger } from '../helpers/memory-logger';
import { installFaultHooks } from './helpers/guard';
import { rawGet, rawRequest, type RawResponse } from './helpers/raw-http';

class NumberBody {
  @IsOptional() n?: number;
}

@Route('/conv')
class ConversionController {
  @Get('/num')
  num(@Query('n') n: number) {
    return { n, negativeZero: Object.is(n, -0) };
  }

  @Post('/num')
  numBody(@Body() body: NumberBody) {
    return { n: body.n, negativeZero: Object.is(body.n, -0) };
  }

  @Get('/date')
  date(@Query('d') d: Date) {
    return { iso: d.toISOString(), year: d.getUTCFullYear() };
  }
}

@Module({ controllers: [ConversionController] })
class ConversionModule {}

let h: LokstraHandle;
let port = 0;
installFaultHooks(() => (port ? `http://127.0.0.1:${port}/health/live` : undefined));

beforeAll(async () => {
  h = await Lokstra.build({
    services: [{ name: 'health', type: 'lokstra.health_check' }],
    apps: [{ name: 'api', address: '127.0.0.1:0', controllers: ['ConversionController'] }],
  } as never, { modules: [ConversionModule], logger: memoryLogger() });
  await h.listen();
  port = Number(new URL(h.apps[0]?.url ?? '').port);
});
afterAll(() => h.close());

const data = (res: RawResponse): Record<string, unknown> => (JSON.parse(res.text) as { data: Record<string, unknown> }).data;
const date = (value: string): Promise<RawResponse> => rawGet(port, `/conv/date?d=${encodeURIComponent(value)}`);

describe('-0 binds as 0', () => {
  it.each(['-0', '-0.0', '-0e5', '-0.000'])('query %s → 0, not -0', async (value) => {
    const res = await rawGet(port, `/conv/num?n=${value}`);
    expect(res.status).toBe(200);
    expect(data(res)).toEqual({ n: 0, negativeZero: false });
  });
  it('a JSON -0 too', async () => {
    const res = await rawRequest(port, { method: 'POST', target: '/conv/num', headers: { 'Content-Type': 'application/json' }, body: '{"n":-0}' });
    expect(data(res)).toEqual({ n: 0, negativeZero: false });
  });
});

describe('dates in years 0000–0099 are those years', () => {
  it.each([
    ['0000-01-01', '0000-01-01T00:00:00.000Z', 0],
    ['0001-02-03', '0001-02-03T00:00:00.000Z', 1],
    ['0050-06-15T12:30:00Z', '0050-06-15T12:30:00.000Z', 50],
    ['0099-12-31 23:59:59.999+00:00', '0099-12-31T23:59:59.999Z', 99],
    ['0004-02-29', '0004-02-29T00:00:00.000Z', 4],
  ])('%s → %s', async (value, iso, year) => {
    const res = await date(value);
    expect(res.status).toBe(200);
    expect(data(res)).toEqual({ iso, year });
  });
  it.each(['0001-02-29', '0100-02-29', '0050-13-01', '0050-00-10', '0050-04-31'])('%s does not exist → 400', async (value) => {
    const res = await date(value);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});

describe('times and zones out of range are 400s', () => {
  it.each([
    '2024-01-02T24:00', '2024-01-02T24:00:00Z', '2024-01-02T23:60', '2024-01-02T12:00:60Z', '2024-01-02T25:00',
    '2024-01-02T10:00+24:00', '2024-01-02T10:00+05:60', '2024-01-02T10:00+9', '2024-01-02T10', '2024-01-02T10:00:00.Z',
  ])('%s → 400 VALIDATION_ERROR (isDate)', async (value) => {
    const res = await date(value);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ code: 'VALIDATION_ERROR', meta: { constraints: { d: ['isDate'] } } });
  });
  it.each([
    ['2024-01-02T23:59:59.999999999Z', '2024-01-02T23:59:59.999Z'],
    ['2024-01-02T10:00+05:45', '2024-01-02T04:15:00.000Z'],
    ['2024-01-02T10:00-0330', '2024-01-02T13:30:00.000Z'],
    ['2024-01-02T00:30+01:00', '2024-01-01T23:30:00.000Z'],
  ])('%s → %s', async (value, iso) => {
    expect(data(await date(value))).toMatchObject({ iso });
  });
});

describe('a date-time without a zone is UTC, whatever the server time zone', () => {
  it('in-process: 2024-01-02T10:00 → 10:00Z', async () => {
    expect(data(await date('2024-01-02T10:00'))).toMatchObject({ iso: '2024-01-02T10:00:00.000Z' });
    expect(data(await date('2024-07-02 10:00:30'))).toMatchObject({ iso: '2024-07-02T10:00:30.000Z' });
  });

  it.each(['Asia/Kathmandu', 'America/St_Johns', 'Pacific/Kiritimati'])('in a process with TZ=%s', (tz) => {
    const convert = join(__dirname, '..', '..', 'src', 'http', 'binding', 'convert.ts');
    const script = `const { parseIsoDate } = require(${JSON.stringify(convert)});
      const out = ['2024-01-02T10:00', '2024-07-02 10:00:30', '2024-01-02', '0050-06-15T12:30'].map((v) => parseIsoDate(v).toISOString());
      process.stdout.write(JSON.stringify({ out, offset: new Date(2024, 0, 2).getTimezoneOffset() }));`;
    const child = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
      env: { ...process.env, TZ: tz, TS_NODE_TRANSPILE_ONLY: 'true' }, encoding: 'utf8', timeout: 60_000,
    });
    expect(child.stderr).toBe('');
    const result = JSON.parse(child.stdout) as { out: string[]; offset: number };
    expect(result.offset).not.toBe(0);
    expect(result.out).toEqual(['2024-01-02T10:00:00.000Z', '2024-07-02T10:00:30.000Z', '2024-01-02T00:00:00.000Z', '0050-06-15T12:30:00.000Z']);
  });
});
