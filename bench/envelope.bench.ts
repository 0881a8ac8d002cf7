// 1:1 envelope: encryptForRecipient / decryptIncoming of 1 KB against the same protocol composed
// from libsodium-wrappers-sumo (crypto_sign_detached + crypto_box_seal; crypto_box_seal_open +
// crypto_sign_verify_detached + crypto_sign_ed25519_pk_to_curve25519). Targets: ratio ≤ 1.0.
import _sodium from 'libsodium-wrappers-sumo';
import { getCryptoProvider, setCryptoProvider } from '../src/crypto/provider.js';
import { decryptIncoming, encryptForRecipient } from '../src/envelope/session-protocol.js';
import { identityFromSeed } from '../src/identity/keys.js';
import { performance } from 'node:perf_hooks';
import { compare } from './harness.js';

/**
 * Process CPU time per operation (all threads: WebCrypto work runs on libuv's pool). Printed next
 * to the wall-clock ratios because it is far less sensitive to other load on a shared machine.
 */
/**
 * Median over rounds of (ours / reference), each round timing a batch of one right after a batch
 * of the other: on a shared machine, load changes between two separate measurements can swing a
 * ratio more than the code does.
 */
async function interleavedRatio(ours: () => unknown, ref: () => unknown, rounds = 9, batch = 150): Promise<number> {
  const time = async (f: () => unknown): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) await f();
    return performance.now() - t0;
  };
  await time(ours);
  await time(ref);
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate which side goes first so neither always runs in the other's wake.
    let a: number;
    let b: number;
    if (r % 2 === 0) {
      a = await time(ours);
      b = await time(ref);
    } else {
      b = await time(ref);
      a = await time(ours);
    }
    ratios.push(a / b);
  }
  ratios.sort((x, y) => x - y);
  return ratios[Math.floor(rounds / 2)]!;
}

async function cpuPerOp(f: () => unknown, n = 1500): Promise<number> {
  for (let i = 0; i < 100; i++) await f();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await f();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / n;
}

export async function run(): Promise<void> {
  await _sodium.ready;
  const sodium = _sodium;
  const alice = identityFromSeed(sodium.randombytes_buf(32));
  const bob = identityFromSeed(sodium.randombytes_buf(32));
  const m = sodium.randombytes_buf(1024);
  const provider = getCryptoProvider().name;

  const sodiumEncrypt = (): Uint8Array => {
    const signed = new Uint8Array(m.length + 64);
    signed.set(m, 0);
    signed.set(alice.ed25519PublicKey, m.length);
    signed.set(bob.x25519PublicKey, m.length + 32);
    const sig = sodium.crypto_sign_detached(signed, alice.ed25519SecretKey);
    signed.set(sig.subarray(0, 32), m.length + 32);
    const p = new Uint8Array(m.length + 96);
    p.set(signed.subarray(0, m.length + 32), 0);
    p.set(sig, m.length + 32);
    return sodium.crypto_box_seal(p, bob.x25519PublicKey);
  };
  const sodiumDecrypt = (c: Uint8Array): string => {
    const p = sodium.crypto_box_seal_open(c, bob.x25519PublicKey, bob.x25519SecretKey);
    const n = p.length - 96;
    const a = p.slice(n, n + 32);
    const sig = p.slice(n + 32);
    p.set(bob.x25519PublicKey, n + 32);
    if (!sodium.crypto_sign_verify_detached(sig, p.subarray(0, n + 64), a)) throw new Error('bad signature');
    return '05' + sodium.to_hex(sodium.crypto_sign_ed25519_pk_to_curve25519(a));
  };

  const ours = await encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, m);
  const theirs = sodiumEncrypt();
  if ((await decryptIncoming(bob.ed25519SecretKey, theirs)).senderSessionId !== alice.sessionId) throw new Error('cross-check failed');
  if (sodiumDecrypt(ours) !== alice.sessionId) throw new Error('cross-check failed');

  // Cold sender cache: 1500 distinct senders cycled through a 1024-entry FIFO cache, so every
  // call converts the sender's key afresh (the cost of a first message from someone).
  const many: Uint8Array[] = [];
  for (let i = 0; i < 1500; i++) {
    const s = sodium.crypto_sign_seed_keypair(sodium.randombytes_buf(32));
    const signed = new Uint8Array([...m, ...s.publicKey, ...bob.x25519PublicKey]);
    const sig = sodium.crypto_sign_detached(signed, s.privateKey);
    many.push(sodium.crypto_box_seal(new Uint8Array([...m, ...s.publicKey, ...sig]), bob.x25519PublicKey));
  }
  let i1 = 0;
  let i2 = 0;

  await compare('envelope', `encryptForRecipient 1 KB [${provider}]`, () => encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, m), sodiumEncrypt, 'libsodium', 1.0);
  await compare('envelope', `decryptIncoming 1 KB [${provider}]`, () => decryptIncoming(bob.ed25519SecretKey, ours), () => sodiumDecrypt(theirs), 'libsodium', 1.0);
  await compare(
    'envelope',
    `decryptIncoming 1 KB, new sender [${provider}]`,
    () => decryptIncoming(bob.ed25519SecretKey, many[i1++ % many.length]!),
    () => sodiumDecrypt(many[i2++ % many.length]!),
    'libsodium',
  );

  const cpu = async (name: string, ours: () => unknown, ref: () => unknown): Promise<void> => {
    const a = await cpuPerOp(ours);
    const b = await cpuPerOp(ref);
    console.log(`envelope    ${name.padEnd(40)} cpu  ours ${a.toFixed(0).padStart(6)} µs  libsodium ${b.toFixed(0).padStart(6)} µs  ratio ${(a / b).toFixed(2)}`);
  };
  const inter = async (name: string, ours: () => unknown, ref: () => unknown): Promise<void> => {
    console.log(`envelope    ${name.padEnd(40)} interleaved wall ratio ${(await interleavedRatio(ours, ref)).toFixed(2)}`);
  };
  await inter(`encryptForRecipient 1 KB [${provider}]`, () => encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, m), sodiumEncrypt);
  await inter(`decryptIncoming 1 KB [${provider}]`, () => decryptIncoming(bob.ed25519SecretKey, ours), () => sodiumDecrypt(theirs));
  await cpu(`encryptForRecipient 1 KB [${provider}]`, () => encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, m), sodiumEncrypt);
  await cpu(`decryptIncoming 1 KB [${provider}]`, () => decryptIncoming(bob.ed25519SecretKey, ours), () => sodiumDecrypt(theirs));

  // For information: the pure-JS reference provider (what runtimes without WebCrypto Ed25519/X25519 get).
  const prev = setCryptoProvider('noble');
  try {
    await compare('envelope', 'encryptForRecipient 1 KB [noble]', () => encryptForRecipient(alice.ed25519SecretKey, bob.sessionId, m), sodiumEncrypt, 'libsodium');
    await compare('envelope', 'decryptIncoming 1 KB [noble]', () => decryptIncoming(bob.ed25519SecretKey, ours), () => sodiumDecrypt(theirs), 'libsodium');
  } finally {
    setCryptoProvider(prev);
  }
}
