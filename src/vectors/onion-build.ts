/**
 * The full-onion vectors of test-vectors/onion/onion-layers.json (`derived-onion-*`): a 3-hop
 * request built with the vector's injected ephemeral keys and nonces must reproduce its wire bytes
 * and every layer, peel back hop by hop with the path nodes' keys, and read the destination's
 * encrypted reply — the assertions of test/onion/onion-request.test.ts and
 * onion-response.test.ts, replayed through the public API.
 * @module
 */
import {
  buildOnionRequest,
  classifyOnionLayer,
  decodeOnionFrame,
  decodeV3ResponseBody,
  decodeV4Request,
  decryptOnionResponse,
  destroyIdentity,
  encodeRelayFrame,
  encodeV4Request,
  encodeV4Response,
  getCryptoProvider,
  HOP_NONCE_LENGTH,
  hopEncrypt,
  identityFromSeed,
  openOnionLayer,
  readServerResponse,
  readSnodeResponse,
  wipeOnionRequest,
  type OnionEncType,
  type OnionLayerAction,
  type OnionResponseKeys,
  type ServerDestination,
  type SnodeKeys,
} from '../index.js';
import { canonicalJson, expectEqual, hex, list, toHex, VectorMismatch } from './check.js';

const TEXT_ENCODER = new TextEncoder();

/** Compares bytes with a vector's text: as text (readable mismatch), then byte for byte. */
export function expectText(what: string, got: Uint8Array, want: unknown): void {
  expectEqual(what, new TextDecoder().decode(got), want);
  expectEqual(`${what} (bytes)`, toHex(got), toHex(TEXT_ENCODER.encode(String(want))));
}

