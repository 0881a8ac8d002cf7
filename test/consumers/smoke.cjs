// Shared smoke checks for the packed-tarball consumers (scripts/check-package.sh). The ESM and the
// CommonJS consumer each load EVERY subpath listed in the package's "exports" (so a new subpath is
// covered without editing this file) their own way and hand the module objects to `smoke`, which
// checks the API.md contract names, that the module subpaths and the root share one instance of
// each export (no duplicated chunks, so `instanceof SessionSdkError` holds across subpaths), and
// runs one deterministic call per module. The returned JSON must be identical for both consumers.
// @ts-nocheck -- it takes ESM namespaces and CJS exports alike, untyped on purpose; the typed use
// of the package is in each consumer's index.js, which `tsc --checkJs` checks.
'use strict';

/** API.md names each subpath must export (the root must export all of them too). */
const CONTRACT = {
  identity: ['identityFromSeed', 'generateIdentity', 'parseSessionId', 'ed25519PublicKeyToX25519', 'ed25519SecretKeyToX25519', 'mnemonicEncode', 'mnemonicDecode', 'bip39Encode', 'bip39Decode', 'blind15KeyPair', 'blind25KeyPair', 'blind15Ids', 'blind25Id', 'blind15Sign', 'blind25Sign', 'sessionIdMatchesBlindedId', 'versionBlindKeyPair', 'verifyEd25519'],
  envelope: ['encryptForRecipient', 'encryptForRecipientDeterministic', 'decryptIncoming', 'encryptForBlindedRecipient', 'decryptFromBlindedRecipient', 'padMessage', 'unpadMessage'],
  onion: ['hopEncrypt', 'hopDecrypt', 'buildOnionRequest', 'decryptOnionResponse', 'swarmSpace', 'closestSwarm', 'storageSignatureMessage', 'signStorageRequest'],
  groups: ['createGroupKeys', 'rekey', 'keySupplement', 'loadKeyMessage', 'encryptGroupMessage', 'decryptGroupMessage', 'makeSubaccount', 'subaccountSign'],
  config: ['configEncrypt', 'configDecrypt', 'configMessageHash'],
};
const ROOT_ONLY = ['SessionSdkError', 'isSessionSdkError', 'setCryptoProvider', 'getCryptoProvider'];

// Upstream identity vector (test-vectors/identity-envelope/identity.json, libsession
// tests/test_session_encrypt.cpp): this 16-byte seed has this Session ID.
const UPSTREAM_SEED = '0123456789abcdef0123456789abcdef';
const UPSTREAM_SESSION_ID = '05d2ad010eeb72d72e561d9de7bd7b6989af77dcabffa03a5111a6c859ae5c3a72';

const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const fromHex = (h) => Uint8Array.from(h.match(/../g), (b) => parseInt(b, 16));
const ramp = (n, start) => Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);
const utf8 = (s) => new TextEncoder().encode(s);
const text = (b) => new TextDecoder().decode(b);

function assert(cond, what) {
  if (!cond) throw new Error(`consumer smoke check failed: ${what}`);
}

/** Public export names of a module object (CJS interop keys dropped). */
const names = (m) => Object.keys(m).filter((k) => k !== '__esModule' && k !== 'default').sort();

