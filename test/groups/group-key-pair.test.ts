import { describe, expect, it } from 'vitest';
import { generateGroupKeyPair } from '../../src/groups/group-key-pair.js';
import { createGroupKeys, decryptGroupMessage, encryptGroupMessage, loadKeyMessage, rekey } from '../../src/groups/index.js';
import { generateIdentity } from '../../src/identity/keys.js';
import { parseSessionId } from '../../src/identity/session-id.js';
import { loadSodium } from '../helpers/sodium.js';
import { toHex } from '../helpers/vectors.js';

describe('generateGroupKeyPair', () => {
  it('gives a valid 03 group ID whose secret key is libsodium-shaped and usable by an admin', async () => {
    const sodium = await loadSodium();
    const g = generateGroupKeyPair();
    const parsed = parseSessionId(g.groupId);
    expect(parsed.prefix).toBe(0x03);
    expect(toHex(parsed.publicKey)).toBe(toHex(g.ed25519PublicKey));
    expect(toHex(sodium.crypto_sign_seed_keypair(g.ed25519SecretKey.subarray(0, 32)).privateKey)).toBe(toHex(g.ed25519SecretKey));
    expect(generateGroupKeyPair().groupId).not.toBe(g.groupId);

    const me = generateIdentity();
    const admin = createGroupKeys({ userEd25519SecretKey: me.ed25519SecretKey, groupEd25519PublicKey: g.ed25519PublicKey, groupEd25519SecretKey: g.ed25519SecretKey });
    const msg = await rekey(admin, [me.sessionId]);
    expect(await loadKeyMessage(admin, msg, Date.now())).toBe(true);
    const ct = await encryptGroupMessage(admin, Uint8Array.of(1, 2, 3));
    const out = await decryptGroupMessage(admin, ct);
    expect(out.plaintext).toEqual(Uint8Array.of(1, 2, 3));
    expect(out.senderSessionId).toBe(me.sessionId);
  });
});
