// Onion replies (spec/onion.md §3): derived v3/v4 response vectors, the upstream OnionReqParser
// vector, relay errors (plaintext and encrypted by a hop), negative and property tests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSessionSdkError, SessionSdkError } from '../../src/errors.js';
import { toBase64 } from '../../src/onion/base64.js';
import { hopDecrypt, hopEncrypt, onionEphemeralKeyPair, type OnionEncType, type X25519KeyPair } from '../../src/onion/hop.js';
import { buildOnionRequest, type OnionRequest } from '../../src/onion/onion-request.js';
import {
  decodeV3ResponseBody,
  decryptOnionResponse,
  onionErrorFromStatus,
  OnionRelayError,
  parseV3ResponsePlaintext,
  readEncryptedRelayError,
  readServerResponse,
  readSnodeResponse,
} from '../../src/onion/onion-response.js';
import { openOnionLayer } from '../../src/onion/relay.js';
import { encodeV4Response } from '../../src/onion/v4.js';
import { describeEachProvider, hex, loadVectors, toHex } from '../helpers/vectors.js';

const V = loadVectors('onion/onion-layers.json');
const byId = (id: string) => V.vectors.find((v: { id: string }) => v.id === id);
const enc = new TextEncoder();
const dec = new TextDecoder();

async function expectCode(p: Promise<unknown> | (() => unknown), code: string): Promise<SessionSdkError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(isSessionSdkError(e), String(e)).toBe(true);
    expect((e as SessionSdkError).code).toBe(code);
    return e as SessionSdkError;
  }
  throw new Error(`expected ${code}`);
}

function vectorKeys(v: any) {
  const l0 = v.expected.layers[0];
  const finalEphemeral: X25519KeyPair = { publicKey: hex(l0.ephemeral_pubkey), secretKey: hex(v.expected.response.decrypt_with_ephemeral_seckey) };
  return { encType: v.inputs.enc_type as OnionEncType, finalEphemeral, destinationX25519PublicKey: hex(l0.encrypted_for_x25519) };
}

