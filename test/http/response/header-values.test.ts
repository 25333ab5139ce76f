import { LokstraError } from '../../../src/index';
import { checkHeader, hxTriggerValue, redirectTarget } from '../../../src/http/response/header-values';

// Unit rows behind test/reliability/header-helpers.test.ts: what a header helper sends or refuses.

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (err) {
    return LokstraError.is(err) ? err.code : String(err);
  }
};

describe('redirectTarget', () => {
  it.each([
    ['/a', '/a'], ['?q=1', '?q=1'], ['#top', '#top'], ['../up', '../up'], ['a/b', 'a/b'], ['/a b', '/a%20b'], ['/ü', '/%C3%BC'], ['/😀', '/%F0%9F%98%80'],
  ])('keeps same-site %j as %j', (input, output) => {
    expect(redirectTarget('location', input)).toBe(output);
  });

  it.each(['//x.com', '/\\x.com', '\\\\x.com', 'https://x.com', 'x:y', 'javascript:1', 'data:,x', '/\t/x.com', '/\n/x.com', '\u0000/x', '', '/\ud800'])(
    'refuses %j with LKS_ERR_RESPONSE_HEADER_INVALID',
    (input) => {
      expect(code(() => redirectTarget('location', input))).toBe('LKS_ERR_RESPONSE_HEADER_INVALID');
    },
  );

  it('allows http(s) targets with external, nothing else', () => {
    expect(redirectTarget('location', 'https://x.com/ü', { external: true })).toBe('https://x.com/%C3%BC');
    expect(redirectTarget('location', '/local', { external: true })).toBe('/local');
    for (const bad of ['javascript:1', 'ftp://x.com', 'mailto:a@b.c']) expect(code(() => redirectTarget('location', bad, { external: true }))).toBe('LKS_ERR_RESPONSE_HEADER_INVALID');
  });
});

describe('hxTriggerValue', () => {
  it('keeps a plain name, wraps non-ASCII names and details in ASCII-only JSON', () => {
    expect(hxTriggerValue('saved')).toBe('saved');
    expect(hxTriggerValue('é')).toBe('{"\\u00e9":null}');
    expect(hxTriggerValue('saved', { a: '中\n' })).toBe('{"saved":{"a":"\\u4e2d\\n"}}');
  });
  it('refuses empty names and control characters in a bare name', () => {
    expect(code(() => hxTriggerValue(''))).toBe('LKS_ERR_RESPONSE_HEADER_INVALID');
    expect(code(() => hxTriggerValue('a\r\nb'))).toBe('LKS_ERR_RESPONSE_HEADER_INVALID');
  });
});

describe('checkHeader', () => {
  it('accepts visible ASCII, tabs and Latin-1', () => {
    expect(checkHeader('x-a', 'v\t1; é')).toBe('v\t1; é');
  });
  it.each(['a\rb', 'a\nb', 'a\u0000b', 'a\u001bb', '中'])('refuses the value %j', (value) => {
    expect(code(() => checkHeader('x-a', value))).toBe('LKS_ERR_RESPONSE_HEADER_INVALID');
  });
  it.each(['', 'x a', 'x:a', 'x\r\n'])('refuses the name %j', (name) => {
    expect(code(() => checkHeader(name, 'v'))).toBe('LKS_ERR_RESPONSE_HEADER_INVALID');
  });
});