/** A path node or snode destination: its keys must follow from its seed (Ed25519 → X25519). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function nodeKeys(n: any, what: string): SnodeKeys {
  const id = identityFromSeed(hex(n.seed));
  try {
    expectEqual(`${what} ed25519_pubkey`, toHex(id.ed25519PublicKey), n.ed25519_pubkey);
    expectEqual(`${what} x25519_pubkey`, toHex(id.x25519PublicKey), n.x25519_pubkey);
    expectEqual(`${what} x25519_seckey`, toHex(id.x25519SecretKey), n.x25519_seckey);
  } finally {
    destroyIdentity(id);
  }
  return { ed25519PublicKey: hex(n.ed25519_pubkey), x25519PublicKey: hex(n.x25519_pubkey) };
}

/**
 * One `derived-onion-*` vector. `style` is `'desktop'` for the session-desktop formatted vector
 * (which has no reply); every other full vector must carry its destination's encrypted reply.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function verifyFullOnion(v: any, style: 'libsession' | 'desktop'): Promise<void> {
  const { inputs: i, expected: e } = v;
  const encType = i.enc_type as OnionEncType;
  const layers = list(e, 'layers');
  const nodes = list(i, 'path');
  const path = nodes.map((n, k) => nodeKeys(n, `path[${k}]`));
  const server = i.server;
  let destination: ServerDestination | ({ type: 'snode' } & SnodeKeys);
  let payload: Uint8Array;
  let destinationSecret: Uint8Array;
  if (server !== undefined) {
    destinationSecret = hex(server.x25519_seckey);
    expectEqual('server x25519_pubkey', toHex(await getCryptoProvider().x25519PublicKey(destinationSecret)), server.x25519_pubkey);
    destination = { type: 'server', host: server.host, target: server.target, protocol: server.protocol, port: server.port, x25519PublicKey: hex(server.x25519_pubkey) };
    payload = encodeV4Request({ ...JSON.parse(i.request_info_json), body: i.body_utf8 });
    expectEqual('v4 request plaintext', toHex(payload), e.v4_request_plaintext_hex);
    expectText('v4 request plaintext (utf8)', payload, e.v4_request_plaintext_utf8);
  } else {
    destination = { type: 'snode', ...nodeKeys(i.destination, 'destination') };
    destinationSecret = hex(i.destination.x25519_seckey);
    payload = TEXT_ENCODER.encode(i.payload_utf8);
  }
  const secrets = list(i, 'ephemeral_seckeys_in_use_order');
  const injected = secrets.map((s, k) => ({ ephemeralSecretKey: hex(s), nonce: hex(layers[k].iv_or_nonce) }));
  const req = await buildOnionRequest({ encType, path, destination, payload, layers: injected, style });
  try {
    expectEqual('wire', toHex(req.wire), e.wire_hex);
    expectText('outer JSON', decodeOnionFrame(req.wire).json, e.outer_json);
    expectEqual('number of layers', req.layerKeys.length, layers.length);
    for (const [k, l] of layers.entries()) {
      const key = req.layerKeys[k]!;
      expectEqual(`layers[${k}] ephemeral_seckey`, toHex(key.ephemeralSecretKey), l.ephemeral_seckey);
      expectEqual(`layers[${k}] ephemeral_pubkey`, toHex(key.ephemeralPublicKey), l.ephemeral_pubkey);
      expectEqual(`layers[${k}] encrypted_for_x25519`, toHex(key.remoteX25519PublicKey), l.encrypted_for_x25519);
    }
    expectEqual('final ephemeral public key', toHex(req.finalEphemeral.publicKey), layers[0].ephemeral_pubkey);
    expectEqual('destination X25519 key', toHex(req.destinationX25519PublicKey), layers[0].encrypted_for_x25519);

    // Peel as the nodes would: guard first; layers[path.length - hop] is the one hop `hop` opens.
    let frame = req.wire;
    for (let hop = 0; hop < nodes.length; hop++) {
      const k = nodes.length - hop;
      const l = layers[k];
      expectEqual(`layers[${k}] ciphertext`, toHex(decodeOnionFrame(frame).blob), l.ciphertext_hex);
      const opened = await openOnionLayer(hex(nodes[hop].x25519_seckey), frame);
      expectEqual(`layers[${k}] plaintext`, toHex(opened.plaintext), l.plaintext_hex);
      expectText(`layers[${k}] routing JSON`, decodeOnionFrame(opened.plaintext).json, l.routing_json);
      const action = classifyOnionLayer(opened.plaintext);
      const last = hop === nodes.length - 1;
      expectEqual(`hop ${hop} action`, action.type, last && server !== undefined ? 'relay_to_server' : 'relay_to_snode');
      if (action.type === 'relay_to_snode') {
        expectEqual(`hop ${hop} forwards to`, action.destination, last ? i.destination.ed25519_pubkey : nodes[hop + 1].ed25519_pubkey);
        frame = encodeRelayFrame(action);
      } else {
        // Asserted just above: the last hop of a server vector relays over HTTP.
        const relay = action as Extract<OnionLayerAction, { type: 'relay_to_server' }>;
        const route = canonicalJson([relay.host, relay.target, relay.port, relay.protocol]);
        expectEqual(`hop ${hop} server route`, route, canonicalJson([server.host, server.target, server.port, server.protocol]));
        expectEqual('last hop forwards', toHex(relay.payload), e.last_hop_forwards_hex);
        frame = relay.payload;
      }
    }

    expectEqual('layers[0] ciphertext', toHex(decodeOnionFrame(frame).blob), layers[0].ciphertext_hex);
    const opened = await openOnionLayer(destinationSecret, frame);
    expectEqual('layers[0] plaintext', toHex(opened.plaintext), layers[0].plaintext_hex);
    if (server !== undefined) {
      const r = decodeV4Request(opened.plaintext);
      expectEqual('v4 request info', canonicalJson(r.info), canonicalJson(JSON.parse(i.request_info_json)));
      expectEqual('v4 request has a body', r.body !== undefined, true);
      expectText('v4 request body', r.body as Uint8Array, i.body_utf8);
    } else {
      const action = classifyOnionLayer(opened.plaintext);
      expectEqual('destination action', action.type, 'final_destination');
      expectText('destination payload', (action as Extract<OnionLayerAction, { type: 'final_destination' }>).body, i.payload_utf8);
    }
    if (style === 'libsession') await verifyReply(e.response, encType, layers[0], destinationSecret, server !== undefined);
  } finally {
    wipeOnionRequest(req);
  }
}

/** The destination's encrypted reply of a full vector, as onion-response.test.ts reads it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function verifyReply(r: any, encType: OnionEncType, layer0: any, destinationSecret: Uint8Array, v4: boolean): Promise<void> {
  if (r === undefined || r === null) throw new VectorMismatch('response: expected value missing from the vector');
  expectEqual('response decrypt_with_ephemeral_seckey', r.decrypt_with_ephemeral_seckey, layer0.ephemeral_seckey);
  const keys: OnionResponseKeys = {
    encType,
    finalEphemeral: { publicKey: hex(layer0.ephemeral_pubkey), secretKey: hex(r.decrypt_with_ephemeral_seckey) },
    destinationX25519PublicKey: hex(layer0.encrypted_for_x25519),
  };
  const ciphertext = hex(r.ciphertext_hex);
  const plain = await decryptOnionResponse(encType, keys.finalEphemeral, keys.destinationX25519PublicKey, ciphertext);
  expectText('response plaintext', plain, r.plaintext_utf8);
  // The destination re-sealing the reply with the recorded nonce reproduces the vector's bytes.
  const nonce = v4 ? hex(r.iv_or_nonce) : ciphertext.subarray(0, HOP_NONCE_LENGTH[encType]);
  const again = await hopEncrypt(encType, destinationSecret, keys.finalEphemeral.publicKey, plain, { server: true, nonce });
  expectEqual('response ciphertext (re-encrypted)', toHex(again), r.ciphertext_hex);
  if (v4) {
    const res = await readServerResponse(keys, 200, ciphertext);
    const reencoded = encodeV4Response({ status: res.status, headers: res.headers }, res.body);
    expectText('v4 response re-encoded', reencoded, r.plaintext_utf8);
  } else {
    expectEqual('response base64', toHex(decodeV3ResponseBody(r.ciphertext_base64)), r.ciphertext_hex);
    const want = JSON.parse(r.plaintext_utf8);
    for (const [how, body] of [
      ['base64', r.ciphertext_base64],
      ['base64 bytes', TEXT_ENCODER.encode(r.ciphertext_base64)],
      ['{"result"} wrapper', JSON.stringify({ result: r.ciphertext_base64 })],
    ] as const) {
      const got = await readSnodeResponse(keys, 200, body);
      expectEqual(`response via ${how}`, canonicalJson(got), canonicalJson({ status: want.status, body: want.body }));
    }
  }
}
