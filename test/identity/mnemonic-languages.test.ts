// The non-English recovery-phrase lists (spec/identity-envelope.md §2.5, security.md §2.5), opt-in
// through session-sdk/mnemonic-languages: list integrity against upstream, libsession's
// per-language vectors, Unicode normalisation, round trips, registration by name, and that
// bundles carry only the lists they import.
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { isSessionSdkError, SessionSdkError, type SessionSdkErrorCode } from '../../src/errors.js';
import { MNEMONIC_ENGLISH, mnemonicDecode, mnemonicEncode, mnemonicLanguages, type MnemonicLanguage } from '../../src/index.js';
import {
  MNEMONIC_CHINESE_SIMPLIFIED,
  MNEMONIC_FRENCH,
  MNEMONIC_GERMAN,
  MNEMONIC_JAPANESE,
  MNEMONIC_RUSSIAN,
  MNEMONIC_SPANISH,
  OPTIONAL_MNEMONIC_LANGUAGES,
} from '../../src/mnemonic-languages.js';
import { hex, toHex } from '../helpers/vectors.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** English (built in) and the eleven opt-in lists, in libsession's order. */
const ALL: readonly MnemonicLanguage[] = [MNEMONIC_ENGLISH, ...OPTIONAL_MNEMONIC_LANGUAGES];

/**
 * A fresh copy of the mnemonic module (and of the error class it throws), so registration tests
 * start from "English only" and do not leak into each other. The language objects are plain
 * data and work with any copy.
 */
async function freshMnemonic() {
  vi.resetModules();
  const m = await import('../../src/identity/mnemonic.js');
  const errors = await import('../../src/errors.js');
  return { ...m, SessionSdkError: errors.SessionSdkError, isSessionSdkError: errors.isSessionSdkError };
}

/** Runs `fn`, expecting a SessionSdkError (of class `cls`) with `code`; returns it. */
function expectCode(fn: () => unknown, code: SessionSdkErrorCode, cls: typeof SessionSdkError = SessionSdkError): SessionSdkError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    expect((e as SessionSdkError).code).toBe(code);
    return e as SessionSdkError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}

/**
 * Size of libsession's src/mnemonics/languages/<name>.txt (header lines included), in code points,
 * as read from upstream. Equal lengths (with the header rebuilt from the names and prefix length)
 * catch a dropped, added or mistyped word of a different length. Header:
 * `<name>\n<native name>\n<prefix length>\n`, then one word per line.
 */
const UPSTREAM_FILE_CODE_POINTS: Record<string, number> = {
  'Chinese (simplified)': 3285,
  Dutch: 12739,
  Esperanto: 12108,
  French: 10916,
  German: 12192,
  Italian: 12793,
  Japanese: 7575,
  Lojban: 9950,
  Portuguese: 13162,
  Russian: 11211,
  Spanish: 10643,
  English: 11485, // spec §2.1: the vendored English list (11467 bytes) plus the 18-byte header
};

/**
 * sha256 of each list's words, one per line with a final newline: the upstream .txt file minus
 * its three header lines. English's is the vendored file's (spec §2.1). The other eleven were
 * audited on 2026-11-26 against session-foundation/libsession-util
 * src/mnemonics/languages/<name>.txt (commits e194bb28, 20bd5a48, a07fcc0a, 7133598e): each
 * upstream file was read in full, transcribed independently of the SDK's copy and compared
 * word by word (0 differences in all 11 lists, headers included, all NFC), and its code-point
 * length matched the stored file's. A change to any list must change its digest here.
 */
