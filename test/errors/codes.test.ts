import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, HttpError, LokstraError } from '../../src/index';

function docsTable(): Map<string, { status: number; message: string }> {
  const text = readFileSync(join(__dirname, '..', '..', 'docs', 'errors.md'), 'utf8');
  const rows = new Map<string, { status: number; message: string }>();
  for (const line of text.split('\n')) {
    const m = /^\| `(LKS_ERR_[A-Z_]+)` \| (\d+) \| (.*?) \| .* \|$/.exec(line);
    if (m) rows.set(m[1] as string, { status: Number(m[2]), message: (m[3] as string).replace(/\\\|/g, '|') });
  }
  return rows;
}

describe('error code registry', () => {
  it('agrees with the table in docs/errors.md', () => {
    const docs = docsTable();
    const registry = new Map(Object.entries(ERROR_CODES).map(([k, v]) => [k, { status: v.status, message: v.message }]));
    expect(docs).toEqual(registry);
  });

  it('uses LKS_ERR_<AREA>_<PROBLEM> with a known area for every code', () => {
    const areas = ['CONFIG', 'DI', 'DECORATOR', 'ROUTE', 'BIND', 'RESPONSE', 'MIDDLEWARE', 'SERVICE', 'HTMX', 'CLI', 'MIGRATION'];
    for (const code of Object.keys(ERROR_CODES)) {
      expect(code).toMatch(new RegExp(`^LKS_ERR_(${areas.join('|')})_[A-Z_]+$`));
    }
  });

  it('fills message templates and recognises errors across copies by brand', () => {
    const err = new LokstraError('LKS_ERR_DI_CYCLE', { cycle: 'a -> b -> a' });
    expect(err.message).toBe('dependency cycle: a -> b -> a');
    expect(LokstraError.is(err)).toBe(true);
    expect(LokstraError.is({ [Symbol.for('lokstra.error')]: true })).toBe(true);
    expect(LokstraError.is(new Error('x'))).toBe(false);
    expect(HttpError.is(HttpError.notFound())).toBe(true);
    expect(HttpError.notFound().code).toBe('NOT_FOUND');
    expect(HttpError.duplicate().code).toBe('DUPLICATE');
  });
});
