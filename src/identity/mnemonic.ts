/**
 * Session's recovery phrase ("recovery password"): bytes ↔ words from a 1626-word list, three
 * words per 4 bytes, plus an optional CRC-32 checksum word (spec/identity-envelope.md §2).
 * Byte-compatible with libsession-util's `session::mnemonics` and session-desktop's `mnEncode` /
 * `mnDecode`.
 *
 * English is built in and the default: it is the list every Session app reads. libsession's
 * other eleven lists (the Monero ones) are opt-in {@link MnemonicLanguage} objects exported by
 * `session-sdk/mnemonic-languages`, so a bundle carries only the lists it imports. A language is
 * never guessed from the words: a phrase is only ever read against the list its caller names,
 * either by passing the object or by a name registered with {@link registerMnemonicLanguage}.
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
import { MNEMONIC_ENGLISH } from './wordlists/english.js';

export { MNEMONIC_ENGLISH } from './wordlists/english.js';

/** Number of words in every recovery-phrase list; three words carry one 32-bit group. */
const N = 1626;

/**
 * A recovery-phrase language: its names, its prefix length and its 1626 words, in the shape of
 * libsession's `src/mnemonics/languages/*.txt` (header lines `name`, `nativeName`,
 * `prefixLength`, then the words). English is built in ({@link MNEMONIC_ENGLISH}); the other
 * libsession lists come from `session-sdk/mnemonic-languages`. A custom list works too, if it
 * has 1626 NFC words without whitespace whose prefixes are unique; it is checked on first use.
 *
 * The SDK reads a language object once, on first use, and keeps a frozen snapshot: treat it as
 * immutable (the exported ones are frozen).
 *
 * @example
 * ```ts
 * import { MNEMONIC_FRENCH } from 'session-sdk/mnemonic-languages';
 * MNEMONIC_FRENCH.prefixLength; // 4
 * mnemonicEncode(seed, { language: MNEMONIC_FRENCH });
 * ```
 */
export interface MnemonicLanguage {
  /** English name, as libsession's `english_name` (e.g. `'French'`). */
  readonly name: string;
  /** Name in the language itself, as libsession's `native_name` (e.g. `'Français'`). */
  readonly nativeName: string;
  /** Number of leading code points that identify a word uniquely (spec §2.4): 3 for English. */
  readonly prefixLength: number;
  /** The 1626 words, in list order; a word's index is its value. */
  readonly words: readonly string[];
}

/**
 * Public description of an available recovery-phrase language (its list left out).
 *
 * @example
 * ```ts
 * const choices = mnemonicLanguages().map((l: MnemonicLanguageInfo) => l.nativeName); // e.g. for a picker
 * ```
 */
export interface MnemonicLanguageInfo {
  /** English name, accepted by the `language` option (e.g. `'English'`). */
  name: string;
  /** Native name, also accepted by the `language` option. */
  nativeName: string;
  /** Leading code points of each word that decoding looks at (3 for English). */
  prefixLength: number;
}

/** A checked, frozen snapshot of a {@link MnemonicLanguage} with its lookup tables. */
interface CheckedLanguage {
  readonly name: string;
  readonly nativeName: string;
  readonly prefixLength: number;
  readonly words: readonly string[];
  /** `keys[i]` is word i's prefix key (see {@link wordKey}); the checksum hashes these. */
  readonly keys: readonly string[];
  /** Prefix key → word index. */
  readonly index: ReadonlyMap<string, number>;
}

/** Upper bounds on caller-supplied language metadata, so it cannot bloat error messages. */
const MAX_NAME_LENGTH = 64;
const MAX_PREFIX_LENGTH = 32;

// Snapshots by object identity, so a language object is validated and indexed once.
const checked = new WeakMap<object, CheckedLanguage>();

// Languages reachable by name: English, then registrations in order. Built on first use so that
// importing this module does no work (and stays droppable by bundlers).
let registry: CheckedLanguage[] | undefined;
const registered = (): CheckedLanguage[] => (registry ??= [checkLanguage(MNEMONIC_ENGLISH)]);

const invalidLanguage = (why: string): SessionSdkError => new SessionSdkError('INVALID_INPUT', `invalid mnemonic language: ${why}`);

function checkName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME_LENGTH || value.trim() !== value) {
    throw invalidLanguage(`${field} must be a non-empty string of at most ${MAX_NAME_LENGTH} characters without surrounding spaces`);
  }
  return value;
}

/**
 * Validates `lang` and returns its snapshot (cached per object). The checks are what encode and
 * decode rely on: 1626 words so every index is a word; NFC and no whitespace so an encoded
 * phrase splits and reads back as the same words; unique prefix keys so decoding is unambiguous.
 */