const LIST_SHA256: Record<string, string> = {
  English: 'eaa6bce7dd92f4d6dd74f224264e0ef4ad21095d68ec77616b26ceb599baf4f7',
  'Chinese (simplified)': 'd0b846b2036f55182892d98c2410996c399ed3aee5be2d6cbfaf594e599dd522',
  Dutch: '9b2005b2c4d95360361949c7f5b43ef6a021d3ce31f01f6101a24d93540e790a',
  Esperanto: 'aa53b9b2af6586e8df69bcf04b17af4f06cac9e7ad20420d45b265f9aa18b32d',
  French: 'b17376bb1341cc32b8a7088d23c0dba3b25743c167f4e4f3d8062946ffd93e87',
  German: 'e1e6653cf418e0a392a5cd34160a8cdacb5dfce8edbac0e124fba8d7daff1f69',
  Italian: 'aea041cbb43e8e3b817b48b64001df3e28949002d99c920a8a46231319bcc121',
  Japanese: '0e879f11f3806e6b25738598cfec6f372364af7fb8c59b4874d7a406f6b0fee7',
  Lojban: '19c3f71b26c808bbe9ed7ab944ac1c8b1f11307f96d27d01874c093520c972f9',
  Portuguese: '9099aaa5470c568ca91f0040222760af55720ddc3f3a6f9e1736d4c2dd9247da',
  Russian: 'fd225689dda9d342acae6bd58ecbdba3274ded07d89936ce979a95f6d60c64ea',
  Spanish: '05da8a20ae4a5af8fc1bd02d20d1282cf72ce1a6c98b9be60b1eff4c79d424fb',
};

