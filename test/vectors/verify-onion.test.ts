// `session-sdk vectors verify` for test-vectors/onion/ (issue 7): every vector of the area runs
// and passes, none is skipped; one changed expected value fails exactly its vector with a
// findable label; malformed vectors fail instead of crashing or passing.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileRecorder, type FileReport, type VerifyContext } from '../../src/vectors/check.js';
import { ONION_VERIFIERS } from '../../src/vectors/onion.js';
import { verifyVectorDirectory } from '../../src/vectors/verify.js';
import { loadVectors, VECTOR_DIR } from '../helpers/vectors.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;
const noSiblings: VerifyContext = {
  loadSibling: (rel) => {
    throw new Error(`no sibling ${rel}`);
  },
};
const LAYERS = loadVectors('onion/onion-layers.json');
const byId = (id: string): Doc => structuredClone(LAYERS.vectors.find((v: Doc) => v.id === id));

async function run(file: string, doc: Doc): Promise<FileReport> {
  const rec = new FileRecorder(`onion/${file}`);
  await ONION_VERIFIERS[file]!(doc, rec, noSiblings);
  return rec.report;
}

/** Runs one onion-layers.json vector, changed by `edit`, on its own. */
async function runLayer(id: string, edit: (v: Doc) => void): Promise<FileReport> {
  const v = byId(id);
  edit(v);
  return run('onion-layers.json', { vectors: [v] });
}

/** Flips the low bit of the first byte of a hex string. */
const flipHex = (h: string): string => (parseInt(h.slice(0, 2), 16) ^ 1).toString(16).padStart(2, '0') + h.slice(2);

/** Asserts exactly one vector failed, and its failure line matches `line`. */
function failsOnly(r: FileReport, line: RegExp): void {
  expect(r.failures, JSON.stringify(r.failures)).toHaveLength(1);
  expect(r.failures[0]).toMatch(line);
  expect([r.failed, r.passed, r.skipped]).toEqual([1, r.run - 1, 0]);
}

/** How many vectors each onion file holds, counted from the file itself. */
function expectedRuns(file: string, doc: Doc): number {
  const cases = (id: string, key = 'cases'): number => doc.vectors.find((v: Doc) => v.id === id)[key].length;
  switch (file) {
    case 'onion-layers.json': {
      const hop = doc.vectors.find((v: Doc) => v.id === 'libsession-hop-encryption-decrypt').expected;
      const mustFail = ['must_fail_aesgcm_decrypt', 'also_must_fail_aesgcm_decrypt_defined_but_unused_upstream', 'must_fail_xchacha20_decrypt'].reduce((n, k) => n + hop[k].length, 0);
      // 2 decryptions + must-fail ciphertexts, the parser, 5 full onions, v4 cases, 4 layer cases + the URL filter.
      return 2 + mustFail + 1 + 5 + cases('derived-v4-request-encoding') + cases('storage-server-inner-request-parsing') + 1;
    }
    case 'path-constants.json':
      return doc.implementations.length;
    case 'swarm.json':
      return cases('pubkey-to-swarm-space') + doc.vectors.find((v: Doc) => v.id === 'pubkey-to-swarm-id').sets.reduce((n: number, s: Doc) => n + s.cases.length, 0);
    case 'storage-signatures.json':
      return cases('storage-rpc-signatures') + cases('message-hash') + cases('message-hash-upstream');
    default:
      throw new Error(file);
  }
}

describe('shipped onion-layers.json', () => {
  it('runs every vector, all pass, none skipped', async () => {
    const r = await run('onion-layers.json', LAYERS);
    expect(r.failures).toEqual([]);
    expect(r).toMatchObject({ run: expectedRuns('onion-layers.json', LAYERS), passed: r.run, failed: 0, skipped: 0 });
    expect(r.run).toBe(22);
  });
});

