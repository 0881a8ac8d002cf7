// The onion module's exported constants and small helpers, each tied to what it governs: hop nonce
// lengths (upstream libsession ciphertexts, libsodium and node:crypto as oracles), the directory
// requests a client sends, which node IPs are usable, the storage server's size / TTL / clock
// limits (session-storage-server oxenss/rpc/client_rpc_endpoints.h), Session's namespaces
// (libsession include/session/config/namespaces.h) and the default sleep of the retry loops.
import { createDecipheriv } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { identityFromSeed } from '../../src/identity/keys.js';
import {
  buildExpireRequest,
  buildRetrieveRequest,
  buildStoreRequest,
  decodeStorageData,
  deriveHopKey,
  encryptWithHopKey,
  HOP_NONCE_LENGTH,
  HOP_OVERHEAD,
  hopEncrypt,
  isPublicInboxNamespace,
  isUsableNodeIp,
  maxTtlForNamespace,
  NODE_LIST_RPC_PARAMS,
  OnionClient,
  parseServiceNodeList,
  retrieveRequiresSignature,
  SEED_NODE_LIST_REQUEST,
  ServerClock,
  sleepMs,
  STORAGE_CLOCK_TOLERANCE_MS,
  STORAGE_MAX_DATA_BYTES,
  STORAGE_MAX_TTL_PRIVATE_MS,
  STORAGE_MAX_TTL_PUBLIC_MS,
  STORAGE_MIN_TTL_MS,
  StorageNamespace,
  withRetries,
  type OnionEncType,
  type OnionTransport,
} from '../../src/onion/index.js';
import { SessionSdkError } from '../../src/errors.js';
import { loadSodium } from '../helpers/sodium.js';
import { hex, loadVectors, toHex } from '../helpers/vectors.js';
import { codeOf } from '../helpers/errors.js';

type Sodium = Awaited<ReturnType<typeof loadSodium>>;
let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

describe('HOP_NONCE_LENGTH', () => {
  // libsession tests/test_onionreq.cpp "Onion request encryption": a client message to a server,
  // once per cipher, both "Hello world".
  const v = loadVectors('onion/onion-layers.json').vectors.find((x: { id: string }) => x.id === 'libsession-hop-encryption-decrypt');

  it('is where libsession puts the nonce: the upstream ciphertexts open with exactly that prefix as nonce/IV', async () => {
    expect(v.kind).toBe('upstream');
    expect(HOP_NONCE_LENGTH).toEqual({ xchacha20: 24, 'aes-gcm': 12 });
    const i = v.inputs;
    const key = (t: OnionEncType) => deriveHopKey(t, hex(i.server_x25519_seckey), hex(i.server_x25519_pubkey), hex(i.client_x25519_pubkey), true);

    const xc = hex(i.xchacha20_ciphertext);
    const n = HOP_NONCE_LENGTH.xchacha20;
    const pt = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, xc.subarray(n), null, xc.subarray(0, n), await key('xchacha20'));
    expect(toHex(pt)).toBe(v.expected.plaintext_hex);

    const gc = hex(i.aes_gcm_ciphertext);
    const g = HOP_NONCE_LENGTH['aes-gcm'];
    const d = createDecipheriv('aes-256-gcm', await key('aes-gcm'), gc.subarray(0, g));
    d.setAuthTag(gc.subarray(gc.length - 16));
    expect(toHex(Buffer.concat([d.update(gc.subarray(g, gc.length - 16)), d.final()]))).toBe(v.expected.plaintext_hex);

    // nonce + plaintext + 16-byte tag: the rest of each blob is the overhead.
    for (const t of ['xchacha20', 'aes-gcm'] as const) expect(HOP_OVERHEAD[t]).toBe(HOP_NONCE_LENGTH[t] + 16);
    expect(xc.length - 11).toBe(HOP_OVERHEAD.xchacha20);
    expect(gc.length - 11).toBe(HOP_OVERHEAD['aes-gcm']);
  });

  it('a pinned nonce of that length leads the blob; one byte more or less is INVALID_LENGTH', async () => {
    const a = await deriveHopKey('xchacha20', new Uint8Array(32).fill(7), undefined, hex(v.inputs.server_x25519_pubkey), false);
    const me = new Uint8Array(32).fill(7);
    const them = hex(v.inputs.server_x25519_pubkey);
    for (const t of ['xchacha20', 'aes-gcm'] as const) {
      const len = HOP_NONCE_LENGTH[t];
      const nonce = new Uint8Array(len).fill(0xa5);
      const blob = await hopEncrypt(t, me, them, Uint8Array.of(1, 2, 3), { nonce });
      expect(toHex(blob.subarray(0, len))).toBe(toHex(nonce));
      expect(blob.length).toBe(3 + HOP_OVERHEAD[t]);
      for (const bad of [len - 1, len + 1, 0]) {
        expect(await codeOf(hopEncrypt(t, me, them, Uint8Array.of(1), { nonce: new Uint8Array(bad) }))).toBe('INVALID_LENGTH');
        expect(await codeOf(encryptWithHopKey(t, a, Uint8Array.of(1), new Uint8Array(bad)))).toBe('INVALID_LENGTH');
      }
    }
  });
});

