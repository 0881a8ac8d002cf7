/**
 * Session's recovery phrase ("recovery password"): bytes ↔ words from a 1626-word list, three
 * words per 4 bytes, plus an optional CRC-32 checksum word (spec/identity-envelope.md §2).
 * Byte-compatible with libsession-util's `session::mnemonics` and session-desktop's `mnEncode` /
 * `mnDecode`.
 *
 * English is the default and the list every Session app reads. libsession's other eleven lists
 * (the Monero ones) are available by name through the `language` option; they are never guessed
 * from the words, so a phrase is only ever read against the list its caller names.
 *
 * Phrases are secrets. Errors name the *position* of a bad word, never the word; the decoder
 * wipes its partial output when it fails. JavaScript strings cannot be wiped, so callers should
 * drop references to phrase strings as soon as they are decoded. Word lookup is a hash-map probe
 * and is not constant-time, as in every implementation of this format.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { assertBytes, utf8 } from '../util/bytes.js';
import { crc32 } from './crc32.js';
import { CHINESE_SIMPLIFIED_WORDS } from './wordlists/chinese-simplified.js';
import { DUTCH_WORDS } from './wordlists/dutch.js';
import { ENGLISH_WORDS } from './wordlists/english.js';
import { ESPERANTO_WORDS } from './wordlists/esperanto.js';
import { FRENCH_WORDS } from './wordlists/french.js';
import { GERMAN_WORDS } from './wordlists/german.js';
import { ITALIAN_WORDS } from './wordlists/italian.js';
import { JAPANESE_WORDS } from './wordlists/japanese.js';
import { LOJBAN_WORDS } from './wordlists/lojban.js';
import { PORTUGUESE_WORDS } from './wordlists/portuguese.js';
import { RUSSIAN_WORDS } from './wordlists/russian.js';
import { SPANISH_WORDS } from './wordlists/spanish.js';

/** Number of words in every recovery-phrase list; three words carry one 32-bit group. */
const N = 1626;

/** A recovery-phrase language: its names, its prefix length and its word list. */
interface Language {
  /** English name, as libsession's `english_name` (e.g. `'English'`). */
  readonly name: string;
  /** Name in the language itself, as libsession's `native_name`. */
  readonly nativeName: string;
  /** Number of leading code points that identify a word uniquely (spec §2.4). */
  readonly prefixLength: number;
  readonly words: readonly string[];
}

/** Public description of a supported recovery-phrase language. */
export interface MnemonicLanguageInfo {
  /** English name, accepted by the `language` option (e.g. `'English'`). */
  name: string;
  /** Native name, also accepted by the `language` option. */
  nativeName: string;
  /** Leading code points of each word that decoding looks at (3 for English). */
  prefixLength: number;
}

// libsession's twelve lists (the Monero ones), in the order its tests list them, with the names
// and prefix lengths from the header lines of its src/mnemonics/languages/*.txt. English is the
// default and the only list the Session apps are known to read (spec §2.5); the others are decoded
// only when asked for by name, never guessed, so a phrase is not read against the wrong list.
const LANGUAGES: readonly Language[] = [
  { name: 'English', nativeName: 'English', prefixLength: 3, words: ENGLISH_WORDS },
  { name: 'Chinese (simplified)', nativeName: '简体中文 (中国)', prefixLength: 1, words: CHINESE_SIMPLIFIED_WORDS },
  { name: 'Dutch', nativeName: 'Nederlands', prefixLength: 4, words: DUTCH_WORDS },
  { name: 'Esperanto', nativeName: 'Esperanto', prefixLength: 3, words: ESPERANTO_WORDS },
  { name: 'French', nativeName: 'Français', prefixLength: 4, words: FRENCH_WORDS },
  { name: 'German', nativeName: 'Deutsch', prefixLength: 4, words: GERMAN_WORDS },
  { name: 'Italian', nativeName: 'Italiano', prefixLength: 4, words: ITALIAN_WORDS },
  { name: 'Japanese', nativeName: '日本語', prefixLength: 3, words: JAPANESE_WORDS },
  { name: 'Lojban', nativeName: 'Lojban', prefixLength: 4, words: LOJBAN_WORDS },
  { name: 'Portuguese', nativeName: 'Português', prefixLength: 4, words: PORTUGUESE_WORDS },
  { name: 'Russian', nativeName: 'русский язык', prefixLength: 3, words: RUSSIAN_WORDS },
  { name: 'Spanish', nativeName: 'Español', prefixLength: 4, words: SPANISH_WORDS },
];

/**
 * The recovery-phrase languages this build supports, English first.
 *
 * @example
 * ```ts
 * mnemonicLanguages().map((l) => l.name); // ['English', 'Chinese (simplified)', 'Dutch', …]
 * ```
 */
export function mnemonicLanguages(): MnemonicLanguageInfo[] {
  return LANGUAGES.map(({ name, nativeName, prefixLength }) => ({ name, nativeName, prefixLength }));
}

