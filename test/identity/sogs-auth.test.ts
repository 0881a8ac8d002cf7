// X-SOGS request authentication (spec/identity-envelope.md §4.4) and version-server request
// signing (§4.5): Desktop's upstream vectors, the libsession-nonce derived extra, blind25 and
// unblinded modes, negatives and properties.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type _sodium from 'libsodium-wrappers-sumo';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';
import { loadSodium } from '../helpers/sodium.js';
import {
  blind15KeyPair,
  blind25KeyPair,
  identityFromSeed,
  sogsRequestHeaders,
  sogsSignatureMessage,
  verifyEd25519,
  versionBlindKeyPair,
  versionBlindSignRequest,
  type SogsRequest,
} from '../../src/identity/index.js';
import { isSessionSdkError, SessionSdkError } from '../../src/errors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const V = loadVectors<any>('identity-envelope/blinding.json');
const b64 = (s: string) => Uint8Array.from(Buffer.from(s, 'base64'));
const utf8 = (s: string) => new TextEncoder().encode(s);

function expectCode(fn: () => unknown, code: string): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, `expected SessionSdkError ${code}`).toBeInstanceOf(SessionSdkError);
  expect((err as SessionSdkError).code).toBe(code);
}

let sodium: typeof _sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function requestOf(input: any): SogsRequest {
  const body = input.body_hex !== undefined ? hex(input.body_hex) : input.body_utf8 !== undefined ? input.body_utf8 : null;
  return { method: input.method, path: input.path, body };
}

describe('X-SOGS headers — upstream vectors (Session Desktop OpenGroupAuthentication_test.ts)', () => {
  const vs = V.sogs_request_signing as any[];
  it('has the 4 upstream vectors', () => {
    expect(vs).toHaveLength(4);
    expect(vs.every((v) => v.origin === 'upstream')).toBe(true);
  });
  for (const [i, v] of vs.entries()) {
    it(`#${i + 1}: ${v.input.blinded ? 'blinded' : 'unblinded'}, ${v.input.body_utf8 !== undefined ? 'with' : 'no'} body`, () => {
      const sk = hex(v.input.ed25519_sk64);
      const req = requestOf(v.input);
      const headers = sogsRequestHeaders(sk, v.input.server_pk, req, {
        mode: v.input.blinded ? 'blind15' : 'unblinded',
        nonce: hex(v.input.nonce_hex),
        timestamp: v.input.timestamp,
        // Desktop signs blind15 with its own nonce variant (spec §4.3); replay it byte for byte.
        blind15NonceVariant: 'desktop',
      });
      for (const [k, want] of Object.entries(v.expected)) expect(headers[k as keyof typeof headers], k).toBe(want);
      expect(headers['X-SOGS-Nonce']).toBe(v.input.nonce_b64);
      expect(headers['X-SOGS-Timestamp']).toBe(String(v.input.timestamp));
      // The signature verifies against the key in X-SOGS-Pubkey over the documented message.
      const msg = sogsSignatureMessage(v.input.server_pk, hex(v.input.nonce_hex), v.input.timestamp, req);
      expect(verifyEd25519(b64(headers['X-SOGS-Signature']), msg, hex(headers['X-SOGS-Pubkey'].slice(2)))).toBe(true);
      if (v.derived_intermediates?.body_blake2b64) {
        expect(toHex(msg.subarray(msg.length - 64))).toBe(v.derived_intermediates.body_blake2b64);
      }
    });
  }
  it('#1 with the libsession nonce variant (the default) gives the derived signature', () => {
    const v = vs[0];
    const headers = sogsRequestHeaders(hex(v.input.ed25519_sk64), v.input.server_pk, requestOf(v.input), {
      nonce: hex(v.input.nonce_hex),
      timestamp: v.input.timestamp,
    });
    expect(headers['X-SOGS-Signature']).toBe(v.derived.libsession_variant_signature_b64);
    expect(headers['X-SOGS-Pubkey']).toBe(v.expected['X-SOGS-Pubkey']);
  });
});