function checkLanguage(lang: unknown): CheckedLanguage {
  if (typeof lang !== 'object' || lang === null) {
    throw new SessionSdkError('INVALID_INPUT', 'language must be a language name or a MnemonicLanguage object');
  }
  const cached = checked.get(lang);
  if (cached) return cached;
  const { name, nativeName, prefixLength, words } = lang as Partial<MnemonicLanguage>;
  checkName(name, 'name');
  checkName(nativeName, 'nativeName');
  if (!Number.isSafeInteger(prefixLength) || prefixLength! < 1 || prefixLength! > MAX_PREFIX_LENGTH) {
    throw invalidLanguage(`prefixLength must be an integer from 1 to ${MAX_PREFIX_LENGTH}`);
  }
  if (!Array.isArray(words) || words.length !== N) throw invalidLanguage(`words must be an array of ${N} strings`);
  const list: string[] = Array.from(words as readonly unknown[], (w, i) => {
    if (typeof w !== 'string' || w.length === 0 || /\s/u.test(w) || w.normalize('NFC') !== w) {
      throw invalidLanguage(`word ${i + 1} must be a non-empty NFC string without whitespace`);
    }
    return w;
  });
  // Array.from re-reads `length`; an array-like that changed under us is refused, not half-read.
  if (list.length !== N) throw invalidLanguage(`words must be an array of ${N} strings`);
  const keys = list.map((w) => wordKey(w, prefixLength!));
  const index = new Map<string, number>();
  keys.forEach((k, i) => {
    if (index.has(k)) throw invalidLanguage(`words ${index.get(k)! + 1} and ${i + 1} share their first ${prefixLength} code points`);
    index.set(k, i);
  });
  const snapshot: CheckedLanguage = Object.freeze({
    name: name!,
    nativeName: nativeName!,
    prefixLength: prefixLength!,
    // Keep a frozen list as is, so mnemonicWordList returns the very array the caller gave.
    words: Object.isFrozen(words) ? (words as readonly string[]) : Object.freeze(list),
    keys: Object.freeze(keys),
    index,
  });
  checked.set(lang, snapshot);
  return snapshot;
}

/** Case-insensitive, normalisation-insensitive form of a language name. */
const foldName = (s: string): string => s.normalize('NFC').toLowerCase();

function sameList(a: CheckedLanguage, b: CheckedLanguage): boolean {
  return (
    a.name === b.name &&
    a.nativeName === b.nativeName &&
    a.prefixLength === b.prefixLength &&
    a.words.every((w, i) => w === b.words[i])
  );
}

function findLanguage(language: unknown): CheckedLanguage {
  const langs = registered();
  if (language === undefined) return langs[0]!;
  if (typeof language !== 'string') return checkLanguage(language);
  const want = foldName(language);
  const found = langs.find((l) => foldName(l.name) === want || foldName(l.nativeName) === want);
  if (found) return found;
  // The name is not secret, but it is caller input of any length: cap what is echoed back.
  const shown = language.length > 40 ? `${language.slice(0, 40)}…` : language;
  throw new SessionSdkError(
    'UNKNOWN_LANGUAGE',
    `unknown mnemonic language ${JSON.stringify(shown)}: English is built in; import the others from ` +
      `'session-sdk/mnemonic-languages' and pass one as the language option, or register it with registerMnemonicLanguage()`,
  );
}

/**
 * Makes a language available by its English or native name (any case) to the `language` option
 * of {@link mnemonicEncode}, {@link mnemonicDecode} and {@link mnemonicWordList}, and lists it in
 * {@link mnemonicLanguages}. Useful when the language is chosen by a stored setting; passing the
 * object itself needs no registration and does not depend on this module-wide state.
 *
 * Registering the same list again is a no-op. A *different* list whose name or native name is
 * already taken (English included) is refused with `INVALID_INPUT`, so a name always means one
 * list; so is a malformed language (see {@link MnemonicLanguage}).
 *
 * @example
 * ```ts
 * import { MNEMONIC_GERMAN } from 'session-sdk/mnemonic-languages';
 * registerMnemonicLanguage(MNEMONIC_GERMAN);
 * mnemonicDecode(phrase, { language: 'Deutsch' });
 * ```
 */