describe('directory requests', () => {
  const nodeEntry = (i: number) => ({
    public_ip: `203.0.113.${i + 1}`,
    storage_port: 22021,
    pubkey_ed25519: toHex(identityFromSeed(new Uint8Array(32).fill(i + 1)).ed25519PublicKey),
    pubkey_x25519: toHex(identityFromSeed(new Uint8Array(32).fill(i + 1)).x25519PublicKey),
    swarm_id: 12345,
  });

  it('SEED_NODE_LIST_REQUEST is the exact JSON body the client POSTs to a seed (spec/onion.md §5.1)', async () => {
    const bodies: string[] = [];
    const transport: OnionTransport = {
      sendOnionRequest: async () => {
        throw new Error('no path should be attempted');
      },
      seedRequest: async (_seed, body) => {
        bodies.push(new TextDecoder().decode(body));
        return { status: 503, body: new Uint8Array(0) };
      },
    };
    const client = new OnionClient({ transport, seeds: [{ url: 'https://seed.invalid/' }] });
    expect(await codeOf(client.start())).toBe('INSUFFICIENT_NODES');
    expect(bodies).toHaveLength(1);
    expect(JSON.parse(bodies[0]!)).toEqual(SEED_NODE_LIST_REQUEST);
    expect(SEED_NODE_LIST_REQUEST.jsonrpc).toBe('2.0');
    expect(SEED_NODE_LIST_REQUEST.method).toBe('get_n_service_nodes'); // session-desktop SeedNodeAPI.ts
    expect(Object.isFrozen(SEED_NODE_LIST_REQUEST)).toBe(true);
  });

  it('both requests ask active nodes for the fields a usable ServiceNode needs', () => {
    // session-storage-server whitelists "get_service_nodes" as an oxend_request endpoint, with
    // `params` forwarded to oxend (oxenss/rpc/client_rpc_endpoints.h, struct oxend_request).
    expect(NODE_LIST_RPC_PARAMS.endpoint).toBe('get_service_nodes');
    expect(Object.isFrozen(NODE_LIST_RPC_PARAMS)).toBe(true);
    for (const params of [SEED_NODE_LIST_REQUEST.params, NODE_LIST_RPC_PARAMS.params]) {
      expect(params.active_only).toBe(true);
      const asked = Object.keys(params.fields).sort();
      expect(asked).toEqual(['pubkey_ed25519', 'pubkey_x25519', 'public_ip', 'storage_port', 'swarm_id']);
      expect(Object.values(params.fields).every((x) => x === true)).toBe(true);
      // An answer with exactly the asked fields gives nodes with swarm ids…
      const nodes = parseServiceNodeList({ result: { service_node_states: [nodeEntry(0), nodeEntry(1)] } });
      expect(nodes.map((n) => [n.ip, n.port, n.swarmId])).toEqual([
        ['203.0.113.1', 22021, 12345n],
        ['203.0.113.2', 22021, 12345n],
      ]);
      // …and without the IP, the port or the Ed25519 key an entry is useless and dropped.
      for (const needed of ['public_ip', 'storage_port', 'pubkey_ed25519']) {
        const partial: Record<string, unknown> = nodeEntry(0);
        delete partial[needed];
        expect(parseServiceNodeList([partial]), needed).toEqual([]);
      }
    }
  });
});

