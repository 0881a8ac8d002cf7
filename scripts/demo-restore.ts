// Restore-and-sync demo (issue 5): Alice sets up her profile, a contact, a conversation and a
// community on her phone; her laptop restores everything from her 13-word recovery phrase by
// fetching namespaces 2–5 through onion paths; then both devices edit her contacts at the same
// time and converge to the same state. Runs on the dev-only loopback service-node network.
import {
  OnionClient,
  SnodePool,
  createUserConfigs,
  generateIdentity,
  identityFromSeed,
  mnemonicDecode,
  mnemonicEncode,
  onionConfigSwarm,
  restoreUserConfigs,
  syncConfig,
  type ConfigState,
} from '../src/index.js';
import { createNodeHttpTransport } from '../src/node/index.js';
import { LoopbackNetwork } from '../test/loopback/network.js';

/** What the demo ended with (asserted by test/config/sync-loopback.test.ts). */
export interface RestoreDemoResult {
  lines: string[];
  restoredName: string | undefined;
  restoredContacts: string[];
  restoredCommunities: string[];
  /** Contact names on each device after the concurrent edits, and their seqnos. */
  phoneContacts: string[];
  laptopContacts: string[];
  phoneSeqno: number;
  laptopSeqno: number;
}

const BOB = '05' + '0b'.repeat(32);
const CAROL = '05' + '0c'.repeat(32);

/** Runs the story; prints unless `print: false`. */
export async function restoreDemo(opts: { print?: boolean } = {}): Promise<RestoreDemoResult> {
  const lines: string[] = [];
  const log = (s: string): void => {
    lines.push(s);
    if (opts.print !== false) console.log(s);
  };
  const ms = async <T>(label: string, fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const v = await fn();
    log(`  ✓ ${label} (${(performance.now() - t).toFixed(0)} ms)`);
    return v;
  };
  log('== Restore and sync: config messages through onion paths (local network) ==');
  const net = await ms('started 12 service nodes, 3 swarms', () => LoopbackNetwork.start({ nodes: 12, swarms: 3 }));
  const transport = createNodeHttpTransport({ resolve: net.resolve, timeoutMs: 3000, retries: 1, backoffBaseMs: 10 });
  const clients: OnionClient[] = [];
  const client = async (): Promise<OnionClient> => {
    const c = new OnionClient({ transport, pool: new SnodePool({ seeds: [net.seed] }), retryBaseMs: 5, retryMaxMs: 20 });
    clients.push(c);
    await c.start();
    return c;
  };
  try {
    const alice = generateIdentity({ seedBytes: 16 });
    const phrase = mnemonicEncode(alice.seed.subarray(0, 16));
    log(`\nAlice: ${alice.sessionId}`);
    log(`recovery phrase: ${phrase.split(' ').slice(0, 3).join(' ')} … (${phrase.split(' ').length} words)`);

    log('\n-- Phone: set up and push namespaces 2–5');
    const phoneClient = await client();
    // The loopback nodes implement store/retrieve only; obsolete versions are left to expire.
    const phoneSwarm = onionConfigSwarm(phoneClient, { pubkey: alice.sessionId, ed25519SecretKey: alice.ed25519SecretKey }, { deleteObsolete: false });
    const phone = createUserConfigs(alice.ed25519SecretKey);
    phone.profile.setName('Alice');
    phone.contacts.set({ ...phone.contacts.getOrConstruct(BOB), name: 'Bob', approved: true });
    phone.convoInfo.set({ kind: 'one-to-one', id: BOB, lastRead: Date.now(), unread: false });
    phone.userGroups.setCommunity({
      baseUrl: 'https://open.getsession.org',
      room: 'session',
      pubkey: 'a03c383cf63c3c4efe67acc52112a6dd734b3a946b9545f488aaa93da7991238',
      priority: 0,
      joinedAt: Math.floor(Date.now() / 1000),
      notifications: 'default',
      muteUntil: 0,
      invited: false,
    });
    for (const c of Object.values(phone) as ConfigState[]) {
      const r = await ms(`${c.type.name}: pushed seqno ${c.seqno} to namespace ${c.namespace}`, () => syncConfig(c, phoneSwarm));
      if (!r.pushed) throw new Error('demo: nothing pushed');
    }

    log('\n-- Laptop: restore from the recovery phrase');
    const restored = identityFromSeed(mnemonicDecode(phrase));
    log(`  phrase → ${restored.sessionId === alice.sessionId ? 'same Session ID ✓' : 'DIFFERENT Session ID ✗'}`);
    const laptopClient = await client();
    const laptopSwarm = onionConfigSwarm(laptopClient, { pubkey: restored.sessionId, ed25519SecretKey: restored.ed25519SecretKey }, { deleteObsolete: false });
    const laptop = await ms('retrieved and merged namespaces 2–5', () => restoreUserConfigs(restored.ed25519SecretKey, laptopSwarm));
    const restoredName = laptop.profile.getName();
    const restoredContacts = laptop.contacts.all().map((c) => c.name);
    const restoredCommunities = laptop.userGroups.communities().map((c) => `${c.baseUrl}/${c.room}`);
    log(`  name: ${restoredName}; contacts: ${restoredContacts.join(', ')}; communities: ${restoredCommunities.join(', ')}`);

    log('\n-- Both devices edit contacts at the same time');
    phone.contacts.set({ ...phone.contacts.get(BOB)!, nickname: 'Bobby' });
    laptop.contacts.set({ ...laptop.contacts.getOrConstruct(CAROL), name: 'Carol' });
    const p = await syncConfig(phone.contacts, phoneSwarm);
    log(`  phone pushed seqno ${p.pushed?.seqno} (nickname for Bob)`);
    const l = await syncConfig(laptop.contacts, laptopSwarm);
    log(`  laptop saw the phone's version, merged with its own edit and pushed seqno ${l.pushed?.seqno}`);
    await syncConfig(phone.contacts, phoneSwarm);
    const show = (c: typeof phone.contacts) => c.all().map((x) => (x.nickname ? `${x.name} (${x.nickname})` : x.name));
    const phoneContacts = show(phone.contacts);
    const laptopContacts = show(laptop.contacts);
    log(`  phone:  seqno ${phone.contacts.seqno}: ${phoneContacts.join(', ')}`);
    log(`  laptop: seqno ${laptop.contacts.seqno}: ${laptopContacts.join(', ')}`);
    log(JSON.stringify(phoneContacts) === JSON.stringify(laptopContacts) ? '  converged ✓' : '  DIVERGED ✗');
    return {
      lines,
      restoredName,
      restoredContacts,
      restoredCommunities,
      phoneContacts,
      laptopContacts,
      phoneSeqno: phone.contacts.seqno,
      laptopSeqno: laptop.contacts.seqno,
    };
  } finally {
    for (const c of clients) await c.close();
    await net.close();
  }
}

// Run directly: `npx tsx scripts/demo-restore.ts`.
if (import.meta.url === `file://${process.argv[1]}`) {
  restoreDemo().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
