/**
 * The receiving side of an onion layer, written from the storage server's parsing rules
 * (spec/onion.md §2.3, §2.5): open a frame with a node's (or server's) X25519 key and classify
 * what the node must do with it. Used by test networks, and to check our own builder.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { assertBytes, fromHex, toHex } from '../util/bytes.js';
import { encodeOnionFrame, parseOnionFrame } from './frame.js';
import { hopDecrypt, parseEncType, type OnionEncType } from './hop.js';
import { parseJsonObject, sortedJsonBytes, type JsonObject } from './json.js';

/**
 * An opened onion frame: the decrypted layer and the key material to answer it.
 *
 * @example
 * ```ts
 * const layer: OpenedOnionLayer = await openOnionLayer(node.x25519SecretKey, body);
 * const action = classifyOnionLayer(layer.plaintext);
 * ```
 */
export interface OpenedOnionLayer {
  /** Decrypted contents: another frame for a relay, or the payload at a server destination. */
  plaintext: Uint8Array;
  /** The layer's cipher (from `enc_type`; aes-gcm when absent). */
  encType: OnionEncType;
  /** The sender's ephemeral X25519 key; replies are encrypted to it (`hopEncrypt(…, { server: true })`). */
  ephemeralKey: Uint8Array;
  /** `hop_no` from the frame JSON (0 when absent). */
  hopNumber: number;
  /** The frame's JSON. */
  metadata: JsonObject;
}

function readEphemeralKey(v: unknown): Uint8Array {
  if (typeof v !== 'string' || v.length !== 64) throw new SessionSdkError('INVALID_ENCODING', 'onion frame "ephemeral_key" must be 64 hex characters');
  return fromHex(v, 'onion frame ephemeral_key', 'INVALID_ENCODING');
}

function readEncType(v: unknown): OnionEncType {
  try {
    return parseEncType(v);
  } catch {
    throw new SessionSdkError('INVALID_ENCODING', 'onion frame "enc_type" is not a supported cipher');
  }
}

/**
 * Opens `u32le(N) ‖ ciphertext ‖ {"ephemeral_key":…,"enc_type":…}` with this node's X25519 secret
 * (what a guard does with the request body, and a server with the last hop's forwarded frame).
 * `enc_type` absent means aes-gcm. Throws `INVALID_ENCODING` for a malformed frame and
 * `DECRYPT_FAILED` when the layer was not sealed for this key or was tampered with.
 *
 * @example
 * ```ts
 * const { plaintext, ephemeralKey, encType } = await openOnionLayer(node.x25519SecretKey, body);
 * ```
 */
export async function openOnionLayer(nodeX25519SecretKey: Uint8Array, frame: Uint8Array, opts: { nodeX25519PublicKey?: Uint8Array } = {}): Promise<OpenedOnionLayer> {
  assertBytes(nodeX25519SecretKey, 'node X25519 secret key', 32, 'INVALID_KEY');
  const { blob, metadata } = parseOnionFrame(frame);
  const ephemeralKey = readEphemeralKey(metadata.ephemeral_key);
  const encType = readEncType(metadata.enc_type);
  const hop = metadata.hop_no;
  if (hop !== undefined && (typeof hop !== 'number' || !Number.isInteger(hop) || hop < 0)) {
    throw new SessionSdkError('INVALID_ENCODING', 'onion frame "hop_no" must be a non-negative integer');
  }
  const hopOpts = opts.nodeX25519PublicKey ? { server: true, localPublicKey: opts.nodeX25519PublicKey } : { server: true };
  const plaintext = await hopDecrypt(encType, nodeX25519SecretKey, ephemeralKey, blob, hopOpts);
  return { plaintext, encType, ephemeralKey, hopNumber: hop ?? 0, metadata };
}

/**
 * What a service node does with a decrypted layer (spec/onion.md §2.3).
 *
 * @example
 * ```ts
 * const action: OnionLayerAction = classifyOnionLayer(layer.plaintext);
 * if (action.type === 'relay_to_snode') forward(action.destination, encodeRelayFrame(action));
 * ```
 */