describe('isUsableNodeIp', () => {
  it('accepts canonical dotted quads, including the edges of each octet', () => {
    for (const ip of ['203.0.113.5', '1.1.1.1', '1.0.0.0', '9.99.199.255', '100.64.0.1', '255.255.255.254', '0.0.0.1']) {
      expect(isUsableNodeIp(ip), ip).toBe(true);
    }
  });

  it('refuses 0.0.0.0 (a node with no uptime proof: the storage server reports its IP as all zeros) and the empty IP', () => {
    expect(isUsableNodeIp('0.0.0.0')).toBe(false);
    expect(isUsableNodeIp('')).toBe(false);
    // …which is what drops such nodes from a directory answer (spec/onion.md §5.1).
    const ed = toHex(identityFromSeed(new Uint8Array(32).fill(9)).ed25519PublicKey);
    expect(parseServiceNodeList([{ public_ip: '0.0.0.0', storage_port: 22021, pubkey_ed25519: ed }])).toEqual([]);
    expect(parseServiceNodeList([{ public_ip: '', storage_port: 22021, pubkey_ed25519: ed }])).toEqual([]);
    expect(parseServiceNodeList([{ public_ip: '0.0.0.1', storage_port: 22021, pubkey_ed25519: ed }])).toHaveLength(1);
  });

  it('refuses anything that is not exactly one canonical IPv4 address', () => {
    const bad: unknown[] = [
      '01.2.3.4', // leading zero: octal in some resolvers
      '1.2.3.04',
      '256.1.1.1',
      '1.2.3.256',
      '1.2.3',
      '1.2.3.4.5',
      ' 1.2.3.4',
      '1.2.3.4\n',
      '1.2.3.4:22021',
      '::1',
      '::ffff:1.2.3.4',
      '１.２.３.４', // full-width digits
      '0x7f.0.0.1',
      '2130706433',
      16909060,
      null,
      undefined,
      {},
      ['1.2.3.4'],
    ];
    for (const ip of bad) expect(isUsableNodeIp(ip), JSON.stringify(ip)).toBe(false);
  });

  it('does not filter private, loopback or reserved ranges, like the upstream clients (callers who must, filter themselves)', () => {
    // The loopback test network itself runs its nodes on 127.0.0.1.
    for (const ip of ['127.0.0.1', '10.0.0.1', '192.168.1.1', '169.254.1.1', '224.0.0.1', '255.255.255.255']) {
      expect(isUsableNodeIp(ip), ip).toBe(true);
    }
  });
});

describe('storage server limits', () => {
  const id = identityFromSeed(new Uint8Array(32).fill(5));
  const auth = { pubkey: id.sessionId, ed25519SecretKey: id.ed25519SecretKey };
  const T = 1_800_000_000_000;

  it('STORAGE_MAX_DATA_BYTES (store MAX_MESSAGE_BODY = 76 800): a store of that many bytes is built, one more is TOO_LARGE', async () => {
    expect(STORAGE_MAX_DATA_BYTES).toBe(76_800);
    const req = await buildStoreRequest({ pubkey: id.sessionId, namespace: 0, data: new Uint8Array(STORAGE_MAX_DATA_BYTES).fill(1), ttlMs: 60_000, timestamp: T });
    expect(req.method).toBe('store');
    expect(req.params.data).toHaveLength(102_400); // "== 102400 in b64 encoding" (upstream doc)
    expect(decodeStorageData(req.params.data as string)).toHaveLength(STORAGE_MAX_DATA_BYTES);
    const over = new Uint8Array(STORAGE_MAX_DATA_BYTES + 1);
    expect(await codeOf(buildStoreRequest({ pubkey: id.sessionId, namespace: 0, data: over, ttlMs: 60_000, timestamp: T }))).toBe('TOO_LARGE');
    expect(await codeOf(buildStoreRequest({ auth, namespace: StorageNamespace.USER_PROFILE, data: over, ttlMs: 60_000, timestamp: T }))).toBe('TOO_LARGE');
  });

  it('STORAGE_MIN_TTL_MS: a 10 s TTL (or expiry 10 s after the timestamp) is accepted, 1 ms less is INVALID_INPUT', async () => {
    const store = (o: { ttlMs?: number; expiryMs?: number }) =>
      buildStoreRequest({ pubkey: id.sessionId, namespace: 0, data: Uint8Array.of(1), timestamp: T, messageTimestamp: T, ...o });
    expect((await store({ ttlMs: STORAGE_MIN_TTL_MS })).params.ttl).toBe(10_000);
    expect(await codeOf(store({ ttlMs: STORAGE_MIN_TTL_MS - 1 }))).toBe('INVALID_INPUT');
    expect((await store({ expiryMs: T + STORAGE_MIN_TTL_MS })).params.expiry).toBe(T + 10_000);
    expect(await codeOf(store({ expiryMs: T + STORAGE_MIN_TTL_MS - 1 }))).toBe('INVALID_INPUT');
  });

  it('STORAGE_CLOCK_TOLERANCE_MS (±60 s signature window): ServerClock.isFresh and the expire cap use it exactly', async () => {
    expect(STORAGE_CLOCK_TOLERANCE_MS).toBe(60_000);
    const clock = new ServerClock({ now: () => T });
    clock.observe(T + 5_000, T); // the server is 5 s ahead
    const server = T + 5_000;
    expect(clock.now()).toBe(server);
    expect(clock.isFresh(server + STORAGE_CLOCK_TOLERANCE_MS)).toBe(true);
    expect(clock.isFresh(server - STORAGE_CLOCK_TOLERANCE_MS)).toBe(true);
    expect(clock.isFresh(server + STORAGE_CLOCK_TOLERANCE_MS + 1)).toBe(false);
    expect(clock.isFresh(server - STORAGE_CLOCK_TOLERANCE_MS - 1)).toBe(false);
    // An expiry may be up to 30 days ahead, plus the same tolerance for clock skew.
    const latest = server + STORAGE_MAX_TTL_PRIVATE_MS + STORAGE_CLOCK_TOLERANCE_MS;
    expect((await buildExpireRequest({ auth, messages: ['abc'], expiryMs: latest, clock })).params.expiry).toBe(latest);
    expect(await codeOf(buildExpireRequest({ auth, messages: ['abc'], expiryMs: latest + 1, clock }))).toBe('INVALID_INPUT');
  });
});