// libsession tests/test_mnemonics.cpp TEST_CASE("Mnemonic word list test vectors"):
// SHA-512("libsession-util mnemonic test vector") encoded without a checksum word, 48 words per
// language. They pin each list's content and order at 48 positions.
const SEED_48 = '0dd5d9bc3d68c25a396f4aacd922a4d620a19cf3c9054cb825dd8a2c5420f4f3ca314c582ffef5388df36e2546cc9103dd1776a634f676e1e631289b8d280b2e';
const LIBSESSION_48: Record<string, string> = {
  English:
    'threaten efficient wives skirting repent ashtray rural ammo reunion yoyo already tucks attire waxing uphill template ghetto anxiety utensils newt safety paper quote pebbles album gnaw puppy tidy foxes menu evenings spying wallets plotting fuselage geometry toilet cylinder swagger eels when tether cowl saga gossip vats bias federal',
  'Chinese (simplified)':
    '忆 众 瓷 坡 残 合 麻 度 综 淀 得 炭 四 弃 隆 违 亚 物 博 娘 缓 薄 纤 暗 方 减 爷 浆 官 乐 称 阀 蜡 予 谈 落 罚 志 蓝 音 浅 森 百 净 波 灌 无 格',
  Dutch:
    'tray erna zetbaas spijgat rits bedwelmd salade arubaan rodijk zottebol aorta vanmiddag belboei worp voip tosti glaasje auping waas neuzelaar saus pacht ramselaar pauze amnestie goeierd puzzelaar treur gegraaid mantel feilbaar tabak witmaker plausibel gemiddeld giepmans tyfoon derf ticket ermitage zalig trabant danenberg scampi groosman warklomp bolvormig formule',
  Esperanto:
    'sizifa ebena viskoza rapida optimisto anjono pezoforto alfabeto orfino zeto akselo stomako aplikado vazaro timida sidejo fermi alzaca tosti latitudo pilkoludo moskito ofsajdo muro akademio fimensa oblikva sklavo eskapi kisi elektro rojo vampiro neulo etullernejo feino sodakvo cigaredo safario duzo veziko simpla cemento pimento flirti tunelo babili enciklopedio',
  French:
    'skier devoir vingt rideau profond aucun rail angoisse propre vous amener star avant vampire tenter sigle fixe ardeur toge navrer rang parmi pompier pause album focus poids socle faible miel eaux rustre vague pilote faveur final songeur chiot sauge devin version sinon chasse rapace fosse tour billet enlever',
  German:
    'Salz Dezibel Wind plündern Mund Anker Oberarzt Alter Nabel Zielfoto Almosen Skikurs Anrecht Wahlen Tempo Rüstung Espe Amulett Topmodel Kampagne Ofenholz Lavasee Milchkuh Lerche Aktfoto Exil melden Sanftmut Erde Hufeisen Edelweiß Rapsöl Vorrat Luxus erkalten Erzeuger Schulbus Bogen Respekt Detektiv wechseln Sack Blauwal öffnen Fakultät Trödel Bach Einzug',
  Italian:
    'spegnere comune vigilare sartoria pulire arachidi retorica amnistia quaderno zainetto amante subire armonia velluto tirare sospiro enigma anello trattore moglie ricambio panino porzione parodia allarme esaltare polimero spezzare dorso madama cupola seme vegetale pianeta eclissi emisfero stadio cannone silicone compagna vertebra spalla calzone ricetta estrarre tulipano bagaglio dialogo',
  Japanese:
    'なさけ きかく はらう でこぼこ たんとう いとこ ちゃんこなべ いさましい たんぴん ひかく いきもの にっさん いふく はせる ねっしん どんぶり けちゃっぷ いそがしい ねんかん せいよう ちらみ そめる たぼう そんぞく あんてい けとばす だったい ななおし くめる しょっけん きまる てんぷら はこぶ たいめん けいけん けしき なれる おじさん とくしゅう きかい はったつ ないそう おくる ちりがみ けみかる のがす うせつ くうき',
  Lojban:
    "vasxu ferti rarbau tadji sisku cando sobde bloti skami faumlu birka xabju carna jbogu'e xruki tutci jicmu briju zbabu panje sombo ransu senpi rekto bifce jinku savru vensa jarco murta gapru temse jbocre rupnu jdini jgira viska dansu toldi fepri reisku vamji dacti sonci jivbu zifre cinza grake",
  Portuguese:
    'sonso druso vontade riacho paxa arlequim porvir alvura pegaso xodo alhures tavola ascorbico vetusto trovoar slide feto anotar ufologo mausoleu prezar nouveau otite nutritivo ajudante fiorde orla sossego exaustor lele emulsao rural veja ojeriza faixas feltro suor cluster seara dropes viquingue soerguer cinzento privilegios foco unheiro bemol ereto',
  Russian:
    'уровень древний эмблема тайна сельский бегство согласие арсенал сечение язык аптека фишка бивень шрам центр умолять исходить атрибут чепуха отбор сонный пуля рюкзак пшеница анкета капитан рыба ускорять иголка область женщина трибуна шорох ресурс изоляция ипподром ушко гамма тянуть драка щель уплата выходить сообщать кенгуру чужой быстрый зачет',
  Spanish:
    'pasta chiste relieve obtener mito anillo músculo aleta moho riego alambre pésimo añejo reacción pompa parcela diente altura previo intuir nación llanto mensaje loción aguja divino mecha pausa curva héroe collar óptica rasgo mamut dejar diamante pellejo brote otoño chico reflejo párrafo bozal nadar droga pronto astro crear',
};

/** Keys as the decoder builds them: first `n` code points after NFC + lower-casing. */
const key = (w: string, n: number) => Array.from(w.normalize('NFC').toLowerCase()).slice(0, n).join('');