describe('signed message layout', () => {
  it('serverPk ‖ nonce ‖ ts ‖ METHOD ‖ path [‖ BLAKE2b-64(body)] (libsodium generichash)', () => {
    const server = new Uint8Array(32).fill(7);
    const nonce = new Uint8Array(16).fill(9);
    const body = utf8('{"a":1}');
    const m = sogsSignatureMessage(server, nonce, 1700000000, { method: 'POST', path: '/room/x/message?q=é', body });
    const want = new Uint8Array([
      ...server,
      ...nonce,
      ...utf8('1700000000POST/room/x/message?q=é'),
      ...sodium.crypto_generichash(64, body, null),
    ]);
    expect(toHex(m)).toBe(toHex(want));
    // A string body is its UTF-8; an empty body counts as no body.
    expect(toHex(sogsSignatureMessage(server, nonce, 1700000000, { method: 'POST', path: '/room/x/message?q=é', body: '{"a":1}' }))).toBe(toHex(want));
    const noBody = sogsSignatureMessage(server, nonce, 5, { method: 'GET', path: '/' });
    expect(toHex(sogsSignatureMessage(server, nonce, 5, { method: 'GET', path: '/', body: '' }))).toBe(toHex(noBody));
    expect(toHex(sogsSignatureMessage(server, nonce, 5, { method: 'GET', path: '/', body: new Uint8Array(0) }))).toBe(toHex(noBody));
    expect(noBody.length).toBe(32 + 16 + 1 + 3 + 1);
  });
});

describe('modes, defaults and randomness', () => {
  const id = identityFromSeed(new Uint8Array(32).fill(3));
  const server = 'c3b3c6f32f0ab5a57f853cc4f30f5da7fda5624b0c77b3fb0829de562ada081d';
  const req = { method: 'GET', path: '/capabilities' };

  it('blind25 mode: 25-prefixed key, signature verifies against it', () => {
    const h = sogsRequestHeaders(id.ed25519SecretKey, server, req, { mode: 'blind25', nonce: new Uint8Array(16), timestamp: 1 });
    expect(h['X-SOGS-Pubkey']).toBe('25' + toHex(blind25KeyPair(id.ed25519SecretKey, server).publicKey));
    const msg = sogsSignatureMessage(server, new Uint8Array(16), 1, req);
    expect(verifyEd25519(b64(h['X-SOGS-Signature']), msg, blind25KeyPair(id.seed, server).publicKey)).toBe(true);
  });

  it('unblinded mode uses the real key and a plain Ed25519 signature (libsodium)', () => {
    const h = sogsRequestHeaders(id.seed, server, req, { mode: 'unblinded', nonce: new Uint8Array(16), timestamp: 1 });
    expect(h['X-SOGS-Pubkey']).toBe('00' + toHex(id.ed25519PublicKey));
    const msg = sogsSignatureMessage(server, new Uint8Array(16), 1, req);
    expect(toHex(b64(h['X-SOGS-Signature']))).toBe(toHex(sodium.crypto_sign_detached(msg, id.ed25519SecretKey)));
  });

  it('defaults: blind15, fresh 16-byte nonce, current time', () => {
    const before = Math.floor(Date.now() / 1000);
    const a = sogsRequestHeaders(id.ed25519SecretKey, server, req);
    const b = sogsRequestHeaders(id.ed25519SecretKey, server, req);
    const after = Math.floor(Date.now() / 1000);
    expect(a['X-SOGS-Pubkey']).toBe('15' + toHex(blind15KeyPair(id.ed25519SecretKey, server).publicKey));
    expect(b64(a['X-SOGS-Nonce'])).toHaveLength(16);
    expect(a['X-SOGS-Nonce']).not.toBe(b['X-SOGS-Nonce']);
    const ts = Number(a['X-SOGS-Timestamp']);
    expect(ts).toBeGreaterThanOrEqual(before);
    expect(ts).toBeLessThanOrEqual(after);
    const msg = sogsSignatureMessage(server, b64(a['X-SOGS-Nonce']), ts, req);
    expect(verifyEd25519(b64(a['X-SOGS-Signature']), msg, hex(a['X-SOGS-Pubkey'].slice(2)))).toBe(true);
  });
});

describe('version-server request signing (07 key) — upstream vector', () => {
  it('blind_version_sign(desktop, 1234567890) (test_blinding.cpp:298-305)', () => {
    const v = V.version_blinding[1];
    const sk = hex(v.input.ed25519_sk64);
    const sig = versionBlindSignRequest(sk, 1234567890, { method: 'GET', path: '/session_version?platform=desktop' });
    expect(toHex(sig)).toBe(v.expected.signature);
    expect(v.input.signed_message_utf8).toBe('1234567890GET/session_version?platform=desktop');
  });
  it('a body is appended raw (not hashed)', () => {
    const sk = hex(V.version_blinding[0].input.ed25519_sk64);
    const kp = versionBlindKeyPair(sk);
    const sig = versionBlindSignRequest(sk, 7, { method: 'POST', path: '/x', body: 'hi' });
    expect(toHex(sig)).toBe(toHex(sodium.crypto_sign_detached(utf8('7POST/xhi'), kp.secretKey)));
  });
});

