// Synthetic service nodes for pool/path tests (keys are arbitrary bytes: no crypto happens here).
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '../../src/util/bytes.js';
import type { ServiceNode } from '../../src/onion/snode-pool.js';

export function fakeNode(i: number, ip: string, port = 22021, swarmId?: bigint): ServiceNode {
  const ed = sha256(new TextEncoder().encode(`ed-${i}`));
  const x = sha256(new TextEncoder().encode(`x-${i}`));
  return Object.freeze({ ed25519PublicKey: ed, x25519PublicKey: x, ed25519Hex: toHex(ed), ip, port, ...(swarmId !== undefined ? { swarmId } : {}) });
}

/** `n` nodes, node i at 10.<i>.<i>.1 style addresses: every node its own /16 and /24. */
export function distinctNodes(n: number, offset = 0): ServiceNode[] {
  return Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    return fakeNode(i, `${11 + (i >> 8)}.${i & 255}.${(i * 7) & 255}.${1 + (i % 200)}`);
  });
}

export function entryOf(n: ServiceNode): Record<string, unknown> {
  return {
    public_ip: n.ip,
    storage_port: n.port,
    pubkey_ed25519: n.ed25519Hex,
    pubkey_x25519: toHex(n.x25519PublicKey),
    ...(n.swarmId !== undefined ? { swarm_id: n.swarmId.toString() } : {}),
  };
}
