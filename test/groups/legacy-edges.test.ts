// Legacy closed groups (spec/groups.md §1): a pair that opens the box decides the outcome (a bad
// signature is BAD_SIGNATURE, older pairs are not tried), and argument checks on the key-pair
// list, the wrapper list and member IDs.
import { describe, expect, it } from 'vitest';
import { cryptoBoxSeal } from '../../src/crypto/sealed-box.js';
import { ed25519SignSync } from '../../src/crypto/noble.js';
import { padMessage } from '../../src/envelope/padding.js';
import { isSessionSdkError } from '../../src/errors.js';
import { identityFromSeed } from '../../src/identity/keys.js';
import {
  decryptLegacyGroupMessage,
  encryptLegacyGroupMessage,
  generateLegacyEncryptionKeyPair,
  makeLegacyKeyPairWrappers,
  openLegacyKeyPairWrappers,
  openWithLegacyKeyPair,
} from '../../src/groups/index.js';

const alice = identityFromSeed(new Uint8Array(32).fill(0x61));
const bob = identityFromSeed(new Uint8Array(32).fill(0x62));
const rejects = async (p: Promise<unknown>, code: string) => expect(p).rejects.toSatisfy((e) => isSessionSdkError(e, code as never));

/** A legacy message to `pub` whose signature covers other bytes than the ones sealed. */
async function badlySigned(pub: Uint8Array, m: Uint8Array): Promise<Uint8Array> {
  const n = m.length;
  const signed = new Uint8Array(n + 64);
  signed.set(m);
  signed[0]! ^= 1; // sign a different message
  signed.set(alice.ed25519PublicKey, n);
  signed.set(pub, n + 32);
  const inner = new Uint8Array(n + 96);
  inner.set(m);
  inner.set(alice.ed25519PublicKey, n);
  inner.set(ed25519SignSync(alice.ed25519SecretKey.subarray(0, 32), signed), n + 32);
  return cryptoBoxSeal(inner, pub);
}

describe('legacy group messages', () => {
  const content = padMessage(new TextEncoder().encode('legacy hello'));

  it('a box that opens but whose signature fails is BAD_SIGNATURE, and older pairs are not tried', async () => {
    const older = generateLegacyEncryptionKeyPair();
    const current = generateLegacyEncryptionKeyPair();
    const ct = await badlySigned(current.publicKey, content);
    await rejects(openWithLegacyKeyPair(current, ct), 'BAD_SIGNATURE');
    await rejects(decryptLegacyGroupMessage([older, current], ct), 'BAD_SIGNATURE');
    // the same content correctly signed opens with the same pair list
    const good = await encryptLegacyGroupMessage(alice.ed25519SecretKey, current.publicKey, content);
    const r = await decryptLegacyGroupMessage([older, current], good);
    expect([r.keyPairIndex, r.senderSessionId]).toEqual([1, alice.sessionId]);
  });

  it('rejects a key-pair list or wrapper list that is not an array', async () => {
    await rejects(decryptLegacyGroupMessage(generateLegacyEncryptionKeyPair() as never, new Uint8Array(200)), 'INVALID_INPUT');
    await rejects(openLegacyKeyPairWrappers(bob.ed25519SecretKey, {} as never, [alice.sessionId]), 'INVALID_INPUT');
  });

  it('member IDs for wrappers must be Session ID strings (any case)', async () => {
    const kp = generateLegacyEncryptionKeyPair();
    await rejects(makeLegacyKeyPairWrappers(alice.ed25519SecretKey, [bob.sessionId, 5 as never], kp), 'INVALID_SESSION_ID');
    const [w] = await makeLegacyKeyPairWrappers(alice.ed25519SecretKey, [bob.sessionId.toUpperCase()], kp);
    expect(await openLegacyKeyPairWrappers(bob.ed25519SecretKey, [w!], [alice.sessionId])).toEqual(kp);
  });
});