/** `'.'` → `'root'`, `'./identity'` → `'identity'`. */
const keyOf = (subpath) => (subpath === '.' ? 'root' : subpath.replace(/^\.\//, ''));
/** `'.'` → `'session-sdk'`, `'./identity'` → `'session-sdk/identity'`. */
const specifierOf = (subpath) => (subpath === '.' ? 'session-sdk' : `session-sdk/${subpath.replace(/^\.\//, '')}`);
/** Code subpaths of a package.json "exports" map (package.json itself excluded). */
const subpathsOf = (pkg) => Object.keys(pkg.exports).filter((s) => s !== './package.json');

/**
 * @param {Record<string, any>} m  every subpath's module by {@link keyOf} name: root, identity, …
 * @returns {Promise<Record<string, unknown>>}
 */
async function smoke(m) {
  for (const k of ['root', ...Object.keys(CONTRACT), 'node']) assert(m[k], `the package exports the ${k} subpath`);
  const { root, identity, envelope, onion, groups, config, node } = m;
  for (const n of ROOT_ONLY) assert(n in root, `root exports ${n}`);
  for (const [sub, list] of Object.entries(CONTRACT)) {
    for (const n of list) {
      assert(typeof m[sub][n] === 'function', `session-sdk/${sub} exports ${n}`);
      assert(root[n] === m[sub][n], `root ${n} is the same function as session-sdk/${sub}'s`);
    }
    // Every name of a subpath is re-exported by the root, as the same binding.
    for (const n of names(m[sub])) assert(root[n] === m[sub][n], `root re-exports session-sdk/${sub}'s ${n} (same instance)`);
  }
  assert(typeof node.createNodeHttpTransport === 'function', 'session-sdk/node exports createNodeHttpTransport');

  const out = { exports: {} };
  for (const sub of Object.keys(m).sort()) {
    out.exports[sub] = names(m[sub]);
    assert(out.exports[sub].length > 0, `session-sdk/${sub} exports something`);
  }

  // identity: upstream vector + 13-word mnemonic round trip.
  const id = identity.identityFromSeed(fromHex(UPSTREAM_SEED));
  assert(id.sessionId === UPSTREAM_SESSION_ID, 'upstream Session ID');
  const phrase = identity.mnemonicEncode(fromHex(UPSTREAM_SEED));
  assert(phrase.split(' ').length === 13, '13-word phrase');
  assert(hex(identity.mnemonicDecode(phrase)) === UPSTREAM_SEED, 'mnemonic round trip');
  out.identity = { sessionId: id.sessionId, phrase };

  // Opt-in mnemonic word lists, when that subpath exists: each list object round-trips a seed.
  if (m['mnemonic-languages']) {
    out.languages = {};
    for (const [name, lang] of Object.entries(m['mnemonic-languages'])) {
      if (typeof lang !== 'object' || lang === null || Array.isArray(lang)) continue;
      const p = identity.mnemonicEncode(fromHex(UPSTREAM_SEED), { language: lang });
      assert(hex(identity.mnemonicDecode(p, { language: lang })) === UPSTREAM_SEED, `${name} round trip`);
      out.languages[name] = p.split(' ')[0];
    }
    assert(Object.keys(out.languages).length > 0, 'mnemonic-languages has word lists');
  }

  // envelope: deterministic 1:1 message to a second identity and back.
  const bob = identity.identityFromSeed(ramp(32, 0x40));
  const ct = await envelope.encryptForRecipientDeterministic(id.ed25519SecretKey, bob.sessionId, utf8('hi bob'));
  const opened = await envelope.decryptIncoming(bob.ed25519SecretKey, ct);
  assert(text(opened.plaintext) === 'hi bob' && opened.senderSessionId === id.sessionId, '1:1 round trip');
  out.envelope = hex(ct);

  // groups: one admin, one member, one message.
  const g = identity.identityFromSeed(ramp(32, 0xc0));
  const admin = groups.createGroupKeys({ userEd25519SecretKey: id.ed25519SecretKey, groupEd25519PublicKey: g.ed25519PublicKey, groupEd25519SecretKey: g.ed25519SecretKey });
  const member = groups.createGroupKeys({ userEd25519SecretKey: bob.ed25519SecretKey, groupEd25519PublicKey: g.ed25519PublicKey });
  const km = await groups.rekey(admin, [id.sessionId, bob.sessionId]);
  assert((await groups.loadKeyMessage(admin, km, 1_700_000_000_000)) && (await groups.loadKeyMessage(member, km, 1_700_000_000_000)), 'keys loaded');
  const gct = await groups.encryptGroupMessage(admin, utf8('hi group'), { nonce: ramp(24, 0x60) });
  assert(text((await groups.decryptGroupMessage(member, gct)).plaintext) === 'hi group', 'group round trip');
  out.groups = hex(gct);

  // onion: 1-hop request with injected layers (innermost first).
  const [guard, dest] = [0x10, 0x30].map((s) => identity.identityFromSeed(ramp(32, s)));
  const req = await onion.buildOnionRequest({
    encType: 'xchacha20',
    path: [{ ed25519PublicKey: guard.ed25519PublicKey, x25519PublicKey: guard.x25519PublicKey }],
    destination: { type: 'snode', ed25519PublicKey: dest.ed25519PublicKey, x25519PublicKey: dest.x25519PublicKey },
    payload: utf8('{"method":"info","params":{}}'),
    layers: [0, 1].map((i) => ({ ephemeralSecretKey: ramp(32, 0x90 + i), nonce: ramp(24, 0xa0 + i) })),
  });
  out.onion = hex(req.wire);

  // config: deterministic encryption round trip.
  const cfg = config.configEncrypt(utf8('d1:#i1ee'), ramp(32, 0x33), 'UserProfile');
  assert(text(config.configDecrypt(cfg, ramp(32, 0x33), 'UserProfile')) === 'd1:#i1ee', 'config round trip');
  out.config = hex(cfg);

  // errors: typed, and one class across subpaths (an identity error is a root SessionSdkError).
  try {
    identity.parseSessionId('05zz');
    assert(false, 'parseSessionId throws');
  } catch (e) {
    assert(e instanceof root.SessionSdkError && root.isSessionSdkError(e), 'error thrown via a subpath is instanceof the root SessionSdkError');
    out.errorCode = e.code;
  }
  return out;
}

module.exports = { smoke, keyOf, specifierOf, subpathsOf, UPSTREAM_SESSION_ID };