describe('vectors verify on a copy of test-vectors/onion/', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'session-sdk-onion-vectors-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const copy = (name: string, edit: (layers: Doc) => void): string => {
    const dir = join(tmp, name);
    cpSync(join(VECTOR_DIR, 'onion'), join(dir, 'onion'), { recursive: true });
    const path = join(dir, 'onion', 'onion-layers.json');
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    edit(doc);
    writeFileSync(path, JSON.stringify(doc, null, 2));
    return dir;
  };

  it('every file of the area: run = vectors in the file, all passed, 0 skipped', async () => {
    const r = await verifyVectorDirectory(copy('shipped', () => {}));
    const files = r.modules.find((m) => m.name === 'onion')!.files;
    expect(files.map((f) => f.file)).toEqual(['onion/onion-layers.json', 'onion/path-constants.json', 'onion/storage-signatures.json', 'onion/swarm.json']);
    for (const f of files) {
      const name = f.file.slice('onion/'.length);
      expect(f, name).toMatchObject({ run: expectedRuns(name, loadVectors(f.file)), passed: f.run, failed: 0, skipped: 0, skipReasons: [] });
    }
    expect(files.find((f) => f.file === 'onion/path-constants.json')!.run).toBe(4);
  });

  it('one flipped byte of a wire encoding fails exactly that vector', async () => {
    const dir = copy('flipped', (d) => {
      const v = d.vectors.find((x: Doc) => x.id === 'derived-onion-v4-server-aes-gcm');
      v.expected.wire_hex = flipHex(v.expected.wire_hex);
    });
    const f = (await verifyVectorDirectory(dir)).modules.find((m) => m.name === 'onion')!.files.find((x) => x.file === 'onion/onion-layers.json')!;
    failsOnly(f, /^derived-onion-v4-server-aes-gcm: wire: got 3c030000a3a3.*, vector expects 3d030000a3a3/);
  });
});