/**
 * The word list of a recovery-phrase language (default English), in list order, for input UIs
 * that suggest or validate words as they are typed. The array is frozen.
 *
 * @example
 * ```ts
 * const words = mnemonicWordList();
 * words.filter((w) => w.startsWith('ama')); // ['amaze']
 * ```
 */
export function mnemonicWordList(language?: string): readonly string[] {
  return findLanguage(language).words;
}

function findLanguage(language: unknown): Language {
  if (language === undefined) return LANGUAGES[0]!;
  if (typeof language !== 'string') throw new SessionSdkError('INVALID_INPUT', 'language must be a string');
  const want = language.normalize('NFC').toLowerCase();
  for (const lang of LANGUAGES) {
    if (lang.name.toLowerCase() === want || lang.nativeName.normalize('NFC').toLowerCase() === want) return lang;
  }
  // The name is not secret, but it is caller input of any length: cap what is echoed back.
  const shown = language.length > 40 ? `${language.slice(0, 40)}…` : language;
  throw new SessionSdkError('UNKNOWN_LANGUAGE', `unknown mnemonic language ${JSON.stringify(shown)}`);
}

/**
 * The part of a word that identifies it: its first `n` code points after NFC normalisation and
 * lower-casing (spec §2.4), as current libsession's tests require. Normalising first matters: a decomposed
 * "й" would otherwise truncate to a *different* Russian word's prefix, and NFD input is what
 * macOS and several IMEs produce. Lower-casing (not full case folding, which would merge German
 * "Maßanzug" and "Maßkrug") keeps every list's prefixes unique; it cannot undo ß → SS, so a German
 * word typed with SS for ß may read as another word. The five German words with a non-ASCII
 * capital (Ästhetik, Ökologie, Ölberg, Ölkrise, Übermut) enter the checksum lower-cased, like
 * current libsession's case-insensitive lookup (its source for this was not available to check);
 * its earlier ASCII-only lower-casing kept them capitalised, which can pick another checksum word.
 */
function wordKey(word: string, n: number): string {
  let key = '';
  let count = 0;
  for (const cp of word.normalize('NFC').toLowerCase()) {
    if (count++ === n) break;
    key += cp;
  }
  return key;
}

const keyMaps = new Map<Language, Map<string, number>>();

/** Prefix → word index for `lang`, built on first use (the lists are unique by prefix). */
function keyMap(lang: Language): Map<string, number> {
  let m = keyMaps.get(lang);
  if (!m) {
    m = new Map();
    lang.words.forEach((w, i) => m!.set(wordKey(w, lang.prefixLength), i));
    keyMaps.set(lang, m);
  }
  return m;
}

/**
 * Index of the data word the checksum word repeats: CRC-32 of the concatenated (folded) prefixes
 * of the data words, mod their count (spec §2.3). Keys come from the list, so a typed word that
 * differs past its prefix checksums exactly like its canonical spelling, as in libsession.
 */
function checksumIndex(indices: ArrayLike<number>, count: number, lang: Language): number {
  let prefixes = '';
  for (let i = 0; i < count; i++) prefixes += wordKey(lang.words[indices[i]!]!, lang.prefixLength);
  return crc32(utf8(prefixes)) % count;
}

/**
 * Encodes bytes as a Session recovery phrase: 3 words per 4 bytes (little-endian), plus a
 * checksum word unless `checksum: false`. A 16-byte account seed gives the 13 words today's
 * Session apps use; a full 32-byte seed gives 25 words (spec/identity-envelope.md §2.2–2.3).
 * Words are joined by single spaces. `language` is an English or native list name
 * ({@link mnemonicLanguages}), any case; default English, the only list Session apps read.
 *
 * Throws `INVALID_LENGTH` unless `bytes` is a non-empty multiple of 4 bytes, `UNKNOWN_LANGUAGE`
 * for a language this build does not ship.
 *
 * @example
 * ```ts
 * const id = generateIdentity({ seedBytes: 16 });
 * const phrase = mnemonicEncode(id.seed.subarray(0, 16)); // 13 words
 * ```
 */
export function mnemonicEncode(bytes: Uint8Array, opts: { language?: string; checksum?: boolean } = {}): string {
  assertBytes(bytes, 'mnemonic input');
  if (bytes.length === 0 || bytes.length % 4 !== 0) {
    throw new SessionSdkError('INVALID_LENGTH', `mnemonic input must be a non-empty multiple of 4 bytes, got ${bytes.length}`);
  }
  const lang = findLanguage(opts.language);
  const withChecksum = opts.checksum ?? true;
  const count = (bytes.length / 4) * 3;
  const indices = new Uint16Array(count);
  try {
    for (let i = 0, o = 0; i < bytes.length; i += 4, o += 3) {
      const v = (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24)) >>> 0;
      const a = v % N;
      const b = (Math.floor(v / N) + a) % N;
      const c = (Math.floor(v / (N * N)) + b) % N;
      indices[o] = a;
      indices[o + 1] = b;
      indices[o + 2] = c;
    }
    const words: string[] = Array.from(indices, (ix) => lang.words[ix]!);
    if (withChecksum) words.push(words[checksumIndex(indices, count, lang)]!);
    return words.join(' ');
  } finally {
    indices.fill(0);
  }
}

