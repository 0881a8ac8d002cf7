// Recovery phrase and restore. libsodium has no phrase codec, so the references are: for the
// phrase alone, @scure/bip39's entropy ↔ words of the same seed (a comparable table-lookup codec
// with a SHA-256 checksum); for a whole restore, libsodium deriving the same keys from the seed
// bytes (crypto_sign_seed_keypair + crypto_sign_ed25519_pk_to_curve25519), i.e. the phrase
// overhead on top of key derivation. No target in spec/performance.md; informational.
import { entropyToMnemonic, mnemonicToEntropy } from '@scure/bip39';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import _sodium from 'libsodium-wrappers-sumo';
import { identityFromSeed } from '../src/identity/keys.js';
import { mnemonicDecode, mnemonicEncode } from '../src/identity/mnemonic.js';
import { compare } from './harness.js';

export async function run(): Promise<void> {
  await _sodium.ready;
  const sodium = _sodium;
  const seed = sodium.randombytes_buf(32);
  const seed16 = seed.slice(0, 16);
  const phrase25 = mnemonicEncode(seed);
  const phrase13 = mnemonicEncode(seed16);
  const bip24 = entropyToMnemonic(seed, wordlist);
  const bip12 = entropyToMnemonic(seed16, wordlist);
  const padded = new Uint8Array(32);
  padded.set(seed16);

  await compare('mnemonic', 'encode 32 B → 25 words', () => mnemonicEncode(seed), () => entropyToMnemonic(seed, wordlist), 'scure bip39 (24 w)');
  await compare('mnemonic', 'decode 25 words → 32 B', () => mnemonicDecode(phrase25), () => mnemonicToEntropy(bip24, wordlist), 'scure bip39 (24 w)');
  await compare('mnemonic', 'decode 13 words → 16 B', () => mnemonicDecode(phrase13), () => mnemonicToEntropy(bip12, wordlist), 'scure bip39 (12 w)');
  await compare(
    'mnemonic',
    'restore: 13 words → Session ID',
    () => identityFromSeed(mnemonicDecode(phrase13)).sessionId,
    () => {
      const kp = sodium.crypto_sign_seed_keypair(padded);
      return sodium.to_hex(sodium.crypto_sign_ed25519_pk_to_curve25519(kp.publicKey));
    },
    'libsodium keys only',
  );
}
