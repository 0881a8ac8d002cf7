/**
 * Verifiers for test-vectors/onion/: swarm.json and storage-signatures.json here,
 * onion-layers.json in ./onion-layers.ts, path-constants.json in ./onion-constants.ts — each
 * mirroring test/onion through the public API.
 * @module
 */
import {
  closestSwarm,
  signStorageRequest,
  storageMessageHash,
  storageSignatureMessage,
  swarmSpace,
  type StorageSignatureRequest,
} from '../index.js';
import { byId, expectEqual, fromBase64, hex, list, skipOtherVectors, toBase64, toHex, type FileVerifier } from './check.js';
import { pathConstants } from './onion-constants.js';
import { onionLayers } from './onion-layers.js';

const u64Hex = (x: bigint): string => x.toString(16).padStart(16, '0');

// spec/onion.md §7
const swarm: FileVerifier = async (doc, rec) => {
  const space = byId(doc, 'pubkey-to-swarm-space');
  if (space) {
    for (const [i, c] of list(space, 'cases').entries()) {
      await rec.vector(`pubkey-to-swarm-space #${i + 1}`, () => {
        const got = swarmSpace(c.pubkey_hex);
        expectEqual('swarm space', got.toString(), c.expected_swarm_space_u64_decimal);
        if (c.expected_hex !== undefined) expectEqual('swarm space (hex)', u64Hex(got), c.expected_hex);
      });
    }
  }
  const ids = byId(doc, 'pubkey-to-swarm-id');
  if (ids) {
    for (const [s, set] of list(ids, 'sets').entries()) {
      const swarmIds = list(set, 'swarm_ids_decimal').map((x) => BigInt(x));
      for (const [i, c] of list(set, 'cases').entries()) {
        await rec.vector(`pubkey-to-swarm-id set ${s + 1} #${i + 1}`, () => {
          const sp = swarmSpace(c.pubkey_hex);
          if (c.swarm_space_hex !== undefined) expectEqual('swarm space (hex)', u64Hex(sp), c.swarm_space_hex);
          expectEqual('swarm id', closestSwarm(swarmIds, sp).toString(), c.expected_swarm_id_decimal);
        });
      }
    }
  }
  skipOtherVectors(doc, ['pubkey-to-swarm-space', 'pubkey-to-swarm-id'], rec);
};

/** A storage-signatures.json case as the SDK's request shape (as test/onion/storage.test.ts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function requestOf(c: any): StorageSignatureRequest {
  switch (c.method) {
    case 'retrieve':
      return { method: 'retrieve', namespace: c.namespace, timestamp: c.timestamp_ms };
    case 'store':
      return { method: 'store', namespace: c.namespace, timestamp: c.sig_timestamp_ms ?? c.timestamp_ms };
    case 'delete':
      return { method: 'delete', messages: c.messages };
    case 'delete_all':
      return { method: 'delete_all', namespace: c.namespace, timestamp: c.timestamp_ms };
    case 'delete_before':
      return { method: 'delete_before', namespace: c.namespace, before: c.before_ms };
    case 'expire_all':
      return { method: 'expire_all', namespace: c.namespace, expiry: c.expiry_ms };
    case 'expire':
      return { method: 'expire', mode: c.shorten_or_extend || undefined, expiry: c.expiry_ms, messages: c.messages };
    case 'get_expiries':
      return { method: 'get_expiries', timestamp: c.timestamp_ms, messages: c.messages };
    default:
      throw new Error(`unknown method ${String(c.method)}`);
  }
}


// spec/onion.md §6 (storage RPC signatures and message hashes)
const storageSignatures: FileVerifier = async (doc, rec) => {
  const sigs = byId(doc, 'storage-rpc-signatures');
  if (sigs) {
    for (const c of list(sigs, 'cases')) {
      await rec.vector(`storage-rpc-signatures ${String(c.id)}`, async () => {
        const req = requestOf(c);
        expectEqual('signed message', toHex(storageSignatureMessage(req)), c.message_hex);
        const keys = doc.keys?.[c.signer];
        if (!keys) throw new Error(`no keys for signer ${String(c.signer)}`);
        const sig = await signStorageRequest(hex(keys.ed25519_secret_key_64_hex), req);
        expectEqual('signature', toHex(sig), c.expected_signature?.hex);
        expectEqual('signature (base64)', toBase64(sig), c.expected_signature?.base64);
      });
    }
  }
  for (const id of ['message-hash', 'message-hash-upstream']) {
    const v = byId(doc, id);
    if (!v) continue;
    for (const [i, c] of list(v, 'cases').entries()) {
      await rec.vector(`${id} #${i + 1}`, () => {
        const data = c.data_hex !== undefined ? hex(c.data_hex) : fromBase64(c.data_base64);
        expectEqual('message hash', storageMessageHash(c.pubkey_hex, c.namespace, data), c.expected_hash);
      });
    }
  }
  skipOtherVectors(doc, ['storage-rpc-signatures', 'message-hash', 'message-hash-upstream'], rec);
};

/** Verifiers of the onion area, by file name. */
export const ONION_VERIFIERS: Record<string, FileVerifier> = {
  'swarm.json': swarm,
  'storage-signatures.json': storageSignatures,
  'onion-layers.json': onionLayers,
  'path-constants.json': pathConstants,
};
