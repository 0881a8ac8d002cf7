// Onion wire-format edges (spec/onion.md §2–§3, §8): base64 input types and alphabet, the 10 MiB
// frame limit at its boundary, `hop_no` and control-flag validation of a relay layer, relay-to-
// server protocol, storage request options (max_count, expire without a mode), seed URLs of the
// fetch transport, and wiping a half-built request.
import { describe, expect, it } from 'vitest';
import { ed25519VerifySync } from '../../src/crypto/noble.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import { fromBase64 } from '../../src/onion/base64.js';
import { encodeOnionFrame, MAX_ONION_REQUEST_SIZE } from '../../src/onion/frame.js';
import { hopEncrypt, onionEphemeralKeyPair } from '../../src/onion/hop.js';
import { sortedJsonBytes, type JsonInput } from '../../src/onion/json.js';
import { wipeOnionRequest } from '../../src/onion/onion-request.js';
import { classifyOnionLayer, openOnionLayer } from '../../src/onion/relay.js';
import { buildExpireRequest, buildRetrieveRequest } from '../../src/onion/storage.js';
import { createFetchTransport } from '../../src/onion/transport.js';

const enc = new TextEncoder();
const code = (c: string) => expect.objectContaining({ code: c });

describe('fromBase64 input', () => {
  it('refuses non-strings as INVALID_INPUT and characters beyond ASCII as INVALID_ENCODING', () => {
    for (const v of [undefined, 5, enc.encode('AAAA')]) expect(() => fromBase64(v as never)).toThrow(code('INVALID_INPUT'));
    for (const s of ['AAé=', 'ＡＡＡＡ', 'AA\u0100A']) expect(() => fromBase64(s)).toThrow(code('INVALID_ENCODING'));
    expect(fromBase64('AAAA')).toEqual(new Uint8Array(3));
  });
});

describe('onion frame size limit', () => {
  it('accepts a frame of exactly MAX_ONION_REQUEST_SIZE bytes and refuses one byte more with TOO_LARGE', () => {
    const json = enc.encode('{}');
    const blob = new Uint8Array(MAX_ONION_REQUEST_SIZE - 4 - json.length);
    expect(encodeOnionFrame(blob, json)).toHaveLength(MAX_ONION_REQUEST_SIZE);
    expect(() => encodeOnionFrame(new Uint8Array(blob.length + 1), json)).toThrow(code('TOO_LARGE'));
  });
});

describe('relay layers', () => {
  it('hop_no must be a non-negative integer; a valid one is reported', async () => {
    const node = await onionEphemeralKeyPair();
    const eph = await onionEphemeralKeyPair();
    const inner = enc.encode('layer');
    const blob = await hopEncrypt('xchacha20', eph.secretKey, node.publicKey, inner, { localPublicKey: eph.publicKey });
    const frame = (hop_no?: unknown) =>
      // JSON.stringify, not sortedJsonBytes: the frame must be able to carry a fractional hop_no.
      encodeOnionFrame(blob, enc.encode(JSON.stringify({ enc_type: 'xchacha20', ephemeral_key: Buffer.from(eph.publicKey).toString('hex'), ...(hop_no === undefined ? {} : { hop_no }) })));
    for (const bad of [-1, 1.5, '2', true]) await expect(openOnionLayer(node.secretKey, frame(bad))).rejects.toMatchObject({ code: 'INVALID_ENCODING' });
    expect(await openOnionLayer(node.secretKey, frame(2))).toMatchObject({ hopNumber: 2, plaintext: inner });
    expect(await openOnionLayer(node.secretKey, frame())).toMatchObject({ hopNumber: 0 });
  });

  const layer = (meta: Record<string, JsonInput>) => encodeOnionFrame(enc.encode('body'), sortedJsonBytes(meta));

  it('final-destination control flags must be booleans; defaults are json=false, base64=true', () => {
    expect(classifyOnionLayer(layer({ headers: '' }))).toMatchObject({ type: 'final_destination', json: false, base64: true });
    expect(classifyOnionLayer(layer({ headers: '', json: true, base64: false }))).toMatchObject({ json: true, base64: false });
    for (const v of ['true', 1, null]) expect(() => classifyOnionLayer(layer({ headers: '', json: v }))).toThrow(code('INVALID_ENCODING'));
  });

  it('relay-to-server accepts only http and https (default https, port 443)', () => {
    const base = { host: 'example.org', target: '/oxen/v4/lsrpc' };
    expect(classifyOnionLayer(layer(base))).toMatchObject({ type: 'relay_to_server', protocol: 'https', port: 443 });
    expect(classifyOnionLayer(layer({ ...base, protocol: 'http', port: 80 }))).toMatchObject({ protocol: 'http', port: 80 });
    for (const protocol of ['ftp', 'HTTPS', 5]) expect(() => classifyOnionLayer(layer({ ...base, protocol }))).toThrow(code('INVALID_ENCODING'));
  });
});

describe('storage request options', () => {
  const alice = identityFromSeed(new Uint8Array(32).fill(0x0a));
  const auth = { pubkey: alice.sessionId, ed25519SecretKey: alice.ed25519SecretKey };

  it('retrieve carries max_count when given', async () => {
    const r = await buildRetrieveRequest({ auth, timestamp: 1_700_000_000_000, maxCount: 5 });
    expect(r.params.max_count).toBe(5);
    expect((await buildRetrieveRequest({ auth, timestamp: 1_700_000_000_000 })).params.max_count).toBeUndefined();
  });

  it('expire without a mode sets the expiry both ways and signs "expire" ‖ expiry ‖ hashes', async () => {
    const expiryMs = Date.now() + 3_600_000;
    const r = await buildExpireRequest({ auth, messages: ['h1', 'h2'], expiryMs });
    expect(r.params.shorten).toBeUndefined();
    expect(r.params.extend).toBeUndefined();
    const sig = fromBase64(r.params.signature as string);
    expect(ed25519VerifySync(sig, enc.encode(`expire${expiryMs}h1h2`), alice.ed25519PublicKey)).toBe(true);
  });
});

describe('fetch transport seed URLs', () => {
  it('appends json_rpc with exactly one slash', async () => {
    const urls: string[] = [];
    const t = createFetchTransport({
      fetch: async (url) => {
        urls.push(url);
        return { status: 200, arrayBuffer: async () => new ArrayBuffer(0) } as never;
      },
    });
    await t.seedRequest({ url: 'https://seed1.example/' }, new Uint8Array(0));
    await t.seedRequest({ url: 'https://seed2.example' }, new Uint8Array(0));
    expect(urls).toEqual(['https://seed1.example/json_rpc', 'https://seed2.example/json_rpc']);
  });
});

describe('wipeOnionRequest', () => {
  it('accepts a half-built request (no final key, no layer keys) without throwing', () => {
    expect(() => wipeOnionRequest({} as never)).not.toThrow();
    expect(() => wipeOnionRequest({ finalEphemeral: undefined, layerKeys: [{ ephemeralSecretKey: undefined }] } as never)).not.toThrow();
  });
});