describeEachProvider('onion responses (derived vectors)', () => {
  for (const id of ['derived-onion-v3-snode-xchacha20', 'derived-onion-v3-snode-aes-gcm']) {
    it(`${id}: base64, {"result"} wrapper and raw bytes all decode to the reply`, async () => {
      const v = byId(id);
      const keys = vectorKeys(v);
      const r = v.expected.response;
      const expected = JSON.parse(r.plaintext_utf8);
      expect(dec.decode(await decryptOnionResponse(keys.encType, keys.finalEphemeral, keys.destinationX25519PublicKey, hex(r.ciphertext_hex)))).toBe(r.plaintext_utf8);
      expect(toHex(decodeV3ResponseBody(r.ciphertext_base64))).toBe(r.ciphertext_hex);
      for (const body of [r.ciphertext_base64, enc.encode(r.ciphertext_base64), JSON.stringify({ result: r.ciphertext_base64 })]) {
        expect(await readSnodeResponse(keys, 200, body)).toEqual({ status: expected.status, body: expected.body });
      }
      // the destination re-encrypting with the recorded nonce reproduces the ciphertext
      const nlen = keys.encType === 'xchacha20' ? 24 : 12;
      const again = await hopEncrypt(keys.encType, hex(v.inputs.destination.x25519_seckey), keys.finalEphemeral.publicKey, enc.encode(r.plaintext_utf8), {
        server: true,
        nonce: hex(r.ciphertext_hex).subarray(0, nlen),
      });
      expect(toHex(again)).toBe(r.ciphertext_hex);
    });
  }

  for (const id of ['derived-onion-v4-server-xchacha20', 'derived-onion-v4-server-aes-gcm']) {
    it(`${id}: raw binary v4 reply decodes to [info, body]`, async () => {
      const v = byId(id);
      const keys = vectorKeys(v);
      const r = v.expected.response;
      const res = await readServerResponse(keys, 200, hex(r.ciphertext_hex));
      expect(res.status).toBe(200);
      expect(res.headers).toEqual({ 'content-type': 'application/json' });
      expect(dec.decode(res.body!)).toBe('{"status":"ok"}');
      const again = await hopEncrypt(keys.encType, hex(v.inputs.server.x25519_seckey), keys.finalEphemeral.publicKey, enc.encode(r.plaintext_utf8), { server: true, nonce: hex(r.iv_or_nonce) });
      expect(toHex(again)).toBe(r.ciphertext_hex);
    });
  }

  it('upstream OnionReqParser vector: the server opens both requests and its replies have the upstream lengths', async () => {
    const v = byId('libsession-onionreq-parser');
    const serverSk = hex(v.inputs.server_x25519_seckey);
    const client: X25519KeyPair = { publicKey: hex(v.inputs.client_x25519_pubkey), secretKey: hex(v.inputs.client_x25519_seckey) };
    const serverPk = hex(v.inputs.server_x25519_pubkey);
    for (const [encType, req, len] of [
      ['aes-gcm', v.inputs.aes_gcm_request, v.expected.aes_gcm_reply_length],
      ['xchacha20', v.inputs.xchacha20_request, v.expected.xchacha20_reply_length],
    ] as const) {
      const opened = await openOnionLayer(serverSk, hex(req));
      expect(dec.decode(opened.plaintext)).toBe(v.expected.payload_utf8);
      expect(opened.encType).toBe(encType);
      expect(toHex(opened.ephemeralKey)).toBe(v.expected.remote_pubkey);
      const reply = await hopEncrypt(encType, serverSk, opened.ephemeralKey, enc.encode(v.expected.reply_plaintext_utf8), { server: true });
      expect(reply.length).toBe(len);
      expect(dec.decode(await decryptOnionResponse(encType, client, serverPk, reply))).toBe(v.expected.reply_plaintext_utf8);
    }
  });

  it('a tampered reply is rejected; an xchacha20 request accepts a legacy aes-gcm reply unless disabled', async () => {
    const v = byId('derived-onion-v3-snode-xchacha20');
    const keys = vectorKeys(v);
    const ct = hex(v.expected.response.ciphertext_hex);
    for (const pos of [0, 30, ct.length - 1]) {
      const bad = new Uint8Array(ct);
      bad[pos]! ^= 0x80;
      await expectCode(decryptOnionResponse(keys.encType, keys.finalEphemeral, keys.destinationX25519PublicKey, bad), 'DECRYPT_FAILED');
      await expectCode(readSnodeResponse(keys, 200, toBase64(bad)), 'DECRYPT_FAILED');
    }
    const destSk = hex(v.inputs.destination.x25519_seckey);
    const legacy = await hopEncrypt('aes-gcm', destSk, keys.finalEphemeral.publicKey, enc.encode('{"status":200,"body":"ok"}'), { server: true });
    expect(await readSnodeResponse(keys, 200, toBase64(legacy))).toEqual({ status: 200, body: 'ok' });
    await expectCode(decryptOnionResponse('xchacha20', keys.finalEphemeral, keys.destinationX25519PublicKey, legacy, { aesGcmFallback: false }), 'DECRYPT_FAILED');
  });
});

