// Onion replies at the edges (spec/onion.md §3.1–§3.2): a hop that answers "200" under its own
// layer key is still an error, a hop whose identity the caller did not record is reported without
// one, and a guard's non-200 2xx status is not a path error.
import { describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/onion/base64.js';
import { hopEncrypt, onionEphemeralKeyPair } from '../../src/onion/hop.js';
import { buildOnionRequest, type OnionRequest } from '../../src/onion/onion-request.js';
import { OnionRelayError, readServerResponse, readSnodeResponse } from '../../src/onion/onion-response.js';
import { encodeV4Response } from '../../src/onion/v4.js';
import { bencode } from '../../src/util/bencode.js';

const enc = new TextEncoder();

/** A 3-hop request to a snode or server destination, with every hop's X25519 key pair. */
async function setup(kind: 'snode' | 'server') {
  const nodes = await Promise.all([0, 1, 2, 3].map(() => onionEphemeralKeyPair()));
  const path = nodes.slice(0, 3).map((n, i) => ({ ed25519PublicKey: new Uint8Array(32).fill(i + 1), x25519PublicKey: n.publicKey }));
  const destination =
    kind === 'snode'
      ? { type: 'snode' as const, ed25519PublicKey: new Uint8Array(32).fill(9), x25519PublicKey: nodes[3]!.publicKey }
      : { type: 'server' as const, host: 'example.test', target: '/oxen/v4/lsrpc', protocol: 'https' as const, x25519PublicKey: nodes[3]!.publicKey };
  const req: OnionRequest = await buildOnionRequest({ encType: 'xchacha20', path, destination, payload: enc.encode('{}') });
  /** The reply of path hop `hop` (0 = guard) sealed with that hop's layer key. */
  const hopReply = (hop: number, json: string) => {
    const layer = req.layerKeys.length - 1 - hop;
    return hopEncrypt('xchacha20', nodes[hop]!.secretKey, req.layerKeys[layer]!.ephemeralPublicKey, enc.encode(json), { server: true });
  };
  const destinationReply = (plain: Uint8Array) => hopEncrypt('xchacha20', nodes[3]!.secretKey, req.finalEphemeral.publicKey, plain, { server: true });
  return { req, hopReply, destinationReply };
}

const caught = async (p: Promise<unknown>): Promise<OnionRelayError> => {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(OnionRelayError);
  return e as OnionRelayError;
};

describe('replies sealed by a path hop', () => {
  it('a hop reply claiming status 200 is an ONION_ERROR, never a success', async () => {
    const { req, hopReply } = await setup('snode');
    const body = toBase64(await hopReply(1, '{"body":"ok","status":200}'));
    const e = await caught(readSnodeResponse(req, 200, body));
    expect(e).toMatchObject({ code: 'ONION_ERROR', status: 200, source: 'path', layer: 2, node: '02'.repeat(32) });
  });

  it('names no node when the caller\'s layer keys do not record the hop\'s identity', async () => {
    const { req, hopReply } = await setup('server');
    const anonymous = { ...req, layerKeys: req.layerKeys.map((k) => ({ ...k, remoteEd25519PublicKey: undefined })) };
    // Relays answer in the v3 form (base64) even on a v4 request.
    const reply = enc.encode(toBase64(await hopReply(2, '{"body":"Invalid url","status":400}')));
    const e = await caught(readServerResponse(anonymous, 200, reply));
    expect(e).toMatchObject({ code: 'ONION_ERROR', status: 400, layer: 1, node: undefined, body: 'Invalid url' });
    expect(e.message).toContain('path hop 2 rejected its layer');
    // the same reply with identities recorded names the hop
    expect(await caught(readServerResponse(req, 200, reply))).toMatchObject({ node: '03'.repeat(32) });
  });
});

describe('v4 reply headers', () => {
  it('keeps string header values and drops any other JSON type', async () => {
    const v = await setup('server');
    const info = enc.encode('{"code":200,"headers":{"content-type":"text/plain","x-count":5,"x-list":["a"],"x-null":null}}');
    const r = await readServerResponse(v.req, 200, await v.destinationReply(bencode([info, enc.encode('hi')])));
    expect(r.headers).toEqual({ 'content-type': 'text/plain' });
    expect(r.info.headers).toMatchObject({ 'x-count': 5 }); // still visible in the raw info
  });
});

describe('guard status codes', () => {
  it('a 2xx other than 200 from the guard is read as the destination\'s reply, not a path error', async () => {
    const s = await setup('snode');
    const snodeBody = toBase64(await s.destinationReply(enc.encode('{"body":"fine","status":200}')));
    expect(await readSnodeResponse(s.req, 202, snodeBody)).toEqual({ status: 200, body: 'fine' });
    const v = await setup('server');
    const serverBody = await v.destinationReply(encodeV4Response({ status: 200 }, enc.encode('pong')));
    const r = await readServerResponse(v.req, 204, serverBody);
    expect(r.status).toBe(200);
    expect(new TextDecoder().decode(r.body)).toBe('pong');
  });

  it('a 3xx from the guard is a path error even with a decryptable body', async () => {
    const s = await setup('snode');
    const body = toBase64(await s.destinationReply(enc.encode('{"body":"fine","status":200}')));
    expect(await caught(readSnodeResponse(s.req, 302, body))).toMatchObject({ code: 'ONION_ERROR', status: 302, source: 'path' });
  });
});
