/**
 * Which swarm stores an account's messages (spec/onion.md §7): the account key maps to a point in
 * the 64-bit "swarm space" and the swarm with the nearest id (on the ring) holds it. Computed
 * locally, the result must equal the storage server's own choice or it answers 421.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { fromHex } from '../util/bytes.js';
import { INVALID_SWARM_ID } from './snode-pool.js';

const U64_MAX = (1n << 64n) - 1n;

/**
 * The swarm-space position of an account: XOR of the four big-endian u64 words of the 32-byte key
 * after the 1-byte prefix (spec/onion.md §7.1). Accepts a 66-hex prefixed ID (`05…`, `03…`, any
 * prefix byte), a 64-hex bare key, or the same as 33/32 bytes.
 *
 * @example
 * ```ts
 * swarmSpace('053506f4a71324b7dd114eddbf4e311f39dde243e1f2cb97c40db1961f70ebaae8'); // 17589930838143112648n
 * ```
 */
export function swarmSpace(pubkey: string | Uint8Array): bigint {
  let bytes: Uint8Array;
  if (typeof pubkey === 'string') {
    if (pubkey.length !== 66 && pubkey.length !== 64) throw new SessionSdkError('INVALID_INPUT', 'swarm pubkey must be 66 hex characters (prefixed) or 64 (bare key)');
    bytes = fromHex(pubkey, 'swarm pubkey');
  } else if (pubkey instanceof Uint8Array) {
    bytes = pubkey;
  } else {
    throw new SessionSdkError('INVALID_INPUT', 'swarm pubkey must be a hex string or bytes');
  }
  if (bytes.length !== 33 && bytes.length !== 32) throw new SessionSdkError('INVALID_LENGTH', `swarm pubkey must be 33 or 32 bytes, got ${bytes.length}`);
  const key = bytes.length === 33 ? bytes.subarray(1) : bytes;
  const dv = new DataView(key.buffer, key.byteOffset, 32);
  return dv.getBigUint64(0) ^ dv.getBigUint64(8) ^ dv.getBigUint64(16) ^ dv.getBigUint64(24);
}

function checkU64(v: unknown, what: string): asserts v is bigint {
  if (typeof v !== 'bigint' || v < 0n || v > U64_MAX) throw new SessionSdkError('INVALID_INPUT', `${what} must be a bigint in [0, 2^64)`);
}

/**
 * The swarm id closest to `space` on the 2^64 ring (spec/onion.md §7.2): the nearest id at or
 * above wins if strictly closer than the nearest below, so exact midpoints go to the lower id and,
 * at the wrap-around, to the largest id. Duplicates and {@link INVALID_SWARM_ID} are ignored.
 * Throws `INSUFFICIENT_NODES` when no valid swarm id is given.
 *
 * @example
 * ```ts
 * closestSwarm([100n, 200n, 300n], 150n); // 100n (tie → low)
 * ```
 */
export function closestSwarm(swarmIds: readonly bigint[], space: bigint): bigint {
  if (!Array.isArray(swarmIds)) throw new SessionSdkError('INVALID_INPUT', 'swarmIds must be an array of bigints');
  checkU64(space, 'swarm space');
  const ids: bigint[] = [];
  for (const id of swarmIds) {
    checkU64(id, 'swarm id');
    if (id !== INVALID_SWARM_ID) ids.push(id);
  }
  if (ids.length === 0) throw new SessionSdkError('INSUFFICIENT_NODES', 'no valid swarm ids to choose from; refresh the service-node list');
  ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // First id >= space (binary search), wrapping to the smallest.
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! < space) lo = mid + 1;
    else hi = mid;
  }
  const ri = lo === ids.length ? 0 : lo;
  const right = ids[ri]!;
  const left = ids[ri === 0 ? ids.length - 1 : ri - 1]!;
  const dRight = (right - space) & U64_MAX;
  const dLeft = (space - left) & U64_MAX;
  return dRight < dLeft ? right : left;
}

/**
 * Groups nodes by `swarmId`, leaving out nodes with no swarm id or {@link INVALID_SWARM_ID}
 * (decommissioned nodes, spec/onion.md §7.2 and §11.4).
 *
 * @example
 * ```ts
 * const swarms = groupSwarms(pool.nodes()); // Map<bigint, ServiceNode[]>
 * ```
 */
export function groupSwarms<T extends { readonly swarmId?: bigint | undefined }>(nodes: readonly T[]): Map<bigint, T[]> {
  if (!Array.isArray(nodes)) throw new SessionSdkError('INVALID_INPUT', 'nodes must be an array');
  const out = new Map<bigint, T[]>();
  for (const n of nodes) {
    const id = n?.swarmId;
    if (typeof id !== 'bigint' || id < 0n || id >= INVALID_SWARM_ID) continue;
    const list = out.get(id);
    if (list) list.push(n);
    else out.set(id, [n]);
  }
  return out;
}

/**
 * The swarm an account belongs to, chosen from a node list that carries swarm ids: its id and its
 * members. Throws `INSUFFICIENT_NODES` when no node has a valid swarm id.
 *
 * @example
 * ```ts
 * const { swarmId, members } = swarmForPubkey(identity.sessionId, pool.nodes());
 * ```
 */
export function swarmForPubkey<T extends { readonly swarmId?: bigint | undefined }>(pubkey: string | Uint8Array, nodes: readonly T[]): { swarmId: bigint; members: T[] } {
  const space = swarmSpace(pubkey);
  const swarms = groupSwarms(nodes);
  const swarmId = closestSwarm([...swarms.keys()], space);
  return { swarmId, members: swarms.get(swarmId)! };
}
