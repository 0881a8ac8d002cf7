// Onion request building (spec/onion.md §2): derived full 3-hop vectors (libsession layout, v4
// server destination, desktop style), v4 request encoding, storage-server layer classification,
// peeling round trips at every path length, negative and property tests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSessionSdkError, SessionSdkError } from '../../src/errors.js';
import { decodeOnionFrame, encodeOnionFrame, parseOnionFrame } from '../../src/onion/frame.js';
import { hopDecrypt, onionEphemeralKeyPair, type OnionEncType } from '../../src/onion/hop.js';
import {
  buildOnionRequest,
  encodeSnodeRequest,
  isAllowedRelayTarget,
  wipeOnionRequest,
  type BuildOnionRequestOptions,
  type ServerDestination,
  type SnodeDestination,
  type SnodeKeys,
} from '../../src/onion/onion-request.js';
import { classifyOnionLayer, encodeRelayFrame, openOnionLayer } from '../../src/onion/relay.js';
import { sortedJson } from '../../src/onion/json.js';
import { decodeV4Request, decodeV4Response, encodeV4Request, encodeV4Response } from '../../src/onion/v4.js';
import { describeEachProvider, hex, loadVectors, toHex } from '../helpers/vectors.js';

const V = loadVectors('onion/onion-layers.json');
const byId = (id: string) => V.vectors.find((v: { id: string }) => v.id === id);
const enc = new TextEncoder();
const dec = new TextDecoder();

interface VecNode {
  ed25519_pubkey: string;
  x25519_pubkey: string;
  x25519_seckey: string;
}
const keysOf = (n: VecNode): SnodeKeys => ({ ed25519PublicKey: hex(n.ed25519_pubkey), x25519PublicKey: hex(n.x25519_pubkey) });

function vectorOptions(v: any): BuildOnionRequestOptions {
  const path = v.inputs.path.map(keysOf);
  const layers = v.expected.layers.map((l: any) => ({ ephemeralSecretKey: hex(l.ephemeral_seckey), nonce: hex(l.iv_or_nonce) }));
  if (v.inputs.server) {
    const s = v.inputs.server;
    const destination: ServerDestination = { type: 'server', host: s.host, target: s.target, protocol: s.protocol, port: s.port, x25519PublicKey: hex(s.x25519_pubkey) };
    const info = JSON.parse(v.inputs.request_info_json);
    const payload = encodeV4Request({ ...info, body: v.inputs.body_utf8 });
    return { encType: v.inputs.enc_type, path, destination, payload, layers };
  }
  const destination: SnodeDestination = { type: 'snode', ...keysOf(v.inputs.destination) };
  return { encType: v.inputs.enc_type, path, destination, payload: enc.encode(v.inputs.payload_utf8), layers };
}