describe('relay errors', () => {
  const X = 'ab'.repeat(32);
  it('maps plaintext path errors to typed codes with the node named', () => {
    const cases: [number, string, string, string | undefined][] = [
      [502, `Next node not found: ${X}`, 'NODE_NOT_FOUND', X],
      [502, `Next node is currently unreachable: ${X.toUpperCase()}`, 'NODE_NOT_FOUND', X],
      [503, `Snode not ready: ${X}`, 'SERVICE_UNAVAILABLE', X],
      [503, 'Service node is not ready: not in any swarm', 'SERVICE_UNAVAILABLE', undefined],
      [504, 'Request time out', 'TIMEOUT', undefined],
      [406, 'Timestamp error: check your clock', 'CLOCK_SKEW', undefined],
      [425, '', 'CLOCK_SKEW', undefined],
      [500, 'Invalid response from snode', 'ONION_ERROR', undefined],
      [502, 'Bad gateway', 'ONION_ERROR', undefined],
      [400, 'Invalid ciphertext', 'ONION_ERROR', undefined],
    ];
    for (const [status, body, code, node] of cases) {
      for (const b of [body, enc.encode(body)]) {
        const e = onionErrorFromStatus(status, b)!;
        expect(e).toBeInstanceOf(OnionRelayError);
        expect(e).toBeInstanceOf(SessionSdkError);
        expect(isSessionSdkError(e, code as never)).toBe(true);
        expect(e.status).toBe(status);
        expect(e.node).toBe(node);
        expect(e.source).toBe('path');
        if (node) expect(e.message).toContain(node);
      }
    }
    expect(onionErrorFromStatus(200, 'x')).toBeUndefined();
    expect(onionErrorFromStatus(502, `Next node not found: ${X}`)!.message).toMatch(/drop that node/);
    expect(() => onionErrorFromStatus(1.5, '')).toThrow(SessionSdkError);
  });

  it('421 carries the new swarm', () => {
    const ed = 'cd'.repeat(32);
    const body = JSON.stringify({ snodes: [{ ip: '203.0.113.7', port: '22021', port_https: 22021, pubkey_ed25519: ed, pubkey_x25519: 'ef'.repeat(32) }, { ip: '0.0.0.0', port: '1', pubkey_ed25519: ed }], t: 1 });
    const e = onionErrorFromStatus(421, body, { source: 'destination', node: X })!;
    expect(e.code).toBe('WRONG_SWARM');
    expect(e.swarm!.map((n) => n.ed25519Hex)).toEqual([ed]);
    expect(e.message).toContain('1 nodes');
    expect(onionErrorFromStatus(421, 'garbage')!.swarm).toBeUndefined();
  });

  it('readSnodeResponse / readServerResponse throw path errors and destination errors', async () => {
    const eph = await onionEphemeralKeyPair();
    const dst = await onionEphemeralKeyPair();
    const keys = { encType: 'xchacha20' as const, finalEphemeral: eph, destinationX25519PublicKey: dst.publicKey };
    const e1 = await expectCode(readSnodeResponse(keys, 502, `Next node not found: ${X}`), 'NODE_NOT_FOUND');
    expect((e1 as OnionRelayError).node).toBe(X);
    await expectCode(readServerResponse(keys, 504, enc.encode('Request time out')), 'TIMEOUT');
    const seal = (plain: Uint8Array) => hopEncrypt('xchacha20', dst.secretKey, eph.publicKey, plain, { server: true });
    const swarm = JSON.stringify({ snodes: [] });
    const wrong = await seal(enc.encode(JSON.stringify({ body: swarm, status: 421 })));
    const e2 = await expectCode(readSnodeResponse(keys, 200, toBase64(wrong), { destination: X }), 'WRONG_SWARM');
    expect((e2 as OnionRelayError).source).toBe('destination');
    expect(await readSnodeResponse(keys, 200, toBase64(wrong), { throwOnError: false })).toEqual({ status: 421, body: swarm });
    const skew = await seal(encodeV4Response({ status: 425 }));
    await expectCode(readServerResponse(keys, 200, skew), 'CLOCK_SKEW');
    expect((await readServerResponse(keys, 200, skew, { throwOnError: false })).status).toBe(425);
    const jsonBody = await seal(enc.encode('{"body":{"hf":[1]},"status_code":200}'));
    expect(await readSnodeResponse(keys, 200, toBase64(jsonBody))).toEqual({ status: 200, body: '{"body":{"hf":[1]},"status_code":200}' });
  });

  for (const encType of ['xchacha20', 'aes-gcm'] as const) {
    it(`${encType}: a reply encrypted by a relay with its layer key is read and names that hop`, async () => {
      const nodes = await Promise.all([0, 1, 2, 3].map(() => onionEphemeralKeyPair()));
      const path = nodes.slice(0, 3).map((n, i) => ({ ed25519PublicKey: new Uint8Array(32).fill(i + 1), x25519PublicKey: n.publicKey }));
      const req: OnionRequest = await buildOnionRequest({ encType, path, destination: { type: 'snode', ed25519PublicKey: new Uint8Array(32).fill(9), x25519PublicKey: nodes[3]!.publicKey }, payload: enc.encode('{}') });
      // hop 1 (the middle node) fails to parse its layer: it answers with its own layer key.
      const opened = await openOnionLayer(nodes[0]!.secretKey, req.wire);
      expect(opened.plaintext.length).toBeGreaterThan(0);
      const layerIdx = 2; // layerKeys: [destination, path[2], path[1], path[0]]
      const k = req.layerKeys[layerIdx]!;
      const err = await hopEncrypt(encType, nodes[1]!.secretKey, k.ephemeralPublicKey, enc.encode('{"body":"Invalid json","status":400}'), { server: true });
      const hit = await readEncryptedRelayError(req, toBase64(err));
      expect(hit).toEqual({ layer: 2, response: { status: 400, body: 'Invalid json' } });
      const e = (await expectCode(readSnodeResponse(req, 200, toBase64(err)), 'ONION_ERROR')) as OnionRelayError;
      expect(e.node).toBe('02'.repeat(32));
      expect(e.layer).toBe(2);
      expect(e.status).toBe(400);
      expect(e.message).toContain('hop 1');
      // without layer keys it is just undecryptable
      await expectCode(readSnodeResponse({ encType, finalEphemeral: req.finalEphemeral, destinationX25519PublicKey: req.destinationX25519PublicKey }, 200, toBase64(err)), 'DECRYPT_FAILED');
      // and the destination itself can still answer normally
      const ok = await hopEncrypt(encType, nodes[3]!.secretKey, req.finalEphemeral.publicKey, enc.encode('{"body":"fine","status":200}'), { server: true });
      expect(await readSnodeResponse(req, 200, toBase64(ok))).toEqual({ status: 200, body: 'fine' });
      expect(await hopDecrypt(encType, req.finalEphemeral.secretKey, nodes[3]!.publicKey, ok, { server: false })).toEqual(enc.encode('{"body":"fine","status":200}'));
    });
  }
});