export type OnionLayerAction =
  | {
      type: 'final_destination';
      /** The client's RPC request body. */
      body: Uint8Array;
      /** Embed the reply body as raw JSON (true) or as a JSON string (false, default). */
      json: boolean;
      /** Base64-encode the encrypted reply (default true). */
      base64: boolean;
      control: JsonObject;
    }
  | {
      type: 'relay_to_server';
      host: string;
      target: string;
      port: number;
      protocol: string;
      /** The whole decrypted layer, forwarded as the HTTP POST body. */
      payload: Uint8Array;
    }
  | {
      type: 'relay_to_snode';
      ciphertext: Uint8Array;
      /** Next node's Ed25519 key, lower-case hex. */
      destination: string;
      ephemeralKey: Uint8Array;
      encType: OnionEncType;
    };

/**
 * Classifies a decrypted layer `u32le(N) ‖ X ‖ JSON` like the storage server: a `headers` key
 * means this node is the destination; else `host` means relay over HTTP(S) to a server; else relay
 * to the snode named by `destination`. Malformed input throws `INVALID_ENCODING` (a real node would
 * answer an encrypted `400 Invalid json`).
 *
 * @example
 * ```ts
 * const action = classifyOnionLayer(opened.plaintext);
 * if (action.type === 'relay_to_snode') forward(action.destination, action.ciphertext);
 * ```
 */
export function classifyOnionLayer(plaintext: Uint8Array): OnionLayerAction {
  const { blob, json } = parseOnionFrame(plaintext);
  const meta = parseJsonObject(json, 'onion layer JSON');
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(meta, k);
  if (has('headers')) {
    const flag = (k: string, dflt: boolean): boolean => {
      const v = meta[k];
      if (v === undefined) return dflt;
      if (typeof v !== 'boolean') throw new SessionSdkError('INVALID_ENCODING', `onion control "${k}" must be a boolean`);
      return v;
    };
    return { type: 'final_destination', body: blob, json: flag('json', false), base64: flag('base64', true), control: meta };
  }
  if (has('host')) {
    const { host, target } = meta;
    if (typeof host !== 'string' || typeof target !== 'string') throw new SessionSdkError('INVALID_ENCODING', 'onion relay-to-server needs string "host" and "target"');
    const port = meta.port ?? 443;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) throw new SessionSdkError('INVALID_ENCODING', 'onion relay-to-server "port" must be 1–65535');
    const protocol = meta.protocol ?? 'https';
    if (protocol !== 'http' && protocol !== 'https') throw new SessionSdkError('INVALID_ENCODING', 'onion relay-to-server "protocol" must be http or https');
    return { type: 'relay_to_server', host, target, port, protocol, payload: plaintext };
  }
  const dest = meta.destination;
  if (typeof dest !== 'string' || !/^[0-9a-fA-F]{64}$/.test(dest)) throw new SessionSdkError('INVALID_ENCODING', 'onion relay "destination" must be 64 hex characters');
  return {
    type: 'relay_to_snode',
    ciphertext: blob,
    destination: dest.toLowerCase(),
    ephemeralKey: readEphemeralKey(meta.ephemeral_key),
    encType: readEncType(meta.enc_type),
  };
}

/**
 * The frame a relay sends on to the next snode for a `relay_to_snode` action:
 * `u32le(N) ‖ ciphertext ‖ {"enc_type":…,"ephemeral_key":…}` (the same shape as the client's wire).
 *
 * @example
 * ```ts
 * if (action.type === 'relay_to_snode') send(action.destination, encodeRelayFrame(action));
 * ```
 */
export function encodeRelayFrame(action: Extract<OnionLayerAction, { type: 'relay_to_snode' }>): Uint8Array {
  return encodeOnionFrame(action.ciphertext, sortedJsonBytes({ enc_type: action.encType, ephemeral_key: toHex(action.ephemeralKey) }));
}