async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(isSessionSdkError(e), String(e)).toBe(true);
    expect((e as SessionSdkError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
}

const FULL = ['derived-onion-v3-snode-xchacha20', 'derived-onion-v3-snode-aes-gcm', 'derived-onion-v4-server-xchacha20', 'derived-onion-v4-server-aes-gcm'];

describeEachProvider('buildOnionRequest (derived full-onion vectors)', () => {
  for (const id of [...FULL, 'derived-onion-v3-snode-desktop-style']) {
    it(`${id}: wire bytes, every layer, and peeling by the path nodes`, async () => {
      const v = byId(id);
      const opts = vectorOptions(v);
      if (id.endsWith('desktop-style')) opts.style = 'desktop';
      const req = await buildOnionRequest(opts);
      expect(toHex(req.wire)).toBe(v.expected.wire_hex);
      expect(toHex(req.finalEphemeral.publicKey)).toBe(v.expected.layers[0].ephemeral_pubkey);
      expect(toHex(req.destinationX25519PublicKey)).toBe(v.expected.layers[0].encrypted_for_x25519);
      expect(req.layerKeys.map((k) => toHex(k.ephemeralPublicKey))).toEqual(v.expected.layers.map((l: any) => l.ephemeral_pubkey));
      expect(req.layerKeys.map((k) => toHex(k.remoteX25519PublicKey))).toEqual(v.expected.layers.map((l: any) => l.encrypted_for_x25519));
      expect(parseOnionFrame(req.wire).metadata).toEqual(JSON.parse(v.expected.outer_json));
      expect(dec.decode(decodeOnionFrame(req.wire).json)).toBe(v.expected.outer_json);

      // Peel: guard first. Each opened layer must equal the vector's plaintext for that layer.
      let frame = req.wire;
      const path: VecNode[] = v.inputs.path;
      for (let hop = 0; hop < path.length; hop++) {
        const layer = v.expected.layers[path.length - hop];
        const opened = await openOnionLayer(hex(path[hop]!.x25519_seckey), frame);
        expect(toHex(opened.plaintext)).toBe(layer.plaintext_hex);
        expect(dec.decode(decodeOnionFrame(opened.plaintext).json)).toBe(layer.routing_json);
        const action = classifyOnionLayer(opened.plaintext);
        if (action.type === 'relay_to_snode') {
          expect(action.destination).toBe(hop + 1 < path.length ? path[hop + 1]!.ed25519_pubkey : v.inputs.destination.ed25519_pubkey);
          frame = encodeRelayFrame(action);
        } else {
          expect(action.type).toBe('relay_to_server');
          if (action.type !== 'relay_to_server') return;
          expect(hop).toBe(path.length - 1);
          expect(action).toMatchObject({ host: v.inputs.server.host, target: v.inputs.server.target, port: v.inputs.server.port, protocol: v.inputs.server.protocol });
          expect(toHex(action.payload)).toBe(v.expected.last_hop_forwards_hex);
          frame = action.payload;
        }
      }
      // The destination.
      const destSk = hex((v.inputs.destination ?? v.inputs.server).x25519_seckey);
      const opened = await openOnionLayer(destSk, frame);
      expect(toHex(opened.plaintext)).toBe(v.expected.layers[0].plaintext_hex);
      if (v.inputs.server) {
        expect(toHex(opened.plaintext)).toBe(v.expected.v4_request_plaintext_hex);
        const r = decodeV4Request(opened.plaintext);
        expect(r.info.endpoint).toBe('/room/test/messages/recent');
        expect(dec.decode(r.body!)).toBe(v.inputs.body_utf8);
      } else {
        const action = classifyOnionLayer(opened.plaintext);
        expect(action.type).toBe('final_destination');
        if (action.type === 'final_destination') expect(dec.decode(action.body)).toBe(v.inputs.payload_utf8);
      }
    });
  }

  it('the ephemeral keys in layerKeys are the injected ones, innermost first', async () => {
    const v = byId(FULL[0]!);
    const req = await buildOnionRequest(vectorOptions(v));
    expect(req.layerKeys.map((k) => toHex(k.ephemeralSecretKey))).toEqual(v.inputs.ephemeral_seckeys_in_use_order);
    expect(toHex(req.layerKeys[1]!.remoteEd25519PublicKey!)).toBe(v.inputs.path[2].ed25519_pubkey);
    expect(req.layerKeys[0]!.remoteEd25519PublicKey && toHex(req.layerKeys[0]!.remoteEd25519PublicKey)).toBe(v.inputs.destination.ed25519_pubkey);
  });

  it('wipeOnionRequest zeroes every ephemeral secret, including finalEphemeral', async () => {
    const req = await buildOnionRequest(vectorOptions(byId(FULL[1]!)));
    expect(req.finalEphemeral.secretKey).toBe(req.layerKeys[0]!.ephemeralSecretKey);
    wipeOnionRequest(req);
    for (const k of req.layerKeys) expect(k.ephemeralSecretKey.every((b) => b === 0)).toBe(true);
    expect(req.finalEphemeral.secretKey.every((b) => b === 0)).toBe(true);
  });

  it('tampering with any byte of the wire ciphertext is rejected by the guard', async () => {
    const v = byId(FULL[0]!);
    const req = await buildOnionRequest(vectorOptions(v));
    const guardSk = hex(v.inputs.path[0].x25519_seckey);
    const n = decodeOnionFrame(req.wire).blob.length;
    for (const pos of [4, 4 + 23, 4 + 24, 4 + n - 17, 4 + n - 1]) {
      const bad = new Uint8Array(req.wire);
      bad[pos]! ^= 0x01;
      await expectCode(openOnionLayer(guardSk, bad), 'DECRYPT_FAILED');
    }
    // and a layer opened by the wrong node
    await expectCode(openOnionLayer(hex(v.inputs.path[1].x25519_seckey), req.wire), 'DECRYPT_FAILED');
  });

  for (const encType of ['xchacha20', 'aes-gcm'] as OnionEncType[]) {
    it(`${encType}: random keys, any path length 1–5, snode and server destinations peel back to the payload`, async () => {
      const nodes = await Promise.all(Array.from({ length: 6 }, () => onionEphemeralKeyPair()));
      const eds = nodes.map((_, i) => new Uint8Array(32).fill(i + 1));
      for (let len = 1; len <= 5; len++) {
        const path = nodes.slice(0, len).map((n, i) => ({ ed25519PublicKey: eds[i]!, x25519PublicKey: n.publicKey }));
        const dst = nodes[5]!;
        for (const kind of ['snode', 'server'] as const) {
          const payload = enc.encode(`payload ${len} ${kind}`);
          const destination: SnodeDestination | ServerDestination =
            kind === 'snode'
              ? { type: 'snode', ed25519PublicKey: eds[5]!, x25519PublicKey: dst.publicKey }
              : { type: 'server', host: '127.0.0.1', target: '/oxen/v4/lsrpc', protocol: 'http', port: 8080, x25519PublicKey: dst.publicKey };
          const req = await buildOnionRequest({ encType, path, destination, payload });
          let frame = req.wire;
          for (let hop = 0; hop < len; hop++) {
            const a = classifyOnionLayer((await openOnionLayer(nodes[hop]!.secretKey, frame)).plaintext);
            frame = a.type === 'relay_to_snode' ? encodeRelayFrame(a) : a.type === 'relay_to_server' ? a.payload : new Uint8Array();
            if (a.type === 'relay_to_server') expect(a).toMatchObject({ host: '127.0.0.1', port: 8080, protocol: 'http' });
          }
          const opened = await openOnionLayer(dst.secretKey, frame);
          expect(opened.encType).toBe(encType);
          expect(opened.ephemeralKey).toEqual(req.finalEphemeral.publicKey);
          const body = kind === 'snode' ? (classifyOnionLayer(opened.plaintext) as { body: Uint8Array }).body : opened.plaintext;
          expect(dec.decode(body)).toBe(`payload ${len} ${kind}`);
          // the innermost layer is also directly readable with the returned keys
          expect(await hopDecrypt(encType, dst.secretKey, req.finalEphemeral.publicKey, decodeOnionFrame(frame).blob)).toEqual(opened.plaintext);
        }
      }
    });
  }
});

describe('buildOnionRequest input validation', () => {
  const k = (b: number): SnodeKeys => ({ ed25519PublicKey: new Uint8Array(32).fill(b), x25519PublicKey: new Uint8Array(32).fill(b + 100) });
  const base = (): BuildOnionRequestOptions => ({ encType: 'xchacha20', path: [k(1), k(2), k(3)], destination: { type: 'snode', ...k(4) }, payload: new Uint8Array(3) });

  it('rejects bad options with typed errors', async () => {
    await expectCode(buildOnionRequest({ ...base(), encType: 'cbc' as OnionEncType }), 'INVALID_INPUT');
    await expectCode(buildOnionRequest({ ...base(), path: [] }), 'INVALID_INPUT');
    await expectCode(buildOnionRequest({ ...base(), path: Array.from({ length: 15 }, (_, i) => k(i + 10)) }), 'INVALID_INPUT');
    await expectCode(buildOnionRequest({ ...base(), path: [k(1), k(1)] }), 'INVALID_INPUT');
    await expectCode(buildOnionRequest({ ...base(), path: [k(1), { ed25519PublicKey: new Uint8Array(31), x25519PublicKey: new Uint8Array(32) }] }), 'INVALID_KEY');
    await expectCode(buildOnionRequest({ ...base(), destination: { type: 'snode', ...k(2) } }), 'INVALID_INPUT');
    await expectCode(buildOnionRequest({ ...base(), destination: { type: 'other' } as unknown as SnodeDestination }), 'INVALID_INPUT');
    await expectCode(buildOnionRequest({ ...base(), payload: 'x' as unknown as Uint8Array }), 'INVALID_INPUT');
    await expectCode(buildOnionRequest({ ...base(), layers: [] }), 'INVALID_INPUT');
    const layers = Array.from({ length: 4 }, () => ({ ephemeralSecretKey: new Uint8Array(32).fill(7), nonce: new Uint8Array(12) }));
    await expectCode(buildOnionRequest({ ...base(), layers }), 'INVALID_LENGTH');
    await expectCode(buildOnionRequest({ ...base(), style: 'desktop' }), 'INVALID_INPUT');
    await expectCode(buildOnionRequest({ ...base(), encType: 'aes-gcm', style: 'weird' as 'desktop' }), 'INVALID_INPUT');
    const srv = (o: Partial<ServerDestination>): ServerDestination => ({ type: 'server', host: 'h.example', target: '/oxen/v4/lsrpc', protocol: 'https', x25519PublicKey: new Uint8Array(32).fill(9), ...o });
    for (const bad of [{ target: '/oxen/v4/lsrpc?x=1' }, { target: '/v4/lsrpc' }, { host: 'a b' }, { host: '' }, { port: 0 }, { port: 70000 }, { protocol: 'ftp' as 'http' }]) {
      await expectCode(buildOnionRequest({ ...base(), destination: srv(bad) }), 'INVALID_INPUT');
    }
    await expectCode(buildOnionRequest({ ...base(), destination: srv({ x25519PublicKey: new Uint8Array(2) }) }), 'INVALID_KEY');
    // a small-order key anywhere fails the whole build with a typed error
    await expectCode(buildOnionRequest({ ...base(), destination: { type: 'snode', ed25519PublicKey: new Uint8Array(32).fill(4), x25519PublicKey: new Uint8Array(32) } }), 'SMALL_ORDER_KEY');
    await expectCode(buildOnionRequest({ ...base(), path: [k(1), { ed25519PublicKey: new Uint8Array(32).fill(2), x25519PublicKey: new Uint8Array(32) }] }), 'SMALL_ORDER_KEY');
  });

  it('isAllowedRelayTarget follows the storage-server URL filter (upstream cases)', () => {
    const f = byId('storage-server-inner-request-parsing').url_target_filter;
    for (const t of f.allowed) expect(isAllowedRelayTarget(t)).toBe(true);
    for (const t of f.rejected) expect(isAllowedRelayTarget(t)).toBe(false);
  });
});

describe('classifyOnionLayer (upstream storage-server cases)', () => {
  const v = byId('storage-server-inner-request-parsing');
  const prefix = hex(v.prefix_hex);
  it('classifies each case like the storage server', () => {
    for (const c of v.cases) {
      const plaintext = new Uint8Array([...prefix, ...enc.encode(c.json_utf8)]);
      const a = classifyOnionLayer(plaintext);
      expect(a.type).toBe(c.expected.type);
      if (a.type === 'final_destination') {
        expect(dec.decode(a.body)).toBe(c.expected.body_utf8);
        expect(a.json).toBe(false);
        expect(a.base64).toBe(true);
      } else if (a.type === 'relay_to_server') {
        expect(a).toMatchObject({ host: c.expected.host, port: c.expected.port, protocol: c.expected.protocol, target: c.expected.target });
        expect(a.payload).toEqual(plaintext);
      } else {
        expect(dec.decode(a.ciphertext)).toBe(c.expected.ciphertext_utf8);
        expect(a.destination).toBe(c.expected.next_node_ed25519);
        expect(toHex(a.ephemeralKey)).toBe(c.expected.ephemeral_key);
        expect(a.encType).toBe(c.expected.enc_type);
      }
    }
  });

  it('rejects malformed layers with INVALID_ENCODING', () => {
    const bad = ['[]', '{"destination":"zz","ephemeral_key":"00"}', '{"host":1,"target":"t"}', '{"host":"h","target":"t","port":"80"}', '{"headers":"","json":"yes"}', '{"destination":"' + 'a'.repeat(64) + '","ephemeral_key":"' + 'b'.repeat(64) + '","enc_type":"rot13"}', 'not json'];
    for (const j of bad) {
      expect(() => classifyOnionLayer(new Uint8Array([...prefix, ...enc.encode(j)]))).toThrow(SessionSdkError);
      try {
        classifyOnionLayer(new Uint8Array([...prefix, ...enc.encode(j)]));
      } catch (e) {
        expect((e as SessionSdkError).code).toBe('INVALID_ENCODING');
      }
    }
  });
});

describe('v4 request encoding (derived vectors)', () => {
  const v = byId('derived-v4-request-encoding');
  it('desktop style reproduces every case', () => {
    for (const c of v.cases) {
      const body = c.body_hex ? hex(c.body_hex) : c.body_utf8;
      const out = encodeV4Request({ ...c.request_info, body: body ?? undefined }, { style: 'desktop' });
      expect(toHex(out)).toBe(c.expected_hex);
      const back = decodeV4Request(out);
      expect(back.info).toEqual(c.request_info);
      if (body === undefined || body === null) expect(back.body).toBeUndefined();
    }
  });

  it('libsession style sorts keys, forces a leading slash, drops User-Agent, adds a JSON content type', () => {
    const out = dec.decode(encodeV4Request({ method: 'POST', endpoint: 'room/x', headers: { 'User-Agent': 'x', Accept: '*/*' }, body: '{}' }));
    expect(out).toBe('l99:{"endpoint":"/room/x","headers":{"Accept":"*/*","Content-Type":"application/json"},"method":"POST"}2:{}e');
    expect(dec.decode(encodeV4Request({ method: 'GET', endpoint: '/capabilities' }))).toBe('l56:{"endpoint":"/capabilities","headers":{},"method":"GET"}e');
  });

  it('v4 server vector request and response plaintexts', () => {
    for (const id of FULL.slice(2)) {
      const x = byId(id);
      expect(toHex(encodeV4Request({ ...JSON.parse(x.inputs.request_info_json), body: x.inputs.body_utf8 }))).toBe(x.expected.v4_request_plaintext_hex);
      const r = decodeV4Response(enc.encode(x.expected.response.plaintext_utf8));
      expect(r.status).toBe(200);
      expect(r.headers).toEqual({ 'content-type': 'application/json' });
      expect(dec.decode(r.body!)).toBe('{"status":"ok"}');
      expect(dec.decode(encodeV4Response({ status: 200, headers: { 'content-type': 'application/json' } }, r.body))).toBe(x.expected.response.plaintext_utf8);
    }
  });

  it('rejects bad requests and malformed payloads with typed errors', async () => {
    await expectCode(() => encodeV4Request({ method: 'GE T', endpoint: '/' }), 'INVALID_INPUT');
    await expectCode(() => encodeV4Request({ method: 'GET', endpoint: '' }), 'INVALID_INPUT');
    await expectCode(() => encodeV4Request({ method: 'GET', endpoint: '/\n' }), 'INVALID_INPUT');
    await expectCode(() => encodeV4Request({ method: 'GET', endpoint: '/', headers: { a: 1 as unknown as string } }), 'INVALID_INPUT');
    await expectCode(() => encodeV4Request({ method: 'GET', endpoint: '/', body: 5 as unknown as string }), 'INVALID_INPUT');
    await expectCode(() => encodeV4Request({ method: 'GET', endpoint: '/\ud800' }, { style: 'desktop' }), 'INVALID_INPUT');
    await expectCode(() => encodeV4Response({ status: 20 }), 'INVALID_INPUT');
    for (const s of ['le', 'l2:{}e', 'l3:{}}e', 'li1ee', 'l2:[]e', 'l2:{}1:x1:ye', 'd1:a1:be', 'l2:{}', '']) {
      await expectCode(() => decodeV4Response(enc.encode(s)), 'INVALID_ENCODING');
    }
    await expectCode(() => decodeV4Request(enc.encode('l2:{}e')), 'INVALID_ENCODING');
  });

  it('property: random and mutated v4 bodies only throw SessionSdkError', () => {
    const good = encodeV4Response({ status: 200, headers: { a: 'b' } }, enc.encode('body'));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.tuple(fc.nat(), fc.nat(255)).map(([p, b]) => { const x = new Uint8Array(good); x[p % x.length] = b; return x; })), (bytes) => {
        for (const f of [decodeV4Response, decodeV4Request]) {
          try {
            f(bytes);
          } catch (e) {
            if (!(e instanceof SessionSdkError)) return false;
          }
        }
        return true;
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('onion frame and routing JSON parsers', () => {
  it('encodes and decodes [u32 len][blob][json]', () => {
    const f = encodeOnionFrame(new Uint8Array([1, 2, 3]), enc.encode('{"a":1}'));
    expect(toHex(f)).toBe('03000000010203' + toHex(enc.encode('{"a":1}')));
    expect(parseOnionFrame(f).metadata).toEqual({ a: 1 });
    expect(decodeOnionFrame(new Uint8Array([0, 0, 0, 0])).blob.length).toBe(0);
  });

  it('rejects truncated, oversized and non-object frames', async () => {
    await expectCode(() => decodeOnionFrame(new Uint8Array(3)), 'INVALID_ENCODING');
    await expectCode(() => decodeOnionFrame(new Uint8Array([5, 0, 0, 0, 1])), 'INVALID_ENCODING');
    await expectCode(() => decodeOnionFrame(new Uint8Array([0xff, 0xff, 0xff, 0xff])), 'INVALID_ENCODING');
    await expectCode(() => decodeOnionFrame(new Uint8Array(10_485_761)), 'TOO_LARGE');
    await expectCode(() => parseOnionFrame(new Uint8Array([0, 0, 0, 0, 0x5b, 0x5d])), 'INVALID_ENCODING');
    await expectCode(() => parseOnionFrame(new Uint8Array([0, 0, 0, 0, 0xff])), 'INVALID_ENCODING');
    await expectCode(() => decodeOnionFrame('x' as unknown as Uint8Array), 'INVALID_INPUT');
  });

  it('encodeSnodeRequest writes sorted compact JSON and validates', async () => {
    expect(dec.decode(encodeSnodeRequest('info', {}))).toBe('{"method":"info","params":{}}');
    expect(dec.decode(encodeSnodeRequest('retrieve', { pubkey: '05ab', namespace: -10, last_hash: undefined, z: [true, null], ä: 'é' }))).toBe(
      '{"method":"retrieve","params":{"namespace":-10,"pubkey":"05ab","z":[true,null],"ä":"é"}}',
    );
    // bytewise UTF-8 key order: U+FF61 (ef bd a1) sorts before U+1F600 (f0 9f 98 80)
    expect(dec.decode(encodeSnodeRequest('x', { '\u{1F600}': 1, '\uFF61': 2 }))).toBe('{"method":"x","params":{"｡":2,"😀":1}}');
    await expectCode(() => encodeSnodeRequest('Bad Method', {}), 'INVALID_INPUT');
    await expectCode(() => encodeSnodeRequest('x', { a: 1.5 }), 'INVALID_INPUT');
    await expectCode(() => encodeSnodeRequest('x', { a: '\udc00' }), 'INVALID_INPUT');
    await expectCode(() => encodeSnodeRequest('x', [] as unknown as Record<string, never>), 'INVALID_INPUT');
  });

  it('property: sortedJson parses back to the input and equals sorted JSON.stringify for ASCII keys', () => {
    const sortDeep = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(sortDeep) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortDeep((v as Record<string, unknown>)[k])])) : v;
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.constant(null), fc.boolean(), fc.integer(), fc.string(), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.string({ unit: 'grapheme-ascii' }), tie('v'), { maxKeys: 4 })),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        const out = sortedJson(v as never);
        return out === JSON.stringify(sortDeep(v)) && JSON.stringify(JSON.parse(out)) === JSON.stringify(sortDeep(v));
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('property: random and mutated frames through every parser only throw SessionSdkError', async () => {
    const v = byId(FULL[0]!);
    const wire = hex(v.expected.wire_hex);
    const guardSk = hex(v.inputs.path[0].x25519_seckey);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.tuple(fc.nat(), fc.nat(255)).map(([p, b]) => { const x = new Uint8Array(wire); x[p % x.length] = b; return x; }),
          fc.tuple(fc.uint8Array({ maxLength: 16 }), fc.json()).map(([blob, j]) => encodeOnionFrame(blob, enc.encode(j))),
          fc.nat(wire.length).map((n) => wire.subarray(0, n)),
        ),
        async (bytes) => {
          for (const f of [() => parseOnionFrame(bytes), () => classifyOnionLayer(bytes), () => openOnionLayer(guardSk, bytes)]) {
            try {
              await f();
            } catch (e) {
              if (!(e instanceof SessionSdkError)) return false;
            }
          }
          return true;
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
