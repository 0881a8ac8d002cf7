/**
 * Verifier for test-vectors/onion/onion-layers.json, mirroring test/onion/hop.test.ts,
 * onion-request.test.ts and onion-response.test.ts through the public API: upstream single-hop
 * decryptions and must-fail ciphertexts, upstream OnionReqParser requests, the derived full
 * onions (see ./onion-build.ts), v4 request encoding and the storage server's layer classification.
 * @module
 */
import {
  classifyOnionLayer,
  decodeOnionFrame,
  decodeV4Request,
  decryptOnionResponse,
  deriveHopKey,
  encodeV4Request,
  getCryptoProvider,
  hopDecrypt,
  hopEncrypt,
  isAllowedRelayTarget,
  openOnionLayer,
  type OnionEncType,
} from '../index.js';
import { byId, canonicalJson, expectEqual, expectSdkError, hex, list, skipOtherVectors, toHex, type FileRecorder, type FileVerifier } from './check.js';
import { expectText, verifyFullOnion } from './onion-build.js';

/** Per cipher: the upstream ciphertext, and the derived key and nonce of that ciphertext. */
const HOP_FORMS: [OnionEncType, string, string, string][] = [
  ['aes-gcm', 'aes_gcm_ciphertext', 'aes_gcm_key_hmac_sha256_LOKI', 'aes_gcm_iv'],
  ['xchacha20', 'xchacha20_ciphertext', 'xchacha20_key_blake2b32_shared_A_B', 'xchacha20_nonce'],
];

// spec/onion.md §1 (one hop): the server opens upstream's two ciphertexts, both sides derive the
// documented key, the client re-sealing with upstream's nonce gives the same bytes, and every
// must-fail ciphertext is refused.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function hopDecryption(v: any, rec: FileRecorder): Promise<void> {
  const { inputs, expected, derived_intermediates: d } = v;
  const a = (): Uint8Array => hex(inputs.client_x25519_seckey);
  const A = (): Uint8Array => hex(inputs.client_x25519_pubkey);
  const b = (): Uint8Array => hex(inputs.server_x25519_seckey);
  const B = (): Uint8Array => hex(inputs.server_x25519_pubkey);
  const provider = getCryptoProvider();
  for (const [enc, ciphertext, key, nonce] of HOP_FORMS) {
    await rec.vector(`hop decrypt ${enc}`, async () => {
      const plain = await hopDecrypt(enc, b(), A(), hex(inputs[ciphertext]));
      expectEqual('plaintext', toHex(plain), expected.plaintext_hex);
      expectText('plaintext (utf8)', plain, expected.plaintext_utf8);
      expectEqual('client public key', toHex(await provider.x25519PublicKey(a())), inputs.client_x25519_pubkey);
      expectEqual('server public key', toHex(await provider.x25519PublicKey(b())), inputs.server_x25519_pubkey);
      expectEqual('shared secret', toHex(await provider.x25519(b(), A())), d.x25519_shared_secret);
      expectEqual('key (server side)', toHex(await deriveHopKey(enc, b(), undefined, A(), true)), d[key]);
      expectEqual('key (client side)', toHex(await deriveHopKey(enc, a(), undefined, B(), false)), d[key]);
      expectEqual('client re-encryption', toHex(await hopEncrypt(enc, a(), B(), plain, { nonce: hex(d[nonce]) })), inputs[ciphertext]);
    });
  }
  const mustFail: [string, OnionEncType][] = [
    ['must_fail_aesgcm_decrypt', 'aes-gcm'],
    ['also_must_fail_aesgcm_decrypt_defined_but_unused_upstream', 'aes-gcm'],
    ['must_fail_xchacha20_decrypt', 'xchacha20'],
  ];
  for (const [key, enc] of mustFail) {
    if (expected[key] === undefined) continue;
    for (const [i, c] of list(expected, key).entries()) {
      await rec.vector(`${key} #${i + 1}`, () => expectSdkError(`${enc} decrypt`, 'DECRYPT_FAILED', () => hopDecrypt(enc, b(), A(), hex(c))));
    }
  }
}

// spec/onion.md §2.5, §3: a final-destination server opens both upstream requests and answers.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function onionReqParser(v: any): Promise<void> {
  const { inputs: i, expected: e, derived_intermediates: d } = v;
  const serverSk = hex(i.server_x25519_seckey);
  const serverPk = hex(i.server_x25519_pubkey);
  const client = { publicKey: hex(i.client_x25519_pubkey), secretKey: hex(i.client_x25519_seckey) };
  const provider = getCryptoProvider();
  expectEqual('server public key', toHex(await provider.x25519PublicKey(serverSk)), i.server_x25519_pubkey);
  expectEqual('client public key', toHex(await provider.x25519PublicKey(client.secretKey)), i.client_x25519_pubkey);
  expectEqual('shared secret', toHex(await provider.x25519(serverSk, client.publicKey)), d.x25519_shared_secret);
  expectEqual('aes-gcm key', toHex(await deriveHopKey('aes-gcm', serverSk, undefined, client.publicKey, true)), d.aes_gcm_key);
  expectEqual('xchacha20 key', toHex(await deriveHopKey('xchacha20', serverSk, undefined, client.publicKey, true)), d.xchacha20_key);
  const requests: [OnionEncType, string, string, string][] = [
    ['aes-gcm', 'aes_gcm_request', 'aes_gcm_request_split', 'aes_gcm_reply_length'],
    ['xchacha20', 'xchacha20_request', 'xchacha20_request_split', 'xchacha20_reply_length'],
  ];
  for (const [encType, reqKey, splitKey, lenKey] of requests) {
    const request = hex(i[reqKey]);
    const frame = decodeOnionFrame(request);
    expectEqual(`${encType} N`, frame.blob.length, d[splitKey]?.N);
    expectEqual(`${encType} ciphertext`, toHex(frame.blob), d[splitKey]?.ciphertext);
    expectText(`${encType} JSON`, frame.json, d[splitKey]?.json_utf8);
    const opened = await openOnionLayer(serverSk, request);
    expectText(`${encType} payload`, opened.plaintext, e.payload_utf8);
    expectEqual(`${encType} enc_type`, opened.encType, encType);
    expectEqual(`${encType} remote key`, toHex(opened.ephemeralKey), e.remote_pubkey);
    const reply = await hopEncrypt(encType, serverSk, opened.ephemeralKey, new TextEncoder().encode(e.reply_plaintext_utf8), { server: true });
    expectEqual(`${encType} reply length`, reply.length, e[lenKey]);
    expectText(`${encType} reply`, await decryptOnionResponse(encType, client, serverPk, reply), e.reply_plaintext_utf8);
  }
}