describe('negative inputs', () => {
  const sk = hex(V.sogs_request_signing[0].input.ed25519_sk64);
  const server = V.sogs_request_signing[0].input.server_pk as string;
  const req = { method: 'GET', path: '/room' };
  it('nonce, timestamp, method, path, body, mode', () => {
    expectCode(() => sogsRequestHeaders(sk, server, req, { nonce: new Uint8Array(15) }), 'INVALID_LENGTH');
    expectCode(() => sogsRequestHeaders(sk, server, req, { nonce: 'abc' as unknown as Uint8Array }), 'INVALID_INPUT');
    for (const t of [-1, 1.5, Number.NaN, 2 ** 60]) expectCode(() => sogsRequestHeaders(sk, server, req, { timestamp: t }), 'INVALID_INPUT');
    for (const m of ['', 'GE T', 'GET\n', 'ÖPTIONS']) expectCode(() => sogsRequestHeaders(sk, server, { method: m, path: '/' }), 'INVALID_INPUT');
    for (const p of ['', 'room', 42]) expectCode(() => sogsRequestHeaders(sk, server, { method: 'GET', path: p as string }), 'INVALID_INPUT');
    expectCode(() => sogsRequestHeaders(sk, server, { ...req, body: [1] as unknown as Uint8Array }), 'INVALID_INPUT');
    expectCode(() => sogsRequestHeaders(sk, server, null as unknown as SogsRequest), 'INVALID_INPUT');
    expectCode(() => sogsRequestHeaders(sk, server, req, { mode: 'blind16' as 'blind15' }), 'INVALID_INPUT');
    expectCode(() => sogsRequestHeaders(sk, server, req, { blind15NonceVariant: 'ios' as 'desktop' }), 'INVALID_INPUT');
    expectCode(() => versionBlindSignRequest(sk, -5, req), 'INVALID_INPUT');
  });
  it('keys', () => {
    expectCode(() => sogsRequestHeaders(sk.subarray(0, 31), server, req), 'INVALID_LENGTH');
    expectCode(() => sogsRequestHeaders(sk, server.slice(1), req), 'INVALID_LENGTH');
    expectCode(() => sogsRequestHeaders(sk, '00'.repeat(32), req, { mode: 'unblinded' }), 'SMALL_ORDER_KEY');
    const bad = sk.slice();
    bad[63]! ^= 1;
    expectCode(() => sogsRequestHeaders(bad, server, req, { mode: 'unblinded' }), 'INVALID_KEY');
    expectCode(() => versionBlindSignRequest(bad, 1, req), 'INVALID_KEY');
  });
});

describe('properties', () => {
  it('any valid request signs and verifies in every mode; garbage only throws SessionSdkError', () => {
    const id = identityFromSeed(new Uint8Array(32).fill(11));
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.constantFrom('blind15', 'blind25', 'unblinded') as fc.Arbitrary<'blind15' | 'blind25' | 'unblinded'>,
        fc.stringMatching(/^[A-Z]{1,7}$/),
        fc.string({ maxLength: 40 }).map((s) => '/' + s),
        fc.option(fc.oneof(fc.string({ maxLength: 40 }), fc.uint8Array({ maxLength: 64 }))),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        (server, mode, method, path, body, timestamp, nonce) => {
          let h;
          try {
            h = sogsRequestHeaders(id.ed25519SecretKey, server, { method, path, body }, { mode, timestamp, nonce });
          } catch (e) {
            expect(isSessionSdkError(e, 'SMALL_ORDER_KEY')).toBe(true);
            return;
          }
          const msg = sogsSignatureMessage(server, nonce, timestamp, { method, path, body });
          expect(verifyEd25519(b64(h['X-SOGS-Signature']), msg, hex(h['X-SOGS-Pubkey'].slice(2)))).toBe(true);
          expect(b64(h['X-SOGS-Nonce'])).toEqual(nonce);
        },
      ),
      { seed: 42, numRuns: 60 },
    );
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (method, path) => {
        try {
          sogsSignatureMessage(new Uint8Array(32).fill(1), new Uint8Array(16), 0, { method, path } as SogsRequest);
        } catch (e) {
          expect(isSessionSdkError(e)).toBe(true);
        }
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
