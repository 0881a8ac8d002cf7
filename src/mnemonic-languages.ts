/**
 * `session-sdk/mnemonic-languages`: libsession's eleven non-English recovery-phrase lists (the
 * Monero ones), as opt-in {@link MnemonicLanguage} objects. English is built into
 * `session-sdk/identity`; import from here only the lists you need, and your bundle carries only
 * those (each is about 5 KB gzipped).
 *
 * Use a list by passing it as the `language` option of `mnemonicEncode` / `mnemonicDecode` /
 * `mnemonicWordList`, or register it once with `registerMnemonicLanguage` to use it by name. A
 * phrase is only ever read against the list its caller names (spec/security.md §2.5): decoding
 * an English phrase as French, say, fails or gives other bytes.
 *
 * Every list here was compared word by word with libsession-util's
 * `src/mnemonics/languages/<name>.txt` and is pinned by sha256 in
 * test/identity/mnemonic-languages.test.ts.
 *
 * @example
 * ```ts
 * import { mnemonicDecode, mnemonicEncode, registerMnemonicLanguage } from 'session-sdk/identity';
 * import { MNEMONIC_FRENCH, MNEMONIC_JAPANESE } from 'session-sdk/mnemonic-languages';
 *
 * const phrase = mnemonicEncode(seed, { language: MNEMONIC_FRENCH });
 * mnemonicDecode(phrase, { language: MNEMONIC_FRENCH }); // seed
 *
 * registerMnemonicLanguage(MNEMONIC_JAPANESE);
 * mnemonicDecode(japanesePhrase, { language: '日本語' });
 * ```
 * @module mnemonic-languages
 */
// Only data and types come from here: no SDK code, so the objects work with whichever copy of
// `session-sdk/identity` (ESM or CJS build) the caller passes them to.
import { MNEMONIC_CHINESE_SIMPLIFIED } from './identity/wordlists/chinese-simplified.js';
import { MNEMONIC_DUTCH } from './identity/wordlists/dutch.js';
import { MNEMONIC_ESPERANTO } from './identity/wordlists/esperanto.js';
import { MNEMONIC_FRENCH } from './identity/wordlists/french.js';
import { MNEMONIC_GERMAN } from './identity/wordlists/german.js';
import { MNEMONIC_ITALIAN } from './identity/wordlists/italian.js';
import { MNEMONIC_JAPANESE } from './identity/wordlists/japanese.js';
import { MNEMONIC_LOJBAN } from './identity/wordlists/lojban.js';
import { MNEMONIC_PORTUGUESE } from './identity/wordlists/portuguese.js';
import { MNEMONIC_RUSSIAN } from './identity/wordlists/russian.js';
import { MNEMONIC_SPANISH } from './identity/wordlists/spanish.js';
import type { MnemonicLanguage } from './identity/mnemonic.js';

export type { MnemonicLanguage } from './identity/mnemonic.js';
export {
  MNEMONIC_CHINESE_SIMPLIFIED,
  MNEMONIC_DUTCH,
  MNEMONIC_ESPERANTO,
  MNEMONIC_FRENCH,
  MNEMONIC_GERMAN,
  MNEMONIC_ITALIAN,
  MNEMONIC_JAPANESE,
  MNEMONIC_LOJBAN,
  MNEMONIC_PORTUGUESE,
  MNEMONIC_RUSSIAN,
  MNEMONIC_SPANISH,
};

/**
 * All eleven opt-in lists, in libsession's order (which puts English first, before these), for
 * apps that offer every language, e.g. a restore screen with a language picker. Referencing
 * this array pulls every list into the bundle.
 *
 * @example
 * ```ts
 * for (const lang of OPTIONAL_MNEMONIC_LANGUAGES) registerMnemonicLanguage(lang);
 * mnemonicLanguages().length; // 12
 * ```
 */
export const OPTIONAL_MNEMONIC_LANGUAGES: readonly MnemonicLanguage[] = /* @__PURE__ */ Object.freeze([
  MNEMONIC_CHINESE_SIMPLIFIED,
  MNEMONIC_DUTCH,
  MNEMONIC_ESPERANTO,
  MNEMONIC_FRENCH,
  MNEMONIC_GERMAN,
  MNEMONIC_ITALIAN,
  MNEMONIC_JAPANESE,
  MNEMONIC_LOJBAN,
  MNEMONIC_PORTUGUESE,
  MNEMONIC_RUSSIAN,
  MNEMONIC_SPANISH,
]);
