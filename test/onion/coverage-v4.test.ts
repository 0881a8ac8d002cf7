// Onion v4 payloads (spec/onion.md §2.5, §3.2): request validation, the libsession and desktop
// info-JSON styles, and decoding a request as the server behind the last hop sees it.
import { describe, expect, it } from 'vitest';
import { decodeV4Request, encodeV4Request, type V4Request } from '../../src/onion/v4.js';
import { fromUtf8, utf8 } from '../../src/util/bytes.js';

const code = (c: string) => expect.objectContaining({ code: c });

describe('encodeV4Request', () => {
  it('rejects a non-object request and malformed headers with INVALID_INPUT', () => {
    expect(() => encodeV4Request(null as unknown as V4Request)).toThrow(code('INVALID_INPUT'));
    expect(() => encodeV4Request({ method: 'GET', endpoint: '/x', headers: ['a'] as unknown as Record<string, string> })).toThrow(code('INVALID_INPUT'));
    expect(() => encodeV4Request({ method: 'GET', endpoint: '/x', headers: { a: 1 as unknown as string } })).toThrow(code('INVALID_INPUT'));
    expect(() => encodeV4Request({ method: 'GET', endpoint: '/x', headers: { '': 'v' } })).toThrow(code('INVALID_INPUT'));
    expect(() => encodeV4Request({ method: 'GET', endpoint: '/x', headers: { a: 'x\r\ny: z' } })).toThrow(code('INVALID_INPUT'));
  });

  it('rejects an unknown style', () => {
    expect(() => encodeV4Request({ method: 'GET', endpoint: '/x' }, { style: 'curl' as 'desktop' })).toThrow(code('INVALID_INPUT'));
  });

  it('desktop style keeps method/endpoint/headers order and the headers as given', () => {
    const { info, body } = decodeV4Request(encodeV4Request({ method: 'POST', endpoint: 'room', headers: { 'User-Agent': 'x' }, body: '{}' }, { style: 'desktop' }));
    expect(Object.keys(info)).toEqual(['method', 'endpoint', 'headers']);
    expect(info).toEqual({ method: 'POST', endpoint: 'room', headers: { 'User-Agent': 'x' } });
    expect(fromUtf8(body!)).toBe('{}');
    // Without headers, desktop still sends an empty object.
    expect(decodeV4Request(encodeV4Request({ method: 'GET', endpoint: '/a' }, { style: 'desktop' })).info.headers).toEqual({});
    expect(() => encodeV4Request({ method: 'GET', endpoint: '/a', headers: { h: '\ud800' } }, { style: 'desktop' })).toThrow(code('INVALID_INPUT'));
  });

  it('libsession style keeps a caller Content-Type (any case) instead of adding one', () => {
    const { info } = decodeV4Request(encodeV4Request({ method: 'POST', endpoint: '/f', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array([1]) }));
    expect(info.headers).toEqual({ 'content-type': 'application/octet-stream' });
    const noBody = decodeV4Request(encodeV4Request({ method: 'GET', endpoint: '/f' }));
    expect(noBody.info.headers).toEqual({});
    expect(noBody.body).toBeUndefined();
  });
});

describe('decodeV4Request', () => {
  it('requires bytes, and string method and endpoint', () => {
    expect(() => decodeV4Request('l1:xe' as unknown as Uint8Array)).toThrow(code('INVALID_INPUT'));
    const info = utf8('{"method":1,"endpoint":"/x"}');
    const bencoded = new Uint8Array([...utf8(`l${info.length}:`), ...info, ...utf8('e')]);
    expect(() => decodeV4Request(bencoded)).toThrow(code('INVALID_ENCODING'));
  });
});
