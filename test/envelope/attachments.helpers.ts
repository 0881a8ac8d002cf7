// Shared helpers for the attachment tests: typed-error assertions, stream plumbing, random splits.
import { expect } from 'vitest';
import { SessionSdkError } from '../../src/errors.js';
import { concatBytes } from '../../src/util/bytes.js';

/** Awaits `fn` and asserts it rejects with a SessionSdkError carrying one of `codes`. */
export async function expectCodeAsync(fn: () => Promise<unknown>, ...codes: string[]): Promise<SessionSdkError> {
  try {
    await fn();
  } catch (e) {
    if (!(e instanceof SessionSdkError)) throw e;
    expect(codes).toContain(e.code);
    return e;
  }
  return expect.fail(`expected SessionSdkError ${codes.join('|')}`);
}

/** Concatenates everything an async iterable yields. */
export async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of it) parts.push(new Uint8Array(p)); // copy: pieces may alias internal buffers
  return concatBytes(...parts);
}

/** Collects the pieces of an async iterable separately (copies). */
export async function collectPieces(it: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const parts: Uint8Array[] = [];
  for await (const p of it) parts.push(new Uint8Array(p));
  return parts;
}

/** Splits `data` at the given cut sizes (cycled), including empty pieces when a size is 0. */
export function split(data: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let o = 0;
  let i = 0;
  while (o < data.length) {
    const n = sizes.length ? sizes[i++ % sizes.length]! : data.length;
    out.push(data.subarray(o, o + n));
    o += n;
    if (i > 10 * data.length + 10) break;
  }
  if (o < data.length) out.push(data.subarray(o));
  return out;
}

/** An async iterable over pieces (yielding between them, like a network stream). */
export async function* asAsync(pieces: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const p of pieces) {
    await Promise.resolve();
    yield p;
  }
}

/** A WHATWG ReadableStream over pieces. */
export function asReadable(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(ctrl) {
      if (i < pieces.length) ctrl.enqueue(pieces[i++]!);
      else ctrl.close();
    },
  });
}

/** Deterministic pseudo-random bytes (xorshift), for large inputs without the cost of a CSPRNG. */
export function pseudoRandom(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** libsession's test data generator: byte i = i·7 mod 256. */
export function makeData(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7) % 256);
}

/** Fast byte equality for large buffers (vitest's deep equality walks typed arrays element by element). */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (a.equals(b)) return;
  let i = 0;
  while (i < Math.min(a.length, b.length) && a[i] === b[i]) i++;
  expect.fail(`bytes differ (lengths ${a.length} vs ${b.length}, first difference at ${i})`);
}
