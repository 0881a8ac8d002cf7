// The reply key remembered by buildOnionRequest must give exactly what a fresh key agreement gives,
// and only for the same secret, destination and cipher.
import { describe, expect, it } from 'vitest';
import { generateIdentity } from '../../src/identity/keys.js';
import { deriveHopKey } from '../../src/onion/hop.js';
import { buildOnionRequest, wipeOnionRequest } from '../../src/onion/onion-request.js';
import { recallReplyKey } from '../../src/onion/reply-keys.js';
import { toHex } from '../helpers/vectors.js';

function node() {
  const id = generateIdentity();
  return { ed25519PublicKey: id.ed25519PublicKey, x25519PublicKey: id.x25519PublicKey };
}

describe('reply keys (spec/onion.md §3)', () => {
  it('equal the derived key, are scoped to destination and cipher, and go with wipeOnionRequest', async () => {
    const dest = node();
    const req = await buildOnionRequest({ encType: 'xchacha20', path: [node(), node()], destination: { type: 'snode', ...dest }, payload: new Uint8Array(10) });
    const fe = req.finalEphemeral;
    const remembered = recallReplyKey(fe.secretKey, dest.x25519PublicKey, 'xchacha20');
    const derived = await deriveHopKey('xchacha20', fe.secretKey, fe.publicKey, dest.x25519PublicKey, false);
    expect(remembered && toHex(remembered)).toBe(toHex(derived));
    expect(recallReplyKey(fe.secretKey, node().x25519PublicKey, 'xchacha20')).toBeUndefined();
    expect(recallReplyKey(fe.secretKey, dest.x25519PublicKey, 'aes-gcm')).toBeUndefined();
    expect(recallReplyKey(undefined, dest.x25519PublicKey, 'xchacha20')).toBeUndefined();
    wipeOnionRequest(req);
    expect(recallReplyKey(fe.secretKey, dest.x25519PublicKey, 'xchacha20')).toBeUndefined();
  });
});
