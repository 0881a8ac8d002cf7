// The five opt-in recovery-phrase languages that test/identity/mnemonic-languages.test.ts reaches
// only through OPTIONAL_MNEMONIC_LANGUAGES, each by its own export: list shape, libsession's
// 48-word vector, 16- and 32-byte round trips, prefix decoding and the checksum.
import { describe, expect, it } from 'vitest';
import { isSessionSdkError } from '../../src/errors.js';
import { mnemonicDecode, mnemonicEncode, type MnemonicLanguage } from '../../src/index.js';
import {
  MNEMONIC_DUTCH,
  MNEMONIC_ESPERANTO,
  MNEMONIC_ITALIAN,
  MNEMONIC_LOJBAN,
  MNEMONIC_PORTUGUESE,
  OPTIONAL_MNEMONIC_LANGUAGES,
} from '../../src/mnemonic-languages.js';
import { hex, toHex } from '../helpers/vectors.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isSessionSdkError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a SessionSdkError, nothing was thrown');
}

// libsession-util tests/test_mnemonics.cpp (read at commit 20bd5a48), TEST_CASE "Mnemonic word
// list test vectors": SHA-512("libsession-util mnemonic test vector") as 48 words, no checksum.
const SEED_48 =
  '0dd5d9bc3d68c25a396f4aacd922a4d620a19cf3c9054cb825dd8a2c5420f4f3ca314c582ffef5388df36e2546cc9103dd1776a634f676e1e631289b8d280b2e';

const CASES: { lang: MnemonicLanguage; name: string; native: string; prefix: number; index: number; upstream48: string }[] = [
  {
    lang: MNEMONIC_DUTCH,
    name: 'Dutch',
    native: 'Nederlands',
    prefix: 4,
    index: 1,
    upstream48:
      'tray erna zetbaas spijgat rits bedwelmd salade arubaan rodijk zottebol aorta vanmiddag belboei worp voip tosti glaasje auping waas neuzelaar saus pacht ramselaar pauze amnestie goeierd puzzelaar treur gegraaid mantel feilbaar tabak witmaker plausibel gemiddeld giepmans tyfoon derf ticket ermitage zalig trabant danenberg scampi groosman warklomp bolvormig formule',
  },
  {
    lang: MNEMONIC_ESPERANTO,
    name: 'Esperanto',
    native: 'Esperanto',
    prefix: 3,
    index: 2,
    upstream48:
      'sizifa ebena viskoza rapida optimisto anjono pezoforto alfabeto orfino zeto akselo stomako aplikado vazaro timida sidejo fermi alzaca tosti latitudo pilkoludo moskito ofsajdo muro akademio fimensa oblikva sklavo eskapi kisi elektro rojo vampiro neulo etullernejo feino sodakvo cigaredo safario duzo veziko simpla cemento pimento flirti tunelo babili enciklopedio',
  },
  {
    lang: MNEMONIC_ITALIAN,
    name: 'Italian',
    native: 'Italiano',
    prefix: 4,
    index: 5,
    upstream48:
      'spegnere comune vigilare sartoria pulire arachidi retorica amnistia quaderno zainetto amante subire armonia velluto tirare sospiro enigma anello trattore moglie ricambio panino porzione parodia allarme esaltare polimero spezzare dorso madama cupola seme vegetale pianeta eclissi emisfero stadio cannone silicone compagna vertebra spalla calzone ricetta estrarre tulipano bagaglio dialogo',
  },
  {
    lang: MNEMONIC_LOJBAN,
    name: 'Lojban',
    native: 'Lojban',
    prefix: 4,
    index: 7,
    upstream48:
      "vasxu ferti rarbau tadji sisku cando sobde bloti skami faumlu birka xabju carna jbogu'e xruki tutci jicmu briju zbabu panje sombo ransu senpi rekto bifce jinku savru vensa jarco murta gapru temse jbocre rupnu jdini jgira viska dansu toldi fepri reisku vamji dacti sonci jivbu zifre cinza grake",
  },
  {
    lang: MNEMONIC_PORTUGUESE,
    name: 'Portuguese',
    native: 'Português',
    prefix: 4,
    index: 8,
    upstream48:
      'sonso druso vontade riacho paxa arlequim porvir alvura pegaso xodo alhures tavola ascorbico vetusto trovoar slide feto anotar ufologo mausoleu prezar nouveau otite nutritivo ajudante fiorde orla sossego exaustor lele emulsao rural veja ojeriza faixas feltro suor cluster seara dropes viquingue soerguer cinzento privilegios foco unheiro bemol ereto',
  },
];

