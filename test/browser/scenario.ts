// The cross-runtime scenario of the browser test: one fixed sequence of SDK calls whose outputs are
// all deterministic (fixed seeds, the deterministic 1:1 variant, injected nonces and onion layer
// keys), returned as hex. The same function runs in headless Chromium on the browser bundle of
// dist/ and in Node on dist/ itself; the two results must be equal entry for entry, under both
// crypto providers. It receives the SDK as a parameter and uses only the public API (spec/API.md),
// so it runs unchanged against the built package; the import below is for types only.
import type * as Sdk from '../../src/index.js';

export type SessionSdk = typeof Sdk;
export type ProviderName = 'noble' | 'webcrypto';
/** Scenario output: name → hex (or plain string) value, in a fixed insertion order. */
export type ScenarioResult = Record<string, string>;

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16));
/** `n` bytes `start, start+1, …` (mod 256): readable fixed seeds, keys and nonces. */
const ramp = (n: number, start: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);

function check(cond: boolean, what: string): void {
  if (!cond) throw new Error(`scenario check failed: ${what}`);
}

/**
 * Upstream vector files (test-vectors/identity-envelope/identity.json and session-encrypt.json,
 * passed in as parsed JSON) whose `origin: upstream` entries anchor the run to libsession's bytes,
 * so the page is not only compared with Node but with ground truth.
 */
export interface AnchorVectors {
  identity: {
    seed_to_identity: { origin: string; input: { seed: string }; expected: { ed25519_pk: string; x25519_pk?: string; session_id?: string } }[];
  };
  sessionEncrypt: {
    deterministic_encrypt: {
      origin: string;
      input: { sender_ed25519_sk64: string; recipient_session_id: string; message_hex: string };
      expected: { ciphertext: string };
    }[];
  };
}

/**
 * Runs every step once with the given provider selected, then restores the previous provider.
 * Throws on any internal inconsistency (a round trip that does not return its input) or an
 * upstream anchor vector that does not match.
 */
export async function runScenario(sdk: SessionSdk, provider: ProviderName, anchors: AnchorVectors): Promise<ScenarioResult> {
  const prev = sdk.setCryptoProvider(provider);
  try {
    return { ...(await anchorSteps(sdk, anchors)), ...(await steps(sdk)) };
  } finally {
    sdk.setCryptoProvider(prev);
  }
}

async function anchorSteps(sdk: SessionSdk, anchors: AnchorVectors): Promise<ScenarioResult> {
  let n = 0;
  for (const v of anchors.identity.seed_to_identity.filter((x) => x.origin === 'upstream')) {
    const id = sdk.identityFromSeed(fromHex(v.input.seed));
    const what = `upstream identity for seed ${v.input.seed}`;
    check(hex(id.ed25519PublicKey) === v.expected.ed25519_pk, `${what}: Ed25519 key`);
    check(v.expected.x25519_pk === undefined || hex(id.x25519PublicKey) === v.expected.x25519_pk, `${what}: X25519 key`);
    check(v.expected.session_id === undefined || id.sessionId === v.expected.session_id, `${what}: Session ID`);
    n++;
  }
  for (const v of anchors.sessionEncrypt.deterministic_encrypt.filter((x) => x.origin === 'upstream')) {
    const { sender_ed25519_sk64: sk, recipient_session_id: to, message_hex: m } = v.input;
    const ct = await sdk.encryptForRecipientDeterministic(fromHex(sk), to, fromHex(m));
    check(hex(ct) === v.expected.ciphertext, 'upstream deterministic 1:1 ciphertext');
    n++;
  }
  check(n >= 2, 'anchor vectors present');
  return { 'anchors.upstreamVectorsMatched': String(n) };
}

