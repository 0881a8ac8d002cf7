/**
 * Identity walk-through for `npm run demo`: create an identity, show its recovery phrase, restore
 * it, a 13-word account as today's Session apps create them, and community blinding. Uses only
 * the package's public API, as an application would.
 */
import {
  bip39Decode,
  bip39Encode,
  blind15Ids,
  blind25Id,
  destroyIdentity,
  generateIdentity,
  identityFromSeed,
  isSessionSdkError,
  mnemonicDecode,
  mnemonicEncode,
  sessionIdMatchesBlindedId,
} from '../src/index.js';

/** libsession's sample community (SOGS) server key from its blinding tests (spec §4). */
const SAMPLE_SERVER_PK = 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789';
/** A published 13-word example phrase (sessionjs README; test-vectors/identity-envelope/mnemonic.json). */
const EXAMPLE_PHRASE = 'puffin luxury annoyed rustled memoir faxed smidgen puddle kiwi nylon utopia zinger kiwi';

function check(ok: boolean, what: string): string {
  if (!ok) throw new Error(`demo check failed: ${what}`);
  return `✓ ${what}`;
}

/** Lays a phrase out `perLine` words at a time, numbered, the way an app shows it for writing down. */
function layout(phrase: string, perLine = 5): string[] {
  const words = phrase.split(' ');
  const lines: string[] = [];
  for (let i = 0; i < words.length; i += perLine) {
    lines.push(
      words
        .slice(i, i + perLine)
        .map((w, j) => `${String(i + j + 1).padStart(2)}. ${w.padEnd(10)}`)
        .join(' ')
        .trimEnd(),
    );
  }
  return lines;
}

/**
 * Prints the identity walk-through through `print` (one line per call). Throws if any of its
 * checks fails, so the demo doubles as a smoke test.
 */
export async function identityDemo(print: (line: string) => void = console.log): Promise<void> {
  const say = (line = '') => print(line);

  say('1. Create a new identity (32-byte seed, the SDK default)');
  const alice = generateIdentity();
  say(`   Session ID          ${alice.sessionId}`);
  say(`   (a throwaway demo identity: its phrase is printed below; never print a real one)`);
  say();

  say('2. Its recovery phrase: 24 words for the 32 seed bytes + 1 checksum word');
  const phrase = mnemonicEncode(alice.seed);
  for (const line of layout(phrase)) say(`   ${line}`);
  say();

  say('3. Restore the account from the phrase');
  const restored = identityFromSeed(mnemonicDecode(phrase));
  say(`   Session ID          ${restored.sessionId}`);
  say(`   ${check(restored.sessionId === alice.sessionId, 'same Session ID as the new identity')}`);
  const sloppy = phrase
    .split(' ')
    .map((w) => w.slice(0, 3).toUpperCase())
    .join('   ');
  say(`   ${check(identityFromSeed(mnemonicDecode(sloppy)).sessionId === alice.sessionId, 'also from 3-letter prefixes in capitals')}`);
  const words = phrase.split(' ');
  const last = words[words.length - 1]!;
  const typo = [...words.slice(0, -1), words.find((w) => w !== last) ?? (last === 'abbey' ? 'zoom' : 'abbey')].join(' ');
  try {
    mnemonicDecode(typo);
    throw new Error('demo check failed: a wrong checksum word was accepted');
  } catch (e) {
    if (!isSessionSdkError(e, 'BAD_MNEMONIC_CHECKSUM')) throw e;
    say(`   ${check(true, `a wrong checksum word is refused: ${e.code}`)}`);
  }
  destroyIdentity(restored);
  say();

  say('4. A 13-word account, as today\'s Session apps create them (16-byte seed, zero-padded)');
  const legacy = generateIdentity({ seedBytes: 16 });
  const legacyPhrase = mnemonicEncode(legacy.seed.subarray(0, 16));
  for (const line of layout(legacyPhrase)) say(`   ${line}`);
  say(`   Session ID          ${legacy.sessionId}`);
  say(`   ${check(identityFromSeed(mnemonicDecode(legacyPhrase)).sessionId === legacy.sessionId, 'restores to the same Session ID')}`);
  destroyIdentity(legacy);
  const example = identityFromSeed(mnemonicDecode(EXAMPLE_PHRASE));
  say(`   The published example "${EXAMPLE_PHRASE.split(' ').slice(0, 3).join(' ')} …" (13 words)`);
  say(`   restores to         ${example.sessionId}`);
  destroyIdentity(example);
  say();

  say('5. Community blinding: the IDs a community server sees instead of the Session ID');
  say(`   server key          ${SAMPLE_SERVER_PK} (libsession's sample)`);
  const [b15, b15twin] = blind15Ids(alice.sessionId, SAMPLE_SERVER_PK);
  const b25 = blind25Id(alice.sessionId, SAMPLE_SERVER_PK);
  say(`   blind15 ID          ${b15}`);
  say(`     (or its twin      ${b15twin})`);
  say(`   blind25 ID          ${b25}`);
  say(`   ${check(sessionIdMatchesBlindedId(alice.sessionId, b25, SAMPLE_SERVER_PK), 'the Session ID matches its blind25 ID')}`);
  say(`   ${check(sessionIdMatchesBlindedId(alice.sessionId, b15, SAMPLE_SERVER_PK), 'the Session ID matches its blind15 ID')}`);
  say();

  say('6. Optional SDK-side backup: BIP39 words for the same seed bytes');
  say('   (Session apps do not read BIP39; restore them with bip39Decode + identityFromSeed)');
  const bip = bip39Encode(alice.seed);
  for (const line of layout(bip, 6)) say(`   ${line}`);
  say(`   ${check(identityFromSeed(bip39Decode(bip)).sessionId === alice.sessionId, 'restores to the same Session ID')}`);
  destroyIdentity(alice);
}
