import { appendVary, mergeVary } from '../../src/internal/vary';

describe('mergeVary / appendVary', () => {
  it('keeps every name once, first spelling and order', () => {
    expect(mergeVary('Origin', 'HX-Request, origin', ['LS-Layout', 'hx-request'])).toBe('Origin, HX-Request, LS-Layout');
  });

  it('ignores empty and missing values, and * absorbs everything', () => {
    expect(mergeVary(undefined, '', ' , ', null)).toBe('');
    expect(mergeVary('Origin', '*', 'Accept')).toBe('*');
  });

  it('appends to what a reply already carries', () => {
    const headers: Record<string, unknown> = { vary: 'Origin' };
    const reply = { getHeader: (n: string) => headers[n], header: (n: string, v: string) => { headers[n] = v; } };
    appendVary(reply, 'accept-encoding');
    appendVary(reply, 'Accept-Encoding');
    expect(headers.vary).toBe('Origin, accept-encoding');
  });
});
