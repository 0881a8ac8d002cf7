// Onion-routing demo: Alice sends Bob a 1:1 message through 3-hop onion paths on a local network
// of service nodes, one relay dies, Bob's client repairs its path and still gets the message.
// Uses only the public API (src/index.ts, src/node/index.ts) plus the dev-only loopback network.
import {
  OnionClient,
  SnodePool,
  buildRetrieveRequest,
  buildStoreRequest,
  decryptIncoming,
  encryptForRecipient,
  decodeStorageData,
  generateIdentity,
  ipv4Subnet,
  pathAllowsDestination,
  ServerClock,
  swarmSpace,
  type OnionClientEvent,
  type OnionPath,
  type ServiceNode,
} from '../src/index.js';
import { createNodeHttpTransport } from '../src/node/index.js';
import { LoopbackNetwork } from '../test/loopback/network.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

function short(hex: string): string {
  return `${hex.slice(0, 8)}…`;
}

function describeNode(n: ServiceNode): string {
  return `${short(n.ed25519Hex)} ${n.ip.padEnd(14)} (/24 ${ipv4Subnet(n.ip)})`;
}

function describePath(p: OnionPath, indent = '    '): string {
  return p.nodes.map((n, i) => `${indent}${i === 0 ? 'guard' : `hop ${i} `} ${describeNode(n)}`).join('\n');
}

async function timed<T>(label: string, fn: () => Promise<T>, log: (s: string) => void): Promise<T> {
  const t = performance.now();
  const v = await fn();
  log(`  ✓ ${label} (${(performance.now() - t).toFixed(1)} ms)`);
  return v;
}

/** Runs the story and returns the transcript lines (also printed when `print` is true). */
export async function onionDemo(opts: { print?: boolean } = {}): Promise<string[]> {
  const lines: string[] = [];
  const log = (s: string): void => {
    lines.push(s);
    if (opts.print !== false) console.log(s);
  };
  log('== Onion routing: a 1:1 message through 3-hop paths (local network) ==');
  const net = await timed('started 14 service nodes on 127.0.0.1, 3 swarms, one seed', () => LoopbackNetwork.start({ nodes: 14, swarms: 3 }), log);
  log('    (each node advertises a fake public IPv4 in 198.18.0.0/15; the transport maps it to its loopback port)');
  const transport = createNodeHttpTransport({ resolve: net.resolve, timeoutMs: 3000, retries: 1, backoffBaseMs: 10 });
  const clients: OnionClient[] = [];
  const makeClient = (events: OnionClientEvent[]): OnionClient => {
    const c = new OnionClient({
      transport,
      pool: new SnodePool({ seeds: [net.seed] }),
      retryBaseMs: 10,
      retryMaxMs: 50,
      onEvent: (e) => events.push(e),
    });
    clients.push(c);
    return c;
  };
  try {
    const alice = generateIdentity();
    const bob = generateIdentity();
    log(`\nAlice's Session ID: ${alice.sessionId}`);
    log(`Bob's Session ID:   ${bob.sessionId}`);

    // Alice's client: pool from the seed, two guards probed with a content-free `info` request,
    // two paths with six distinct /24s.
    log('\n-- Alice connects');
    const aliceEvents: OnionClientEvent[] = [];
    const a = makeClient(aliceEvents);
    await timed('pool bootstrapped from the seed, guards probed, paths built', () => a.start(), log);
    log(`    pool: ${a.pool.size} nodes`);
    a.paths().forEach((p, i) => log(`  path ${i + 1}:\n${describePath(p)}`));

    const swarm = await a.swarmFor(bob.sessionId);
    log(`\nBob's swarm (swarm space 0x${swarmSpace(bob.sessionId).toString(16).padStart(16, '0')}): ${swarm.length} nodes`);
    for (const n of swarm) log(`    ${describeNode(n)}`);

    log('\n-- Alice sends');
    const text = 'Hi Bob! This travelled through three onion hops.';
    const ciphertext = await timed('encrypted for Bob (Session Protocol v1: sign, then seal)', () => encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, enc.encode(text)), log);
    log(`    ${ciphertext.length} bytes of ciphertext`);
    const store = await buildStoreRequest({ pubkey: bob.sessionId, namespace: 0, data: ciphertext, ttlMs: 86_400_000 });
    const stored = await timed('stored in Bob\'s swarm through an onion path', () => a.swarmRequest(bob.sessionId, store.method, store.params), log);
    log(`  path used:\n${describePath(stored.path)}\n    dest   ${describeNode(stored.destination)}`);
    const storeReply = JSON.parse(stored.body) as { hash: string; t: number };
    log(`    message hash ${storeReply.hash}`);

    log('\n-- Bob connects and a relay dies');
    const bobEvents: OnionClientEvent[] = [];
    const b = makeClient(bobEvents);
    await timed('Bob\'s own pool, guards and paths', () => b.start(), log);
    b.paths().forEach((p, i) => log(`  path ${i + 1}:\n${describePath(p)}`));
    // Bob will ask one member of his swarm; a relay dies on every path that could carry that.
    const dest = (await b.swarmFor(bob.sessionId)).find((n) => b.paths().some((p) => pathAllowsDestination(p, n)))!;
    const victims = b.paths().filter((p) => pathAllowsDestination(p, dest)).map((p) => p.nodes[1]!);
    for (const v of victims) {
      await net.kill(v);
      log(`  ✗ relay ${describeNode(v)} stopped`);
    }

    log('\n-- Bob retrieves');
    const clock = new ServerClock();
    clock.observeResponse(storeReply);
    const retrieve = await buildRetrieveRequest({ auth: { pubkey: bob.sessionId, ed25519SecretKey: bob.ed25519SecretKey }, namespace: 0, clock });
    const got = await timed('retrieved from Bob\'s swarm', () => b.snodeRequest(dest, retrieve.method, retrieve.params), log);
    for (const e of bobEvents) {
      if (e.type === 'attempt-failed') log(`    attempt ${e.attempt} failed: ${e.error.code} — ${e.error.message.slice(0, 110)}…`);
      if (e.type === 'path-repaired') log(`    path repaired: hop ${e.index} ${describeNode(e.before.nodes[e.index]!)} → ${describeNode(e.after.nodes[e.index]!)}`);
      if (e.type === 'path-dropped') log(`    path dropped: ${e.reason}`);
    }
    log(`    succeeded on attempt ${got.attempts}; path used:\n${describePath(got.path)}\n    dest   ${describeNode(got.destination)}`);
    const messages = (JSON.parse(got.body) as { messages: { data: string; hash: string }[] }).messages;
    const opened = await timed('decrypted and signature verified', () => decryptIncoming(bob.ed25519SecretKey, decodeStorageData(messages[0]!.data)), log);
    log(`\nBob reads: "${dec.decode(opened.plaintext)}"`);
    log(`from ${opened.senderSessionId}${opened.senderSessionId === alice.sessionId ? '  (= Alice ✓)' : '  (NOT Alice ✗)'}`);
    if (dec.decode(opened.plaintext) !== text || opened.senderSessionId !== alice.sessionId) throw new Error('demo: message mismatch');
    return lines;
  } finally {
    for (const c of clients) await c.close();
    await net.close();
  }
}

// Run directly: `npx tsx scripts/demo-onion.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  onionDemo().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