describe('word lists', () => {
  it('exports libsession\'s eleven other lists, in its order, with its names and prefix lengths', () => {
    expect(ALL.map((l) => `${l.name}|${l.nativeName}|${l.prefixLength}`)).toEqual([
      'English|English|3',
      'Chinese (simplified)|简体中文 (中国)|1',
      'Dutch|Nederlands|4',
      'Esperanto|Esperanto|3',
      'French|Français|4',
      'German|Deutsch|4',
      'Italian|Italiano|4',
      'Japanese|日本語|3',
      'Lojban|Lojban|4',
      'Portuguese|Português|4',
      'Russian|русский язык|3',
      'Spanish|Español|4',
    ]);
    expect(Object.isFrozen(OPTIONAL_MNEMONIC_LANGUAGES)).toBe(true);
  });

  for (const lang of ALL) {
    it(`${lang.name}: 1626 NFC words, unique ${lang.prefixLength}-code-point prefixes, upstream file length, frozen`, () => {
      const { words } = lang;
      expect(words).toHaveLength(1626);
      expect(Object.isFrozen(lang)).toBe(true);
      expect(Object.isFrozen(words)).toBe(true);
      expect(words.every((w) => w.length > 0 && w === w.normalize('NFC') && !/\s/u.test(w))).toBe(true);
      expect(new Set(words.map((w) => key(w, lang.prefixLength))).size).toBe(1626);
      const file = `${lang.name}\n${lang.nativeName}\n${lang.prefixLength}\n${words.join('\n')}\n`;
      expect(Array.from(file).length).toBe(UPSTREAM_FILE_CODE_POINTS[lang.name]);
    });

    it(`${lang.name}: libsession's 48-word vector, encode and decode, by object`, () => {
      const phrase = mnemonicEncode(hex(SEED_48), { language: lang, checksum: false });
      expect(phrase).toBe(LIBSESSION_48[lang.name]);
      expect(toHex(mnemonicDecode(phrase, { language: lang }))).toBe(SEED_48);
    });
  }

  it('pins every list by the sha256 of its words, one per line', () => {
    for (const lang of ALL) {
      expect(createHash('sha256').update(lang.words.join('\n') + '\n', 'utf8').digest('hex'), lang.name).toBe(LIST_SHA256[lang.name]);
    }
    expect(Object.keys(LIST_SHA256)).toHaveLength(ALL.length);
  });
});