/** Splits a phrase (or an array of words/phrases) on any run of whitespace. */
function splitWords(phrase: unknown): string[] {
  const parts = typeof phrase === 'string' ? [phrase] : phrase;
  if (!Array.isArray(parts)) throw new SessionSdkError('INVALID_INPUT', 'phrase must be a string or an array of strings');
  const words: string[] = [];
  for (const p of parts) {
    if (typeof p !== 'string') throw new SessionSdkError('INVALID_INPUT', 'phrase must be a string or an array of strings');
    for (const w of p.split(/\s+/u)) if (w !== '') words.push(w);
  }
  return words;
}

/**
 * Decodes a Session recovery phrase back to its bytes (16 for 12/13 words, 32 for 24/25). Any
 * non-zero multiple of 3 words is accepted, or 3k+1 with a trailing checksum word, as in
 * libsession. Words are matched by their first 3 letters (English; each list has its own prefix
 * length), in any case, after NFC normalisation; runs of whitespace (and an array of words) are
 * fine. Session apps expect 13 words; the result of a 13-word phrase is the 16-byte seed that
 * {@link identityFromSeed} zero-pads.
 *
 * Throws `INVALID_MNEMONIC_LENGTH` (word count), `UNKNOWN_MNEMONIC_WORD` (a word not in the list;
 * the message gives its position), `INVALID_MNEMONIC` (a word triplet whose value exceeds 32
 * bits), `BAD_MNEMONIC_CHECKSUM`, `UNKNOWN_LANGUAGE`.
 *
 * @example
 * ```ts
 * const seed = mnemonicDecode('ama buf cak ent sym tig lam maz nes pyt dus fax fax');
 * identityFromSeed(seed).sessionId; // 05…
 * ```
 */
export function mnemonicDecode(phrase: string | string[], opts: { language?: string } = {}): Uint8Array {
  const lang = findLanguage(opts.language);
  const words = splitWords(phrase);
  const total = words.length;
  const hasChecksum = total % 3 === 1;
  const count = hasChecksum ? total - 1 : total;
  if (count === 0 || count % 3 !== 0) {
    throw new SessionSdkError(
      'INVALID_MNEMONIC_LENGTH',
      `recovery phrase has ${total} word${total === 1 ? '' : 's'}; expected a multiple of 3, optionally plus a checksum word (13 or 25 for Session)`,
    );
  }
  const map = keyMap(lang);
  const indexOf = (i: number): number => {
    const ix = map.get(wordKey(words[i]!, lang.prefixLength));
    if (ix === undefined) {
      throw new SessionSdkError('UNKNOWN_MNEMONIC_WORD', `word ${i + 1} of the recovery phrase is not in the ${lang.name} word list`);
    }
    return ix;
  };

  const out = new Uint8Array((count / 3) * 4);
  const indices = new Uint16Array(count);
  let ok = false;
  try {
    for (let i = 0; i < count; i += 3) {
      const a = indexOf(i);
      const b = indexOf(i + 1);
      const c = indexOf(i + 2);
      indices[i] = a;
      indices[i + 1] = b;
      indices[i + 2] = c;
      // Exact in a double (< 1626³ < 2⁵³). libsession computes this in wrapping uint32 and detects
      // the wrap by `v mod n ≠ a`; without wrapping that test is equivalent to `v > 2³² − 1`.
      const v = a + ((N - a + b) % N) * N + ((N - b + c) % N) * N * N;
      if (v > 0xffffffff) {
        throw new SessionSdkError('INVALID_MNEMONIC', `words ${i + 1}–${i + 3} of the recovery phrase do not encode a 32-bit value`);
      }
      const o = (i / 3) * 4;
      out[o] = v & 0xff;
      out[o + 1] = (v >>> 8) & 0xff;
      out[o + 2] = (v >>> 16) & 0xff;
      out[o + 3] = (v >>> 24) & 0xff;
    }
    if (hasChecksum) {
      // Compared by word index, i.e. by prefix, so a typo past the prefix of the checksum word
      // still validates (spec §2.4).
      const got = indexOf(count);
      if (got !== indices[checksumIndex(indices, count, lang)]) {
        throw new SessionSdkError('BAD_MNEMONIC_CHECKSUM', `the checksum word (word ${total}) does not match the recovery phrase`);
      }
    }
    ok = true;
    return out;
  } finally {
    indices.fill(0);
    if (!ok) out.fill(0);
  }
}
