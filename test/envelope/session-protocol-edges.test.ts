// encryptForRecipient with a custom crypto provider that fails (spec/identity-envelope.md §3):
// signing and the sealed-box key agreement run concurrently, so when either fails the caller
// must get that error, with the other operation settled first (no stray unhandled rejection).
import { afterEach, describe, expect, it } from 'vitest';
import { nobleProvider, setCryptoProvider, type CryptoProvider } from '../../src/crypto/provider.js';
import { decryptIncoming, encryptForRecipient } from '../../src/envelope/session-protocol.js';
import { identityFromSeed } from '../../src/identity/keys.js';

const alice = identityFromSeed(new Uint8Array(32).fill(0xa1));
const bob = identityFromSeed(new Uint8Array(32).fill(0xb0));
const msg = new TextEncoder().encode('hello');

let prev: CryptoProvider | undefined;
afterEach(() => {
  if (prev) setCryptoProvider(prev);
  prev = undefined;
});

describe('encryptForRecipient when the provider fails', () => {
  it('rejects with the signing error, even though the key agreement succeeded', async () => {
    const boom = new Error('HSM unavailable');
    let agreed = 0;
    prev = setCryptoProvider({
      ...nobleProvider,
      ed25519Sign: async () => {
        throw boom;
      },
      x25519: async (sk, pk) => (agreed++, nobleProvider.x25519(sk, pk)),
    });
    await expect(encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, msg)).rejects.toBe(boom);
    expect(agreed).toBe(1);
  });

  it('rejects with the key-agreement error, after the signature settled', async () => {
    const boom = new Error('x25519 failed');
    let signed = 0;
    prev = setCryptoProvider({
      ...nobleProvider,
      x25519: async () => {
        throw boom;
      },
      ed25519Sign: async (seed, m) => {
        const s = await nobleProvider.ed25519Sign(seed, m);
        signed++;
        return s;
      },
    });
    await expect(encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, msg, { ephemeralSecretKey: new Uint8Array(32).fill(7) })).rejects.toBe(boom);
    expect(signed).toBe(1);
  });

  it('works again once the provider is restored', async () => {
    const c = await encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, msg);
    expect((await decryptIncoming(bob.ed25519SecretKey, c)).plaintext).toEqual(msg);
  });
});