describe('registration by name', () => {
  it('English only by default; registered lists are listed in order and found by English or native name, any case or normalisation', async () => {
    const m = await freshMnemonic();
    expect(m.mnemonicLanguages().map((l) => l.name)).toEqual(['English']);
    expectCode(() => m.mnemonicEncode(hex(SEED_48), { language: 'French' }), 'UNKNOWN_LANGUAGE', m.SessionSdkError);
    for (const lang of OPTIONAL_MNEMONIC_LANGUAGES) m.registerMnemonicLanguage(lang);
    expect(m.mnemonicLanguages()).toEqual(ALL.map(({ name, nativeName, prefixLength }) => ({ name, nativeName, prefixLength })));
    expect(m.mnemonicWordList('Lojban')).toBe(OPTIONAL_MNEMONIC_LANGUAGES[7]!.words);
    for (const lang of ALL) {
      for (const name of [lang.name, lang.nativeName, lang.name.toUpperCase(), lang.nativeName.normalize('NFD').toLowerCase()]) {
        const phrase = m.mnemonicEncode(hex(SEED_48), { language: name, checksum: false });
        expect(phrase, name).toBe(LIBSESSION_48[lang.name]);
        expect(toHex(m.mnemonicDecode(phrase, { language: name }))).toBe(SEED_48);
        expect(m.mnemonicWordList(name)).toEqual(lang.words);
      }
    }
  });

  it('registering the same list again (same object or an equal copy) is a no-op', async () => {
    const m = await freshMnemonic();
    m.registerMnemonicLanguage(MNEMONIC_FRENCH);
    m.registerMnemonicLanguage(MNEMONIC_FRENCH);
    m.registerMnemonicLanguage({ ...MNEMONIC_FRENCH, words: [...MNEMONIC_FRENCH.words] });
    m.registerMnemonicLanguage(MNEMONIC_ENGLISH);
    expect(m.mnemonicLanguages().map((l) => l.name)).toEqual(['English', 'French']);
  });

  it('a different list under a taken name or native name is refused, English included, and nothing changes', async () => {
    const m = await freshMnemonic();
    m.registerMnemonicLanguage(MNEMONIC_GERMAN);
    const reversed = [...MNEMONIC_ENGLISH.words].reverse();
    const impostors: MnemonicLanguage[] = [
      { name: 'English', nativeName: 'Anglais', prefixLength: 3, words: reversed },
      { name: 'Other', nativeName: 'ENGLISH', prefixLength: 3, words: reversed },
      { name: 'Deutsch', nativeName: 'Fake', prefixLength: 3, words: reversed },
      { ...MNEMONIC_GERMAN, words: [...MNEMONIC_GERMAN.words].reverse() },
      { ...MNEMONIC_GERMAN, nativeName: 'Allemand' },
    ];
    for (const lang of impostors) {
      const e = expectCode(() => m.registerMnemonicLanguage(lang), 'INVALID_INPUT', m.SessionSdkError);
      expect(e.message).toContain('already available');
    }
    expect(m.mnemonicLanguages().map((l) => l.name)).toEqual(['English', 'German']);
    expect(m.mnemonicEncode(hex(SEED_48), { language: 'english', checksum: false })).toBe(LIBSESSION_48.English);
    expect(m.mnemonicEncode(hex(SEED_48), { language: 'deutsch', checksum: false })).toBe(LIBSESSION_48.German);
  });

  it('a custom well-formed list works by object and, once registered, by name', async () => {
    const m = await freshMnemonic();
    const custom: MnemonicLanguage = { name: 'Reversed', nativeName: 'Desrever', prefixLength: 3, words: [...MNEMONIC_ENGLISH.words].reverse() };
    const seed = hex(SEED_48.slice(0, 32));
    const phrase = m.mnemonicEncode(seed, { language: custom });
    expect(phrase.split(' ')[0]).toBe(custom.words[MNEMONIC_ENGLISH.words.indexOf(mnemonicEncode(seed).split(' ')[0]!)]);
    expect(toHex(m.mnemonicDecode(phrase, { language: custom }))).toBe(toHex(seed));
    expectCode(() => m.mnemonicDecode(phrase, { language: 'Reversed' }), 'UNKNOWN_LANGUAGE', m.SessionSdkError);
    m.registerMnemonicLanguage(custom);
    expect(toHex(m.mnemonicDecode(phrase, { language: 'desrever' }))).toBe(toHex(seed));
  });

  it('a language object is read once: later changes to a mutable object do not change results', async () => {
    const m = await freshMnemonic();
    const words = [...MNEMONIC_ENGLISH.words];
    const lang = { name: 'Mutable', nativeName: 'Mutable', prefixLength: 3, words };
    const seed = hex(SEED_48.slice(0, 32));
    const before = m.mnemonicEncode(seed, { language: lang });
    words.reverse();
    lang.prefixLength = 1;
    expect(m.mnemonicEncode(seed, { language: lang })).toBe(before);
    expect(Object.isFrozen(m.mnemonicWordList(lang))).toBe(true);
    expect(m.mnemonicWordList(lang)).not.toBe(words);
  });
});