describe('response parser negatives and properties', () => {
  it('rejects malformed bodies and plaintexts with typed errors', async () => {
    for (const b of ['', '!!!!', 'AAA=A', 'AB==', '{"result":5}', '{"x":"AAAA"}', '{"result":"A"}', '[1]']) {
      if (b === '') {
        expect(decodeV3ResponseBody(b).length).toBe(0);
        continue;
      }
      await expectCode(() => decodeV3ResponseBody(b), 'INVALID_ENCODING');
    }
    for (const p of ['[]', '{"body":"x"}', '{"status":"200"}', '{"status":1.5}', 'nope', '\xff']) {
      await expectCode(() => parseV3ResponsePlaintext(p === '\xff' ? new Uint8Array([0xff]) : enc.encode(p)), 'INVALID_ENCODING');
    }
    const eph = await onionEphemeralKeyPair();
    await expectCode(decryptOnionResponse('xchacha20', eph, new Uint8Array(31), new Uint8Array(60)), 'INVALID_KEY');
    await expectCode(decryptOnionResponse('xchacha20', null as unknown as X25519KeyPair, eph.publicKey, new Uint8Array(60)), 'INVALID_INPUT');
    await expectCode(readSnodeResponse(null as never, 200, ''), 'INVALID_INPUT');
  });

  it('property: random and mutated reply bodies only ever throw SessionSdkError', async () => {
    const v = byId('derived-onion-v3-snode-xchacha20');
    const keys = vectorKeys(v);
    const good = v.expected.response.ciphertext_base64 as string;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 120 }),
          fc.uint8Array({ maxLength: 120 }),
          fc.tuple(fc.nat(), fc.constantFrom(...'AZaz09+/={}"'.split(''))).map(([p, c]) => good.slice(0, p % good.length) + c + good.slice((p % good.length) + 1)),
          fc.json().map((j) => JSON.stringify({ result: j })),
        ),
        fc.constantFrom(200, 200, 421, 502, 503),
        async (body, status) => {
          for (const f of [
            () => readSnodeResponse(keys, status, body),
            () => readServerResponse(keys, status, typeof body === 'string' ? enc.encode(body) : body),
            () => decodeV3ResponseBody(body),
            () => parseV3ResponsePlaintext(typeof body === 'string' ? enc.encode(body) : body),
            () => onionErrorFromStatus(status, body),
          ]) {
            try {
              await f();
            } catch (e) {
              if (!(e instanceof SessionSdkError)) return false;
            }
          }
          return true;
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});