const SEED16 = hex('000102030405060708090a0b0c0d0e0f');
const SEED32 = hex('f0e1d2c3b4a5968778695a4b3c2d1e0f00112233445566778899aabbccddeeff');
const keyOf = (w: string, n: number) => Array.from(w.normalize('NFC').toLowerCase()).slice(0, n).join('');

for (const c of CASES) {
  describe(`MNEMONIC_${c.name.toUpperCase()}`, () => {
    const { lang } = c;

    it('is libsession\'s list: names, prefix length, position, 1626 frozen words with unique prefixes', () => {
      expect([lang.name, lang.nativeName, lang.prefixLength]).toEqual([c.name, c.native, c.prefix]);
      expect(OPTIONAL_MNEMONIC_LANGUAGES[c.index]).toBe(lang);
      expect(Object.isFrozen(lang)).toBe(true);
      expect(Object.isFrozen(lang.words)).toBe(true);
      expect(lang.words).toHaveLength(1626);
      expect(new Set(lang.words).size).toBe(1626);
      expect(new Set(lang.words.map((w) => keyOf(w, c.prefix))).size).toBe(1626);
      // One code point fewer is not enough to tell every word apart.
      expect(new Set(lang.words.map((w) => keyOf(w, c.prefix - 1))).size).toBeLessThan(1626);
    });

    it('libsession\'s 48-word vector, both ways', () => {
      expect(mnemonicEncode(hex(SEED_48), { language: lang, checksum: false })).toBe(c.upstream48);
      expect(toHex(mnemonicDecode(c.upstream48, { language: lang }))).toBe(SEED_48);
    });

    it('round-trips 16- and 32-byte seeds with (13 / 25 words) and without (12 / 24) the checksum word', () => {
      for (const seed of [SEED16, SEED32]) {
        const words = (seed.length / 4) * 3;
        const withSum = mnemonicEncode(seed, { language: lang });
        const without = mnemonicEncode(seed, { language: lang, checksum: false });
        expect(withSum.split(' ')).toHaveLength(words + 1);
        expect(without.split(' ')).toEqual(withSum.split(' ').slice(0, words));
        expect(withSum.split(' ').slice(0, words)).toContain(withSum.split(' ')[words]); // it repeats a seed word
        expect(mnemonicDecode(withSum, { language: lang })).toEqual(seed);
        expect(mnemonicDecode(without, { language: lang })).toEqual(seed);
        // Only the prefix counts: prefixes alone, or prefixes plus a typo, decode the same.
        const ws = withSum.split(' ');
        expect(mnemonicDecode(ws.map((w) => Array.from(w).slice(0, c.prefix).join('')), { language: lang })).toEqual(seed);
        expect(mnemonicDecode(ws.map((w) => Array.from(w).slice(0, c.prefix).join('') + 'xq'), { language: lang })).toEqual(seed);
      }
    });

    it('a wrong checksum word is BAD_MNEMONIC_CHECKSUM; an unknown word UNKNOWN_MNEMONIC_WORD', () => {
      const ws = mnemonicEncode(SEED32, { language: lang }).split(' ');
      const seedWords = new Set(ws.slice(0, 24).map((w) => keyOf(w, c.prefix)));
      // A listed word that is none of the seed words can never be the checksum word.
      const other = lang.words.find((w) => !seedWords.has(keyOf(w, c.prefix)))!;
      expect(codeOf(() => mnemonicDecode([...ws.slice(0, 24), other], { language: lang }))).toBe('BAD_MNEMONIC_CHECKSUM');
      // A typo that turns a seed word into its neighbour in the list: the checksum (one of 24 words,
      // picked by a CRC) or the 32-bit range check of its triple (INVALID_MNEMONIC) catches most
      // such slips, and an uncaught one never gives back the seed.
      let caught = 0;
      for (let i = 0; i < 24; i++) {
        const swapped = lang.words[(lang.words.indexOf(ws[i]!) + 1) % 1626]!;
        const typo = ws.map((w, j) => (j === i ? swapped : w));
        try {
          expect(mnemonicDecode(typo, { language: lang })).not.toEqual(SEED32);
        } catch (e) {
          if (!isSessionSdkError(e, 'BAD_MNEMONIC_CHECKSUM', 'INVALID_MNEMONIC')) throw e;
          caught++;
        }
      }
      expect(caught).toBeGreaterThanOrEqual(20);
      expect(codeOf(() => mnemonicDecode([...ws.slice(0, 24), 'zzzzzz'], { language: lang }))).toBe('UNKNOWN_MNEMONIC_WORD');
      expect(codeOf(() => mnemonicDecode(ws.slice(0, 23), { language: lang }))).toBe('INVALID_MNEMONIC_LENGTH');
    });
  });
}