// spec/onion.md §2.5 (v4 request = bencoded [info JSON, body]), session-desktop's JSON layout.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function v4RequestEncoding(c: any): void {
  const body: Uint8Array | string | undefined = c.body_hex !== undefined && c.body_hex !== null ? hex(c.body_hex) : c.body_utf8;
  const out = encodeV4Request({ ...c.request_info, body }, { style: 'desktop' });
  expectEqual('encoding', toHex(out), c.expected_hex);
  if (c.expected_utf8 !== undefined) expectText('encoding (utf8)', out, c.expected_utf8);
  const back = decodeV4Request(out);
  expectEqual('decoded info', canonicalJson(back.info), canonicalJson(c.request_info));
  // No body: the list has one element and decodes back to no body (not an empty one).
  expectEqual('decoded body present', back.body !== undefined, body !== undefined);
  if (body !== undefined) {
    const want = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    expectEqual('decoded body', toHex(back.body as Uint8Array), toHex(want));
  }
}

// spec/onion.md §2.3: what a snode does with each upstream decrypted layer.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function innerRequest(prefix: Uint8Array, c: any): void {
  const json = new TextEncoder().encode(c.json_utf8);
  const plaintext = new Uint8Array(prefix.length + json.length);
  plaintext.set(prefix);
  plaintext.set(json, prefix.length);
  const a = classifyOnionLayer(plaintext);
  const x = c.expected;
  expectEqual('type', a.type, x.type);
  if (a.type === 'final_destination') {
    expectText('body', a.body, x.body_utf8);
  } else if (a.type === 'relay_to_server') {
    expectEqual('route', canonicalJson([a.host, a.port, a.protocol, a.target]), canonicalJson([x.host, x.port, x.protocol, x.target]));
    // The storage server forwards the whole decrypted layer (prefix and JSON) as the POST body.
    expectEqual('forwarded payload', toHex(a.payload), toHex(plaintext));
  } else {
    expectText('ciphertext', a.ciphertext, x.ciphertext_utf8);
    expectEqual('next node', a.destination, x.next_node_ed25519);
    expectEqual('ephemeral key', toHex(a.ephemeralKey), x.ephemeral_key);
    expectEqual('enc_type', a.encType, x.enc_type);
  }
}

/** The full-onion vectors and the builder style each was made with. */
const FULL_ONIONS: Record<string, 'libsession' | 'desktop'> = {
  'derived-onion-v3-snode-xchacha20': 'libsession',
  'derived-onion-v3-snode-aes-gcm': 'libsession',
  'derived-onion-v4-server-xchacha20': 'libsession',
  'derived-onion-v4-server-aes-gcm': 'libsession',
  'derived-onion-v3-snode-desktop-style': 'desktop',
};

/** Verifies test-vectors/onion/onion-layers.json. */
export const onionLayers: FileVerifier = async (doc, rec) => {
  const hop = byId(doc, 'libsession-hop-encryption-decrypt');
  if (hop) await hopDecryption(hop, rec);
  const parser = byId(doc, 'libsession-onionreq-parser');
  if (parser) await rec.vector('libsession-onionreq-parser', () => onionReqParser(parser));
  for (const [id, style] of Object.entries(FULL_ONIONS)) {
    const v = byId(doc, id);
    if (v) await rec.vector(id, () => verifyFullOnion(v, style));
  }
  const v4 = byId(doc, 'derived-v4-request-encoding');
  if (v4) {
    for (const [i, c] of list(v4, 'cases').entries()) await rec.vector(`derived-v4-request-encoding #${i + 1}`, () => v4RequestEncoding(c));
  }
  const inner = byId(doc, 'storage-server-inner-request-parsing');
  if (inner) {
    for (const [i, c] of list(inner, 'cases').entries()) {
      await rec.vector(`storage-server-inner-request-parsing #${i + 1}`, () => innerRequest(hex(inner.prefix_hex), c));
    }
    await rec.vector('storage-server-inner-request-parsing url_target_filter', () => {
      const f = inner.url_target_filter;
      for (const t of list(f, 'allowed')) expectEqual(`target ${String(t)} allowed`, isAllowedRelayTarget(t), true);
      for (const t of list(f, 'rejected')) expectEqual(`target ${String(t)} allowed`, isAllowedRelayTarget(t), false);
    });
  }
  skipOtherVectors(doc, ['libsession-hop-encryption-decrypt', 'libsession-onionreq-parser', ...Object.keys(FULL_ONIONS), 'derived-v4-request-encoding', 'storage-server-inner-request-parsing'], rec);
};