export function registerMnemonicLanguage(language: MnemonicLanguage): void {
  const lang = checkLanguage(language);
  const langs = registered();
  const names = [foldName(lang.name), foldName(lang.nativeName)];
  for (const other of langs) {
    if (![foldName(other.name), foldName(other.nativeName)].some((n) => names.includes(n))) continue;
    if (sameList(other, lang)) return;
    throw new SessionSdkError(
      'INVALID_INPUT',
      `a different mnemonic language named ${JSON.stringify(other.name)} (${JSON.stringify(other.nativeName)}) is already available`,
    );
  }
  langs.push(lang);
}

/**
 * The recovery-phrase languages available by name: English first, then those registered with
 * {@link registerMnemonicLanguage}, in order.
 *
 * @example
 * ```ts
 * mnemonicLanguages().map((l) => l.name); // ['English']
 * registerMnemonicLanguage(MNEMONIC_FRENCH);
 * mnemonicLanguages().map((l) => l.name); // ['English', 'French']
 * ```
 */
export function mnemonicLanguages(): MnemonicLanguageInfo[] {
  return registered().map(({ name, nativeName, prefixLength }) => ({ name, nativeName, prefixLength }));
}

/**
 * The word list of a recovery-phrase language (default English), in list order, for input UIs
 * that suggest or validate words as they are typed. The array is frozen. `language` is a name
 * available by {@link mnemonicLanguages} or a {@link MnemonicLanguage} object.
 *
 * @example
 * ```ts
 * const words = mnemonicWordList();
 * words.filter((w) => w.startsWith('ama')); // ['amaze']
 * ```
 */
export function mnemonicWordList(language?: string | MnemonicLanguage): readonly string[] {
  return findLanguage(language).words;
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

/**
 * Index of the data word the checksum word repeats: CRC-32 of the concatenated (folded) prefixes
 * of the data words, mod their count (spec §2.3). Keys come from the list, so a typed word that
 * differs past its prefix checksums exactly like its canonical spelling, as in libsession.
 */
function checksumIndex(indices: ArrayLike<number>, count: number, lang: CheckedLanguage): number {
  let prefixes = '';
  for (let i = 0; i < count; i++) prefixes += lang.keys[indices[i]!]!;
  return crc32(utf8(prefixes)) % count;
}

/**
 * Encodes bytes as a Session recovery phrase: 3 words per 4 bytes (little-endian), plus a
 * checksum word unless `checksum: false`. A 16-byte account seed gives the 13 words today's
 * Session apps use; a full 32-byte seed gives 25 words (spec/identity-envelope.md §2.2–2.3).
 * Words are joined by single spaces. `language` is a {@link MnemonicLanguage} object or the
 * English or native name (any case) of one available by name ({@link mnemonicLanguages});
 * default English, the only list Session apps read.
 *
 * Throws `INVALID_LENGTH` unless `bytes` is a non-empty multiple of 4 bytes, `UNKNOWN_LANGUAGE`
 * for a name that is neither English nor registered, `INVALID_INPUT` for a malformed language.
 *
 * @example
 * ```ts
 * const id = generateIdentity({ seedBytes: 16 });
 * const phrase = mnemonicEncode(id.seed.subarray(0, 16)); // 13 English words
 *
 * import { MNEMONIC_SPANISH } from 'session-sdk/mnemonic-languages';
 * mnemonicEncode(id.seed.subarray(0, 16), { language: MNEMONIC_SPANISH }); // 13 Spanish words
 * ```
 */
export function mnemonicEncode(
  bytes: Uint8Array,
  opts: { language?: string | MnemonicLanguage; checksum?: boolean } = {},
): string {
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
 * `language` is as for {@link mnemonicEncode}: the phrase is read against that list only.
 *
 * Throws `INVALID_MNEMONIC_LENGTH` (word count), `UNKNOWN_MNEMONIC_WORD` (a word not in the list;
 * the message gives its position), `INVALID_MNEMONIC` (a word triplet whose value exceeds 32
 * bits), `BAD_MNEMONIC_CHECKSUM`, `UNKNOWN_LANGUAGE`, `INVALID_INPUT` (malformed language).
 *
 * @example
 * ```ts
 * const seed = mnemonicDecode('ama buf cak ent sym tig lam maz nes pyt dus fax fax');
 * identityFromSeed(seed).sessionId; // 05…
 *
 * import { MNEMONIC_GERMAN } from 'session-sdk/mnemonic-languages';
 * mnemonicDecode(germanPhrase, { language: MNEMONIC_GERMAN });
 * ```
 */
export function mnemonicDecode(phrase: string | string[], opts: { language?: string | MnemonicLanguage } = {}): Uint8Array {
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
  const indexOf = (i: number): number => {
    const ix = lang.index.get(wordKey(words[i]!, lang.prefixLength));
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
