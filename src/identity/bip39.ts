/**
 * BIP39 (English) phrases of a Session seed's bytes, as an SDK-side backup format.
 *
 * **Session apps do not read BIP39** (spec/identity-envelope.md §2.5): a Session account is
 * restored from its 13- or 25-word recovery phrase ({@link mnemonicEncode}). This module exists
 * for users who want to keep the same seed in BIP39-aware tools such as hardware-wallet backup
 * cards. The phrase encodes the 16 or 32 seed bytes directly as BIP39 *entropy*; it is not a
 * PBKDF2 BIP39 seed, so wallets that derive keys from it will not produce Session keys.
 * @module
 */
import { entropyToMnemonic, mnemonicToEntropy } from '@scure/bip39';
import { wordlist as BIP39_ENGLISH } from '@scure/bip39/wordlists/english.js';
import { SessionSdkError } from '../errors.js';
import { assertBytes } from '../util/bytes.js';

let bip39Index: Map<string, number> | undefined;

function wordIndex(): Map<string, number> {
  bip39Index ??= new Map(BIP39_ENGLISH.map((w, i) => [w, i]));
  return bip39Index;
}

/**
 * The BIP39 English phrase whose entropy is `seed`: 12 words for a 16-byte seed, 24 for 32
 * bytes (a 13-word Session account's 16 bytes, or a full 32-byte seed). Throws `INVALID_LENGTH`
 * for any other length. Session apps cannot restore from it: see the module notes.
 *
 * @example
 * ```ts
 * const words = bip39Encode(id.seed); // 24 BIP39 words for a 32-byte seed
 * bip39Decode(words);                 // the same 32 bytes
 * ```
 */
export function bip39Encode(seed: Uint8Array): string {
  assertBytes(seed, 'seed', [16, 32]);
  return entropyToMnemonic(seed, BIP39_ENGLISH);
}

/**
 * The seed bytes (16 or 32) of a 12- or 24-word BIP39 English phrase, as written by
 * {@link bip39Encode}. Case and runs of whitespace are ignored; words must be spelled in full.
 *
 * Throws `INVALID_MNEMONIC_LENGTH` (not 12 or 24 words), `UNKNOWN_MNEMONIC_WORD` (the message
 * gives the position, not the word), `BAD_MNEMONIC_CHECKSUM`.
 *
 * @example
 * ```ts
 * bip39Decode('legal winner thank year wave sausage worth useful legal winner thank yellow');
 * // Uint8Array(16) of 0x7f
 * ```
 */
export function bip39Decode(phrase: string): Uint8Array {
  if (typeof phrase !== 'string') throw new SessionSdkError('INVALID_INPUT', 'phrase must be a string');
  const words = phrase
    .normalize('NFKD')
    .toLowerCase()
    .split(/\s+/u)
    .filter((w) => w !== '');
  if (words.length !== 12 && words.length !== 24) {
    throw new SessionSdkError('INVALID_MNEMONIC_LENGTH', `BIP39 phrase has ${words.length} words; expected 12 or 24`);
  }
  // Check membership ourselves: @scure/bip39's own error would quote the unknown word.
  const index = wordIndex();
  words.forEach((w, i) => {
    if (!index.has(w)) {
      throw new SessionSdkError('UNKNOWN_MNEMONIC_WORD', `word ${i + 1} of the BIP39 phrase is not in the English word list`);
    }
  });
  try {
    return mnemonicToEntropy(words.join(' '), BIP39_ENGLISH);
  } catch {
    // Shape and words are already validated, so the checksum is all that is left to fail.
    throw new SessionSdkError('BAD_MNEMONIC_CHECKSUM', 'the BIP39 phrase checksum does not match');
  }
}