describe('StorageNamespace', () => {
  it('matches libsession include/session/config/namespaces.h (plus the legacy closed-group −10 of the storage server)', () => {
    expect(StorageNamespace).toEqual({
      DEFAULT: 0, // NAMESPACE_DEFAULT
      USER_PROFILE: 2, // NAMESPACE_USER_PROFILE
      CONTACTS: 3, // NAMESPACE_CONTACTS
      CONVO_INFO_VOLATILE: 4, // NAMESPACE_CONVO_INFO_VOLATILE
      USER_GROUPS: 5, // NAMESPACE_USER_GROUPS
      GROUP_MESSAGES: 11, // NAMESPACE_GROUP_MESSAGES
      GROUP_KEYS: 12, // NAMESPACE_GROUP_KEYS
      GROUP_INFO: 13, // NAMESPACE_GROUP_INFO
      GROUP_MEMBERS: 14, // NAMESPACE_GROUP_MEMBERS
      LEGACY_CLOSED_GROUP: -10, // storage server: "-10 (legacy closed groups)"
      REVOKED_RETRIEVABLE_GROUP_MESSAGES: -11, // NAMESPACE_REVOKED_RETRIEVABLE_GROUP_MESSAGES
    });
  });

  it('only DEFAULT and LEGACY_CLOSED_GROUP are public inboxes (14-day TTL, unsigned store); the others need auth (30 days)', async () => {
    for (const [name, ns] of Object.entries(StorageNamespace)) {
      const pub = ns === StorageNamespace.DEFAULT || ns === StorageNamespace.LEGACY_CLOSED_GROUP;
      expect(isPublicInboxNamespace(ns), name).toBe(pub);
      expect(maxTtlForNamespace(ns), name).toBe(pub ? STORAGE_MAX_TTL_PUBLIC_MS : STORAGE_MAX_TTL_PRIVATE_MS);
      const unsigned = buildStoreRequest({ pubkey: '05' + '11'.repeat(32), namespace: ns, data: Uint8Array.of(1), ttlMs: 60_000, timestamp: 1 });
      if (pub) expect((await unsigned).params.signature, name).toBeUndefined();
      else expect(await codeOf(unsigned), name).toBe('INVALID_INPUT');
    }
  });

  it('only LEGACY_CLOSED_GROUP may be retrieved without a signature', async () => {
    for (const [name, ns] of Object.entries(StorageNamespace)) {
      expect(retrieveRequiresSignature(ns), name).toBe(ns !== StorageNamespace.LEGACY_CLOSED_GROUP);
    }
    const req = await buildRetrieveRequest({ pubkey: '05' + '11'.repeat(32), namespace: StorageNamespace.LEGACY_CLOSED_GROUP, timestamp: 1 });
    expect(req.params.signature).toBeUndefined();
    expect(await codeOf(buildRetrieveRequest({ pubkey: '05' + '11'.repeat(32), namespace: StorageNamespace.DEFAULT, timestamp: 1 }))).toBe('INVALID_INPUT');
  });
});

describe('sleepMs: the default sleep of withRetries and OnionClient', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves after exactly `ms` of timer time, not before', async () => {
    vi.useFakeTimers();
    let done = false;
    const p = sleepMs(250).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(249);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
    await p;
  });

  it('is what withRetries waits with when no sleep is injected (full-jitter back-off: here the cap, 200 ms)', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const fn = async () => {
      if (++calls === 1) throw new SessionSdkError('TRANSPORT_ERROR', 'no answer');
      return 'ok';
    };
    let result: string | undefined;
    const p = withRetries(fn, { retries: 1, random: (n) => new Uint8Array(n).fill(0xff) }).then((r) => (result = r));
    await vi.advanceTimersByTimeAsync(199);
    expect(calls).toBe(1);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toBe(2);
    expect(result).toBe('ok');
    await p;
  });
});