describe('malformed languages', () => {
  const E = MNEMONIC_ENGLISH;
  const withWord = (i: number, w: unknown) => E.words.map((x, j) => (j === i ? w : x));
  const bad: [string, unknown][] = [
    ['1625 words', { ...E, words: E.words.slice(1) }],
    ['1627 words', { ...E, words: [...E.words, 'zzzz'] }],
    ['words not an array', { ...E, words: E.words.join('\n') }],
    ['array-like words', { ...E, words: { ...Object.fromEntries(E.words.entries()), length: 1626 } }],
    ['a non-string word', { ...E, words: withWord(5, 5) }],
    ['an empty word', { ...E, words: withWord(5, '') }],
    ['a word with a space', { ...E, words: withWord(5, 'ab cd') }],
    ['a word with a no-break space', { ...E, words: withWord(5, 'abc\u00a0d') }],
    ['an NFD word', { ...E, words: withWord(5, 'cafe\u0301') }],
    ['two words with one prefix', { ...E, words: withWord(1, E.words[0]!.slice(0, 3) + 'xyz') }],
    ['prefixes unique only case-sensitively', { ...E, words: withWord(1, E.words[0]!.slice(0, 3).toUpperCase() + 'q') }],
    ['prefixLength 0', { ...E, prefixLength: 0 }],
    ['prefixLength 1 (English prefixes collide)', { ...E, prefixLength: 1 }],
    ['prefixLength 1.5', { ...E, prefixLength: 1.5 }],
    ['prefixLength 33', { ...E, prefixLength: 33 }],
    ['prefixLength as a string', { ...E, prefixLength: '3' }],
    ['empty name', { ...E, name: '' }],
    ['name with a trailing space', { ...E, name: 'Custom ' }],
    ['65-character name', { ...E, name: 'x'.repeat(65) }],
    ['non-string native name', { ...E, nativeName: 7 }],
    ['missing words', { name: 'X', nativeName: 'X', prefixLength: 3 }],
  ];
  for (const [what, lang] of bad) {
    it(`INVALID_INPUT for ${what}, from encode, decode and registration alike`, async () => {
      const m = await freshMnemonic();
      const l = lang as MnemonicLanguage;
      expectCode(() => m.mnemonicEncode(hex('00000000'), { language: l }), 'INVALID_INPUT', m.SessionSdkError);
      expectCode(() => m.mnemonicDecode('abbey abbey abbey', { language: l }), 'INVALID_INPUT', m.SessionSdkError);
      expectCode(() => m.mnemonicWordList(l), 'INVALID_INPUT', m.SessionSdkError);
      expectCode(() => m.registerMnemonicLanguage(l), 'INVALID_INPUT', m.SessionSdkError);
      expect(m.mnemonicLanguages()).toHaveLength(1);
    });
  }

  it('errors about a list name positions, never words', () => {
    const e = expectCode(() => mnemonicEncode(hex('00000000'), { language: { ...E, name: 'Dup', words: withWord(1, 'abbzzz') as string[] } }), 'INVALID_INPUT');
    expect(e.message).toContain('words 1 and 2');
    expect(e.message).not.toContain('abb');
  });

  it('random objects as the language never throw anything but SessionSdkError', () => {
    const langLike = fc.record(
      {
        name: fc.oneof(fc.string({ maxLength: 70 }), fc.anything()),
        nativeName: fc.oneof(fc.string({ maxLength: 70 }), fc.anything()),
        prefixLength: fc.oneof(fc.integer({ min: -2, max: 40 }), fc.double(), fc.anything()),
        words: fc.oneof(fc.constant(E.words), fc.array(fc.string({ maxLength: 4 }), { maxLength: 1700 }), fc.anything()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(langLike, fc.anything()), (lang) => {
        try {
          mnemonicDecode('abbey abbey abbey', { language: lang as MnemonicLanguage });
        } catch (e) {
          if (!isSessionSdkError(e)) throw e;
        }
        return true;
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('Unicode input (libsession "a phrase decodes the same however it was typed")', () => {
  const seed = '04040404040404040404040404040404';

  it('German: NFD "mögen", all-caps "MÖGEN" and the checksum word in NFD decode to the same seed', async () => {
    const language = MNEMONIC_GERMAN;
    const words = mnemonicEncode(hex(seed), { language }).split(' ');
    expect(words).toContain('mögen');
    const nfd = words.map((w) => (w === 'mögen' ? 'mo\u0308gen' : w));
    expect(nfd.join(' ')).not.toBe(words.join(' '));
    expect(toHex(mnemonicDecode(nfd, { language }))).toBe(seed);
    const caps = words.map((w) => (w === 'mögen' ? 'MÖGEN' : w));
    expect(toHex(mnemonicDecode(caps, { language }))).toBe(seed);
    const m = await freshMnemonic();
    m.registerMnemonicLanguage(MNEMONIC_GERMAN);
    expect(toHex(m.mnemonicDecode(words.map((w) => w.toUpperCase()).join('  '), { language: 'deutsch' }))).toBe(seed);
  });

  it('Russian: decomposed "тайна" is тайна, not таинство', () => {
    const decode = (w: string) => toHex(mnemonicDecode(Array(12).fill(w), { language: MNEMONIC_RUSSIAN }));
    const composed = decode('тайна');
    expect(decode('таинство')).not.toBe(composed);
    expect(decode('таи\u0306на')).toBe(composed);
  });

  it('Spanish and French accents: the accented prefix is required, as in libsession', () => {
    const language = MNEMONIC_SPANISH;
    const phrase = mnemonicEncode(hex(SEED_48.slice(0, 32)), { language });
    expect(toHex(mnemonicDecode(phrase.toUpperCase(), { language }))).toBe(SEED_48.slice(0, 32));
    const w = mnemonicEncode(hex('00000000'), { language, checksum: false }).split(' ');
    expect(w).toEqual(['ábaco', 'ábaco', 'ábaco']);
    expect(toHex(mnemonicDecode(['ÁBACO', 'ábac', 'a\u0301baco'], { language }))).toBe('00000000');
    expectCode(() => mnemonicDecode(['abaco', 'abaco', 'abaco'], { language }), 'UNKNOWN_MNEMONIC_WORD');
  });

  it('Chinese (1-character prefix) and Japanese phrases round-trip, also with ideographic spaces', () => {
    const s = SEED_48.slice(0, 64);
    for (const language of [MNEMONIC_CHINESE_SIMPLIFIED, MNEMONIC_JAPANESE]) {
      const phrase = mnemonicEncode(hex(s), { language });
      expect(phrase.split(' ')).toHaveLength(25);
      expect(toHex(mnemonicDecode(phrase.replace(/ /g, '\u3000'), { language }))).toBe(s);
    }
    // Only the first character of a Chinese word counts, as only three letters of an English one do.
    expect(toHex(mnemonicDecode(['的一', '的', '的'], { language: MNEMONIC_CHINESE_SIMPLIFIED }))).toBe('00000000');
  });
});

describe('known limits, shared with libsession', () => {
  it('German ß typed as SS is a different prefix: "FLOSS" is Floskel, not Floß', () => {
    // Lower-casing cannot undo ß → SS; libsession folds the same way. The checksum word catches
    // most such slips (here it happens not to), so the SDK documents the hazard rather than guess.
    const language = MNEMONIC_GERMAN;
    const seed = Uint8Array.from([0, 0, 0, 0, 2, 5, 191, 22, ...new Uint8Array(24)]);
    const phrase = mnemonicEncode(seed, { language });
    expect(phrase.split(' ')).toContain('Floß');
    expect(toHex(mnemonicDecode(phrase.replace('Floß', 'FLOSS'), { language }))).not.toBe(toHex(seed));
    expect(toHex(mnemonicDecode(phrase.replace('Floß', 'FLOẞ'), { language }))).toBe(toHex(seed));
  });
});

describe('language confusion (security.md §2.5)', () => {
  it('a phrase is read only against the list it names; English is the default', async () => {
    const seed = hex(SEED_48.slice(0, 32));
    const french = mnemonicEncode(seed, { language: MNEMONIC_FRENCH });
    const m = await freshMnemonic();
    m.registerMnemonicLanguage(MNEMONIC_FRENCH);
    expect(toHex(m.mnemonicDecode(french, { language: 'Français' }))).toBe(toHex(seed));
    // Read as English, the French words are unknown, or (where a prefix happens to exist in both
    // lists) fail the checksum or give other bytes: never the same seed silently. Registering
    // French does not make it a fallback.
    for (const [decode, isSdkError] of [[mnemonicDecode, isSessionSdkError], [m.mnemonicDecode, m.isSessionSdkError]] as const) {
      try {
        expect(toHex(decode(french))).not.toBe(toHex(seed));
      } catch (e) {
        expect(isSdkError(e)).toBe(true);
      }
    }
  });

  it('words present in two lists ("atlas": English and French) map to each list\'s own index', () => {
    expect(MNEMONIC_ENGLISH.words.indexOf('atlas')).not.toBe(MNEMONIC_FRENCH.words.indexOf('atlas'));
    const en = mnemonicDecode(['atlas', 'atlas', 'atlas']);
    const fr = mnemonicDecode(['atlas', 'atlas', 'atlas'], { language: MNEMONIC_FRENCH });
    expect(toHex(en)).not.toBe(toHex(fr));
  });
});

describe('properties, every language', () => {
  it('16/32-byte seeds round-trip; encode(decode(w)) is the canonical phrase', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL),
        fc.oneof(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 32, maxLength: 32 })),
        (language, seed) => {
          const phrase = mnemonicEncode(seed, { language });
          // Capitals, except where upper-casing is lossy (German ß → SS; see the test above).
          const caps = phrase.split(' ').map((w) => (w.toUpperCase().toLowerCase() === w.toLowerCase() ? w.toUpperCase() : w));
          const back = mnemonicDecode(caps, { language });
          return toHex(back) === toHex(seed) && mnemonicEncode(back, { language }) === phrase;
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });

  it('random text and random mixes of list words never throw anything but SessionSdkError in any language', () => {
    // Any code point (lone surrogates included), built from integers: cheap to generate.
    const text = (max: number) => fc.array(fc.integer({ min: 0, max: 0x10ffff }), { maxLength: max }).map((cps) => String.fromCodePoint(...cps));
    const input = fc.constantFrom(...ALL).chain((language) =>
      fc.tuple(fc.constant(language), fc.oneof(text(120), fc.array(fc.oneof(fc.constantFrom(...language.words), text(6)), { maxLength: 30 }))),
    );
    fc.assert(
      fc.property(input, ([language, phrase]) => {
        try {
          const out = mnemonicDecode(phrase, { language });
          return out.length > 0 && out.length % 4 === 0;
        } catch (e) {
          if (!isSessionSdkError(e)) throw e;
          return true;
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('bundles carry only the lists they import', () => {
  /** Minified ESM bundle of `code` (resolved from src/), as an app bundler would produce it. */
  async function bundle(code: string): Promise<string> {
    const out = await build({
      stdin: { contents: code, resolveDir: SRC, loader: 'ts' },
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'neutral',
      charset: 'utf8',
      write: false,
      logLevel: 'silent',
    });
    return out.outputFiles[0]!.text;
  }
  // The lists stay template literals, one word per line, so three consecutive words mark a list.
  const carries = (js: string, lang: MnemonicLanguage) => js.includes(lang.words.slice(700, 703).join('\n'));

  it('session-sdk/identity (every export) carries English and none of the eleven opt-in lists', async () => {
    const js = await bundle(`export * from './identity/index.ts';`);
    expect(carries(js, MNEMONIC_ENGLISH)).toBe(true);
    for (const lang of OPTIONAL_MNEMONIC_LANGUAGES) expect(carries(js, lang), lang.name).toBe(false);
  });

  it('importing one opt-in list carries that list only', async () => {
    const js = await bundle(`export { MNEMONIC_FRENCH } from './mnemonic-languages.ts';`);
    for (const lang of ALL) expect(carries(js, lang), lang.name).toBe(lang === MNEMONIC_FRENCH);
  });

  it('OPTIONAL_MNEMONIC_LANGUAGES carries all eleven', async () => {
    const js = await bundle(`export { OPTIONAL_MNEMONIC_LANGUAGES } from './mnemonic-languages.ts';`);
    for (const lang of OPTIONAL_MNEMONIC_LANGUAGES) expect(carries(js, lang), lang.name).toBe(true);
  });
});