describe('onion-layers.json: a changed expected value fails exactly its vector', () => {
  it('hop decryption and must-fail ciphertexts', async () => {
    failsOnly(await runLayer('libsession-hop-encryption-decrypt', (v) => (v.inputs.aes_gcm_ciphertext = flipHex(v.inputs.aes_gcm_ciphertext))), /^hop decrypt aes-gcm: SDK threw DECRYPT_FAILED/);
    failsOnly(await runLayer('libsession-hop-encryption-decrypt', (v) => (v.derived_intermediates.aes_gcm_iv = flipHex(v.derived_intermediates.aes_gcm_iv))), /^hop decrypt aes-gcm: client re-encryption: got 1fb6/);
    const xKey = 'xchacha20_key_blake2b32_shared_A_B';
    failsOnly(await runLayer('libsession-hop-encryption-decrypt', (v) => (v.derived_intermediates[xKey] = flipHex(v.derived_intermediates[xKey]))), /^hop decrypt xchacha20: key \(server side\): got 37a3/);
    failsOnly(await runLayer('libsession-hop-encryption-decrypt', (v) => (v.expected.must_fail_xchacha20_decrypt[0] = v.inputs.xchacha20_ciphertext)), /^must_fail_xchacha20_decrypt #1: xchacha20 decrypt: expected DECRYPT_FAILED, but it was accepted$/);
    const r = await runLayer('libsession-hop-encryption-decrypt', (v) => delete v.expected.also_must_fail_aesgcm_decrypt_defined_but_unused_upstream);
    expect([r.run, r.failed]).toEqual([6, 0]);
  });

  it('OnionReqParser requests', async () => {
    const id = 'libsession-onionreq-parser';
    failsOnly(await runLayer(id, (v) => (v.derived_intermediates.aes_gcm_key = flipHex(v.derived_intermediates.aes_gcm_key))), /^libsession-onionreq-parser: aes-gcm key: got 6215/);
    failsOnly(await runLayer(id, (v) => v.expected.xchacha20_reply_length++), /^libsession-onionreq-parser: xchacha20 reply length: got 53, vector expects 54$/);
    failsOnly(await runLayer(id, (v) => (v.derived_intermediates.xchacha20_request_split.json_utf8 += ' ')), /^libsession-onionreq-parser: xchacha20 JSON: got/);
    failsOnly(await runLayer(id, (v) => (v.expected.payload_utf8 = 'Hello World')), /^libsession-onionreq-parser: aes-gcm payload: got Hello world, vector expects Hello World$/);
  });

  const full = ['derived-onion-v3-snode-xchacha20', 'derived-onion-v3-snode-aes-gcm', 'derived-onion-v4-server-xchacha20', 'derived-onion-v4-server-aes-gcm', 'derived-onion-v3-snode-desktop-style'];
  it.each(full)('%s: the wire bytes', async (id) => {
    failsOnly(await runLayer(id, (v) => (v.expected.wire_hex = flipHex(v.expected.wire_hex))), new RegExp(`^${id}: wire: got`));
  });

  it('full onions: every layer, the peeling and the reply', async () => {
    const v3 = 'derived-onion-v3-snode-xchacha20';
    const v4 = 'derived-onion-v4-server-aes-gcm';
    const cases: [string, (v: Doc) => void, RegExp][] = [
      [v3, (v) => (v.expected.outer_json = v.expected.outer_json.replace('xchacha20', 'aes-gcm')), /outer JSON: got/],
      [v3, (v) => (v.expected.layers[1].ephemeral_pubkey = flipHex(v.expected.layers[1].ephemeral_pubkey)), /layers\[1\] ephemeral_pubkey: got 7b4e/],
      [v3, (v) => (v.expected.layers[2].encrypted_for_x25519 = flipHex(v.expected.layers[2].encrypted_for_x25519)), /layers\[2\] encrypted_for_x25519: got 6034/],
      [v3, (v) => (v.expected.layers[3].ciphertext_hex = flipHex(v.expected.layers[3].ciphertext_hex)), /layers\[3\] ciphertext: got a3a3/],
      [v3, (v) => (v.expected.layers[2].plaintext_hex = flipHex(v.expected.layers[2].plaintext_hex)), /layers\[2\] plaintext: got/],
      [v3, (v) => (v.expected.layers[1].routing_json = v.expected.layers[1].routing_json.replace('"enc_type"', '"enc_typ"')), /layers\[1\] routing JSON: got/],
      [v3, (v) => (v.expected.layers[0].ciphertext_hex = flipHex(v.expected.layers[0].ciphertext_hex)), /layers\[0\] ciphertext: got a0a0/],
      [v3, (v) => (v.expected.layers[0].plaintext_hex = flipHex(v.expected.layers[0].plaintext_hex)), /layers\[0\] plaintext: got 1d00/],
      [v3, (v) => (v.inputs.payload_utf8 += ' '), /wire: got/],
      [v3, (v) => (v.inputs.path[1].x25519_pubkey = flipHex(v.inputs.path[1].x25519_pubkey)), /path\[1\] x25519_pubkey: got 6034/],
      [v3, (v) => (v.inputs.destination.x25519_seckey = flipHex(v.inputs.destination.x25519_seckey)), /destination x25519_seckey: got 483e/],
      [v3, (v) => (v.expected.response.ciphertext_base64 = 'x' + v.expected.response.ciphertext_base64.slice(1)), /response base64: got c4c0/],
      [v3, (v) => (v.expected.response.plaintext_utf8 = v.expected.response.plaintext_utf8.replace('200', '201')), /response plaintext: got/],
      [v3, (v) => (v.expected.response.decrypt_with_ephemeral_seckey = flipHex(v.expected.response.decrypt_with_ephemeral_seckey)), /response decrypt_with_ephemeral_seckey: got 1110/],
      [v3, (v) => delete v.expected.response, /response: expected value missing from the vector$/],
      [v4, (v) => (v.expected.v4_request_plaintext_hex = flipHex(v.expected.v4_request_plaintext_hex)), /v4 request plaintext: got 6c31/],
      [v4, (v) => (v.expected.v4_request_plaintext_utf8 = v.expected.v4_request_plaintext_utf8.replace('POST', 'GET')), /v4 request plaintext \(utf8\): got/],
      [v4, (v) => (v.expected.last_hop_forwards_hex = flipHex(v.expected.last_hop_forwards_hex)), /last hop forwards: got 9d00/],
      [v4, (v) => (v.inputs.server.x25519_pubkey = flipHex(v.inputs.server.x25519_pubkey)), /server x25519_pubkey: got ff2e/],
      [v4, (v) => (v.expected.response.iv_or_nonce = flipHex(v.expected.response.iv_or_nonce)), /response ciphertext \(re-encrypted\): got c0c1/],
      [v4, (v) => (v.expected.response.plaintext_utf8 = v.expected.response.plaintext_utf8.replace('ok', 'OK')), /response plaintext: got/],
    ];
    for (const [id, edit, line] of cases) failsOnly(await runLayer(id, edit), new RegExp(`^${id}: ${line.source}`));
  });

  it('v4 request encoding, layer classification and the URL target filter', async () => {
    const v4 = 'derived-v4-request-encoding';
    failsOnly(await runLayer(v4, (v) => (v.cases[1].expected_hex = flipHex(v.cases[1].expected_hex))), /^derived-v4-request-encoding #2: encoding: got 6c39/);
    failsOnly(await runLayer(v4, (v) => (v.cases[2].expected_utf8 += ' ')), /^derived-v4-request-encoding #3: encoding \(utf8\): got/);
    const inner = 'storage-server-inner-request-parsing';
    failsOnly(await runLayer(inner, (v) => (v.cases[0].expected.body_utf8 = 'Ciphertext')), /^storage-server-inner-request-parsing #1: body: got ciphertext/);
    failsOnly(await runLayer(inner, (v) => (v.cases[1].expected.port = 80)), /^storage-server-inner-request-parsing #2: route: got \["host",443,"https","target"\]/);
    failsOnly(await runLayer(inner, (v) => (v.cases[3].expected.ephemeral_key = flipHex(v.cases[3].expected.ephemeral_key))), /^storage-server-inner-request-parsing #4: ephemeral key: got 0000/);
    failsOnly(await runLayer(inner, (v) => (v.cases[3].expected.type = 'final_destination')), /^storage-server-inner-request-parsing #4: type: got relay_to_snode/);
    failsOnly(await runLayer(inner, (v) => v.url_target_filter.rejected.push('/oxen/v4/lsrpc')), /^storage-server-inner-request-parsing url_target_filter: target \/oxen\/v4\/lsrpc allowed: got true, vector expects false$/);
  });
});

describe('onion-layers.json: malformed vectors fail, they do not pass or crash', () => {
  it('a missing expected value or a non-hex field fails its vector', async () => {
    failsOnly(await runLayer('derived-onion-v3-snode-aes-gcm', (v) => delete v.expected.wire_hex), /^derived-onion-v3-snode-aes-gcm: wire: expected value missing from the vector$/);
    failsOnly(await runLayer('derived-onion-v3-snode-aes-gcm', (v) => (v.inputs.ephemeral_seckeys_in_use_order[2] = 'zz')), /^derived-onion-v3-snode-aes-gcm: malformed vector: expected a hex string, got zz$/);
    failsOnly(await runLayer('libsession-onionreq-parser', (v) => delete v.derived_intermediates), /^libsession-onionreq-parser: malformed vector: /);
    failsOnly(await runLayer('libsession-onionreq-parser', (v) => delete v.expected.aes_gcm_reply_length), /^libsession-onionreq-parser: aes-gcm reply length: expected value missing/);
    failsOnly(await runLayer('derived-v4-request-encoding', (v) => delete v.cases[0].expected_hex), /^derived-v4-request-encoding #1: encoding: expected value missing/);
    failsOnly(await runLayer('storage-server-inner-request-parsing', (v) => delete v.cases[2].expected), /^storage-server-inner-request-parsing #3: malformed vector: /);
    failsOnly(await runLayer('storage-server-inner-request-parsing', (v) => (v.url_target_filter = {})), /^storage-server-inner-request-parsing url_target_filter: malformed vector: "allowed" is not a list$/);
    failsOnly(await runLayer('libsession-hop-encryption-decrypt', (v) => (v.expected.must_fail_xchacha20_decrypt = ['xyz'])), /^must_fail_xchacha20_decrypt #1: xchacha20 decrypt: expected DECRYPT_FAILED, got Error: expected a hex string/);
  });

  it('a file without a vectors list, or with a case list that is not a list, is a malformed file', async () => {
    await expect(run('onion-layers.json', { vectors: {} })).rejects.toThrow('"vectors" is not a list');
    await expect(run('onion-layers.json', { vectors: [{ id: 'derived-v4-request-encoding', cases: 'x' }] })).rejects.toThrow('"cases" is not a list');
  });

  it('vectors of unknown ids are skipped as unverified, not passed', async () => {
    const r = await run('onion-layers.json', { vectors: [{ id: 'new-upstream-vector', cases: [1, 2] }] });
    expect(r).toMatchObject({ run: 0, skipped: 2, skipReasons: [{ reason: 'no verifier yet', count: 2, sections: ['new-upstream-vector'] }] });
  });
});

describe('swarm.json and storage-signatures.json: optional parts', () => {
  it('a file with only some of its vectors runs those; a base64 message body hashes like its hex twin', async () => {
    const swarm = loadVectors('onion/swarm.json');
    const space = swarm.vectors.find((v: Doc) => v.id === 'pubkey-to-swarm-space');
    expect(await run('swarm.json', { vectors: [space] })).toMatchObject({ run: space.cases.length, passed: space.cases.length, skipped: 0 });
    const sigs = loadVectors('onion/storage-signatures.json');
    const hash = structuredClone(sigs.vectors.find((v: Doc) => v.id === 'message-hash'));
    const c = hash.cases.find((x: Doc) => x.data_hex !== undefined);
    c.data_base64 = Buffer.from(c.data_hex, 'hex').toString('base64');
    delete c.data_hex;
    hash.cases = [c];
    expect(await run('storage-signatures.json', { vectors: [hash] })).toMatchObject({ run: 1, passed: 1, failed: 0 });
    c.data_base64 = Buffer.from('other data').toString('base64');
    failsOnly(await run('storage-signatures.json', { vectors: [hash] }), /^message-hash #1: message hash: got /);
  });

  it('optional hex forms may be absent; an unknown method, a missing signer or a non-string body fails', async () => {
    const swarm = structuredClone(loadVectors('onion/swarm.json'));
    const space = swarm.vectors.find((v: Doc) => v.id === 'pubkey-to-swarm-space');
    const ids = swarm.vectors.find((v: Doc) => v.id === 'pubkey-to-swarm-id');
    delete space.cases[0].expected_hex;
    delete ids.sets[0].cases[0].swarm_space_hex;
    expect((await run('swarm.json', { vectors: [space, ids] })).failures).toEqual([]);
    ids.sets[0].cases[0].expected_swarm_id_decimal = '1';
    failsOnly(await run('swarm.json', { vectors: [ids] }), /^pubkey-to-swarm-id set 1 #1: swarm id: got \d+, vector expects 1$/);
    const sigs = loadVectors('onion/storage-signatures.json');
    const c = structuredClone(sigs.vectors.find((v: Doc) => v.id === 'storage-rpc-signatures').cases[0]);
    const doc = (cases: Doc[]): Doc => ({ keys: sigs.keys, vectors: [{ id: 'storage-rpc-signatures', cases }] });
    failsOnly(await run('storage-signatures.json', doc([{ ...c, method: 'frobnicate' }])), /: malformed vector: unknown method frobnicate$/);
    failsOnly(await run('storage-signatures.json', doc([{ ...c, signer: 'ghost' }])), /: malformed vector: no keys for signer ghost$/);
    const hash = { id: 'message-hash', cases: [{ pubkey_hex: '05' + '00'.repeat(32), namespace: 0, data_base64: 7, expected_hash: 'x' }] };
    failsOnly(await run('storage-signatures.json', { vectors: [hash] }), /^message-hash #1: malformed vector: expected a base64 string$/);
  });
});

describe('path-constants.json', () => {
  const PC = loadVectors('onion/path-constants.json');
  const edited = (edit: (impls: Doc[]) => void): Doc => {
    const d = structuredClone(PC);
    edit(d.implementations);
    return d;
  };
  const impl = (impls: Doc[], prefix: string): Doc => impls.find((i) => i.id.startsWith(prefix));

  it('a changed value the SDK adopts fails exactly that implementation', async () => {
    const cases: [(impls: Doc[]) => void, RegExp][] = [
      [(x) => impl(x, 'session-desktop').values.desiredGuardCount++, /^session-desktop: desiredGuardCount: got 2, vector expects 3$/],
      [(x) => impl(x, 'session-desktop').values.guard_selection_max_rounds--, /^session-desktop: guard_selection_max_rounds: got 6, vector expects 5$/],
      [(x) => impl(x, 'session-desktop').values.seed_nodes.pop(), /^session-desktop: seed_nodes: got \["https:\/\/seed1/],
      [(x) => (impl(x, 'session-desktop').values.onion_endpoint = 'POST https://<ip>:<storage_port>/onion_req/v3'), /^session-desktop: onion_endpoint: got POST https:\/\/<ip>:<storage_port>\/onio\.\.\., vector expects POST/],
      [(x) => impl(x, 'libsession-util network.cpp').values.min_path_count.standard++, /^libsession-util network\.cpp \(2024-2025\): min_path_count\.standard: got 2, vector expects 3$/],
      [(x) => impl(x, 'libsession-util network.cpp').values.snode_cache_expiration_s++, /snode_cache_expiration_s: got 7200, vector expects 7201$/],
      [(x) => (impl(x, 'libsession newest').values.enforce_subnet_diversity = false), /^libsession newest .*: enforce_subnet_diversity: got true, vector expects false$/],
      [(x) => (impl(x, 'libsession newest').values.retry_delay.base_ms = 100), /: retry_delay\.base_ms: got 200, vector expects 100$/],
      [(x) => (impl(x, 'libsession newest').values.retry_delay.kind = 'linear'), /: retry_delay\.kind: got exponential, vector expects linear$/],
      [(x) => impl(x, 'session-storage-server').values.MAX_ONION_HOPS++, /^session-storage-server: MAX_ONION_HOPS: got 15, vector expects 16$/],
      [(x) => (impl(x, 'session-storage-server').values.INVALID_SWARM_ID = '18446744073709551614'), /: INVALID_SWARM_ID: got 18446744073709551615/],
      [(x) => (impl(x, 'session-storage-server').values.default_enc_type_when_absent = 'xchacha20'), /: default_enc_type_when_absent: got aes-gcm, vector expects xchacha20$/],
    ];
    for (const [edit, line] of cases) failsOnly(await run('path-constants.json', edited(edit)), line);
  });

  it('a value the verifier does not account for, or a missing one, fails; documented divergences do not', async () => {
    failsOnly(await run('path-constants.json', edited((x) => (impl(x, 'session-desktop').values.newKnob = 1))), /^session-desktop: newKnob: value not accounted for by the verifier$/);
    failsOnly(await run('path-constants.json', edited((x) => (impl(x, 'libsession newest').values.retry_delay.jitter = 'full'))), /: retry_delay\.jitter: value not accounted for/);
    failsOnly(await run('path-constants.json', edited((x) => (impl(x, 'session-storage-server').values.toString = 1))), /^session-storage-server: toString: value not accounted for/);
    failsOnly(await run('path-constants.json', edited((x) => delete impl(x, 'libsession newest').values.cache_min_size)), /: cache_min_size: expected value missing from the vector$/);
    failsOnly(await run('path-constants.json', edited((x) => (impl(x, 'session-storage-server').id = 'other-server'))), /^other-server: unknown implementation other-server$/);
    failsOnly(await run('path-constants.json', edited((x) => (impl(x, 'session-desktop').values = [1]))), /^session-desktop: malformed vector: "values" is not an object$/);
    failsOnly(await run('path-constants.json', edited((x) => (x[0] = null))), /^undefined: malformed vector: /);
    // Values the SDK deliberately does not follow (spec/onion.md §6.4) are documented, not compared.
    const r = await run('path-constants.json', edited((x) => (impl(x, 'libsession-util network.cpp').values.alpn = 'h3')));
    expect([r.run, r.passed]).toEqual([4, 4]);
    await expect(run('path-constants.json', {})).rejects.toThrow('"implementations" is not a list');
  });
});