async function steps(sdk: SessionSdk): Promise<ScenarioResult> {
  const out: ScenarioResult = {};

  // Identity: 32-byte seed and Session's 16-byte (13-word) seed; mnemonic round trips.
  const alice = sdk.identityFromSeed(ramp(32, 0x00));
  const bob = sdk.identityFromSeed(ramp(16, 0x40));
  for (const [name, id] of [['alice', alice], ['bob', bob]] as const) {
    out[`identity.${name}.ed25519PublicKey`] = hex(id.ed25519PublicKey);
    out[`identity.${name}.ed25519SecretKey`] = hex(id.ed25519SecretKey);
    out[`identity.${name}.x25519PublicKey`] = hex(id.x25519PublicKey);
    out[`identity.${name}.x25519SecretKey`] = hex(id.x25519SecretKey);
    out[`identity.${name}.sessionId`] = id.sessionId;
  }
  for (const n of [16, 32]) {
    const seed = ramp(n, 0x80);
    const phrase = sdk.mnemonicEncode(seed);
    const back = sdk.mnemonicDecode(phrase.toUpperCase());
    check(hex(back) === hex(seed), `mnemonic ${n}-byte round trip`);
    out[`mnemonic.${n}.phrase`] = phrase;
  }

  // 1:1 Session Protocol: deterministic encryption Alice → Bob, Bob decrypts.
  const dm = utf8('hello from the browser test ✓');
  const ct = await sdk.encryptForRecipientDeterministic(alice.ed25519SecretKey, bob.sessionId, dm);
  const opened = await sdk.decryptIncoming(bob.ed25519SecretKey, ct);
  check(hex(opened.plaintext) === hex(dm), '1:1 plaintext');
  check(opened.senderSessionId === alice.sessionId, '1:1 sender');
  out['envelope.deterministic.ciphertext'] = hex(ct);
  out['envelope.deterministic.sender'] = opened.senderSessionId;
  const ctEph = await sdk.encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, dm, { ephemeralSecretKey: ramp(32, 0x20) });
  check(hex((await sdk.decryptIncoming(bob.ed25519SecretKey, ctEph)).plaintext) === hex(dm), '1:1 injected-ephemeral plaintext');
  out['envelope.injectedEphemeral.ciphertext'] = hex(ctEph);

  // Groups v2: Alice is admin, Bob a member; one rekey, both load it, Alice writes, Bob reads.
  const group = sdk.identityFromSeed(ramp(32, 0xc0));
  const admin = sdk.createGroupKeys({
    userEd25519SecretKey: alice.ed25519SecretKey,
    groupEd25519PublicKey: group.ed25519PublicKey,
    groupEd25519SecretKey: group.ed25519SecretKey,
  });
  const member = sdk.createGroupKeys({ userEd25519SecretKey: bob.ed25519SecretKey, groupEd25519PublicKey: group.ed25519PublicKey });
  const keysMsg = await sdk.rekey(admin, [bob.sessionId, alice.sessionId]);
  const storedAt = 1_700_000_000_000;
  check(await sdk.loadKeyMessage(admin, keysMsg, storedAt), 'admin loads its own key message');
  check(await sdk.loadKeyMessage(member, keysMsg, storedAt), 'member loads the key message');
  out['groups.keysMessage'] = hex(keysMsg);
  // A compressible body exercises the zstd path, a short one the uncompressed path.
  const bodies = { short: utf8('hi group'), compressible: utf8('session '.repeat(200)) };
  for (const [name, body] of Object.entries(bodies)) {
    const gct = await sdk.encryptGroupMessage(admin, body, { nonce: ramp(24, 0x60) });
    const gopened = await sdk.decryptGroupMessage(member, gct);
    check(hex(gopened.plaintext) === hex(body), `group ${name} plaintext`);
    check(gopened.senderSessionId === alice.sessionId, `group ${name} sender`);
    out[`groups.message.${name}`] = hex(gct);
  }

  // Onion: 3-hop path to a service node and to an HTTP server, both encryption types, layer keys
  // and nonces injected (innermost first); the destination answers and we decrypt the answer.
  const nodes = [0x10, 0x30, 0x50, 0x70].map((s) => sdk.identityFromSeed(ramp(32, s)));
  const keys = (n: (typeof nodes)[number]) => ({ ed25519PublicKey: n.ed25519PublicKey, x25519PublicKey: n.x25519PublicKey });
  const path = nodes.slice(0, 3).map(keys);
  const dest = nodes[3]!;
  for (const encType of ['xchacha20', 'aes-gcm'] as const) {
    const nonceLen = encType === 'xchacha20' ? 24 : 12;
    for (const kind of ['snode', 'server'] as const) {
      const layers = [0, 1, 2, 3].map((i) => ({ ephemeralSecretKey: ramp(32, 0x90 + 8 * i), nonce: ramp(nonceLen, 0xa0 + 4 * i) }));
      const destination =
        kind === 'snode'
          ? { type: 'snode' as const, ...keys(dest) }
          : { type: 'server' as const, host: 'example.org', target: '/oxen/v4/lsrpc', protocol: 'https' as const, x25519PublicKey: dest.x25519PublicKey };
      const req = await sdk.buildOnionRequest({ encType, path, destination, payload: utf8(`{"method":"info","params":{}}`), layers });
      const tag = `onion.${encType}.${kind}`;
      out[`${tag}.wire`] = hex(req.wire);
      out[`${tag}.finalEphemeralPublicKey`] = hex(req.finalEphemeral.publicKey);
      out[`${tag}.destinationX25519PublicKey`] = hex(req.destinationX25519PublicKey);
      const answer = utf8(`{"answer":"${encType}/${kind}"}`);
      const body = await sdk.hopEncrypt(encType, dest.x25519SecretKey, req.finalEphemeral.publicKey, answer, { nonce: ramp(nonceLen, 0x11), server: true });
      const plain = await sdk.decryptOnionResponse(encType, req.finalEphemeral, req.destinationX25519PublicKey, body);
      check(hex(plain) === hex(answer), `${tag} response`);
      out[`${tag}.response`] = hex(body);
    }
  }

  // Config encryption (deterministic nonce) and message hash.
  const cfg = utf8('d1:#i1e1:&de1:<le1:=dee');
  const cfgCt = sdk.configEncrypt(cfg, ramp(32, 0x33), 'UserProfile');
  check(hex(sdk.configDecrypt(cfgCt, ramp(32, 0x33), 'UserProfile')) === hex(cfg), 'config round trip');
  out['config.ciphertext'] = hex(cfgCt);
  out['config.messageHash'] = hex(sdk.configMessageHash(cfg));

  // Randomised paths (crypto.getRandomValues): outputs differ per run, so only round trips are
  // checked and a fixed marker is recorded.
  const carol = sdk.generateIdentity();
  check(/^05[0-9a-f]{64}$/.test(carol.sessionId), 'generated Session ID');
  const rct = await sdk.encryptForRecipient(alice.ed25519SecretKey, carol.sessionId, dm);
  check(hex((await sdk.decryptIncoming(carol.ed25519SecretKey, rct)).plaintext) === hex(dm), 'random 1:1 round trip');
  const rg = await sdk.encryptGroupMessage(admin, dm);
  check(hex((await sdk.decryptGroupMessage(member, rg)).plaintext) === hex(dm), 'random-nonce group round trip');
  const rreq = await sdk.buildOnionRequest({ encType: 'xchacha20', path, destination: { type: 'snode', ...keys(dest) }, payload: dm });
  const rbody = await sdk.hopEncrypt('xchacha20', dest.x25519SecretKey, rreq.finalEphemeral.publicKey, dm, { server: true });
  check(hex(await sdk.decryptOnionResponse('xchacha20', rreq.finalEphemeral, rreq.destinationX25519PublicKey, rbody)) === hex(dm), 'random onion round trip');
  out['random.roundTrips'] = 'ok';

  // Errors are typed across the bundle boundary too.
  try {
    sdk.parseSessionId('05' + '00'.repeat(31));
    out['errors.parseSessionId'] = 'no error';
  } catch (e) {
    out['errors.parseSessionId'] = sdk.isSessionSdkError(e) ? e.code : `untyped: ${String(e)}`;
  }
  return out;
}
