// Onion request building (spec/onion.md §2.2, §2.5) and relay status mapping (§3.1, §5.3):
// validation errors with their codes, the documented server port defaults, and the error code,
// node and message a relay or destination status maps to.
import { describe, expect, it } from 'vitest';
import { buildOnionRequest, MAX_ONION_PATH_LENGTH, type ServerDestination } from '../../src/onion/onion-request.js';
import { OnionRelayError, onionErrorFromStatus, readServerResponse, readSnodeResponse } from '../../src/onion/onion-response.js';
import { MAX_ONION_REQUEST_SIZE } from '../../src/onion/frame.js';
import { classifyOnionLayer, openOnionLayer } from '../../src/onion/relay.js';
import { identityFromSeed } from '../../src/identity/keys.js';

const code = (c: string) => expect.objectContaining({ code: c });
const ids = [1, 2, 3].map((i) => identityFromSeed(new Uint8Array(32).fill(i)));
const node = (i: number) => ({ ed25519PublicKey: ids[i]!.ed25519PublicKey, x25519PublicKey: ids[i]!.x25519PublicKey });
const server = (over: Partial<ServerDestination> = {}): ServerDestination => ({
  type: 'server',
  host: '203.0.113.9',
  target: '/oxen/v4/lsrpc',
  protocol: 'https',
  x25519PublicKey: ids[2]!.x25519PublicKey,
  ...over,
});
const payload = new Uint8Array([1, 2, 3]);

describe('buildOnionRequest validation', () => {
  it('rejects a non-object, bad path entries, and a missing destination with INVALID_INPUT', async () => {
    await expect(buildOnionRequest(null as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(buildOnionRequest({ encType: 'xchacha20', path: [null as never], destination: server(), payload })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(buildOnionRequest({ encType: 'xchacha20', path: [node(0)], destination: null as never, payload })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(buildOnionRequest({ encType: 'xchacha20', path: [node(0)], destination: { ...server(), type: 'ftp' } as never, payload })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses paths longer than relays accept', async () => {
    const long = Array.from({ length: MAX_ONION_PATH_LENGTH + 1 }, (_, i) => {
      const id = identityFromSeed(new Uint8Array(32).fill(100 + i));
      return { ed25519PublicKey: id.ed25519PublicKey, x25519PublicKey: id.x25519PublicKey };
    });
    await expect(buildOnionRequest({ encType: 'xchacha20', path: long, destination: server(), payload })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses an oversized payload with TOO_LARGE', async () => {
    const big = new Uint8Array(MAX_ONION_REQUEST_SIZE + 1);
    await expect(buildOnionRequest({ encType: 'xchacha20', path: [node(0)], destination: server(), payload: big })).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });

  it("'desktop' style is only for snode destinations", async () => {
    await expect(buildOnionRequest({ encType: 'xchacha20', style: 'desktop', path: [node(0)], destination: server(), payload })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('server port defaults to 443 for https and 80 for http; an explicit port is kept', async () => {
    const seen: number[] = [];
    for (const d of [server(), server({ protocol: 'http' }), server({ protocol: 'http', port: 8080 })]) {
      const req = await buildOnionRequest({ encType: 'xchacha20', path: [node(0)], destination: d, payload });
      const opened = await openOnionLayer(ids[0]!.x25519SecretKey, req.wire);
      const action = classifyOnionLayer(opened.plaintext);
      expect(action.type).toBe('relay_to_server');
      if (action.type === 'relay_to_server') seen.push(action.port);
    }
    expect(seen).toEqual([443, 80, 8080]);
    await expect(buildOnionRequest({ encType: 'xchacha20', path: [node(0)], destination: server({ port: 0 }), payload })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('onionErrorFromStatus', () => {
  const key = 'ab'.repeat(32);

  it('503 names the node from the body when there is one, else the node given', () => {
    const named = onionErrorFromStatus(503, `Snode not ready: ${key}`)!;
    expect(named).toBeInstanceOf(OnionRelayError);
    expect(named).toMatchObject({ code: 'SERVICE_UNAVAILABLE', node: key, status: 503, source: 'path' });
    const given = onionErrorFromStatus(503, 'busy', { source: 'destination', node: 'n1' })!;
    expect(given).toMatchObject({ code: 'SERVICE_UNAVAILABLE', node: 'n1', source: 'destination' });
    expect(given.message).toContain('(n1)');
    expect(onionErrorFromStatus(503, 'busy')!.node).toBeUndefined();
  });

  it('504 is TIMEOUT for the given node', () => {
    expect(onionErrorFromStatus(504, '', { node: 'n2', layer: 1 })).toMatchObject({ code: 'TIMEOUT', node: 'n2', layer: 1, status: 504 });
    expect(onionErrorFromStatus(504, '', { node: 'n2' })!.message).toContain('(n2)');
    const anon = onionErrorFromStatus(504, '')!;
    expect(anon.node).toBeUndefined();
    expect(anon.message).toMatch(/^a relay on the onion path timed out \(HTTP 504\)/);
  });

  it('2xx is no error, and a non-integer status is INVALID_INPUT', () => {
    expect(onionErrorFromStatus(204, '')).toBeUndefined();
    expect(() => onionErrorFromStatus(200.5, '')).toThrow(code('INVALID_INPUT'));
  });
});

describe('reading replies needs the request keys', () => {
  it('rejects missing keys or a missing finalEphemeral with INVALID_INPUT', async () => {
    await expect(readSnodeResponse(null as never, 200, new Uint8Array(64))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(readSnodeResponse({ encType: 'xchacha20', destinationX25519PublicKey: ids[1]!.x25519PublicKey } as never, 200, new Uint8Array(64))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('a reply that does not decrypt (and no hop key explains it) fails with a typed error, never a crash', async () => {
    const req = await buildOnionRequest({ encType: 'xchacha20', path: [node(0)], destination: server(), payload });
    const garbage = new Uint8Array(80).fill(0x5a);
    await expect(readServerResponse(req, 200, garbage)).rejects.toSatisfy((e: unknown) => e instanceof Error && 'code' in e && ['DECRYPT_FAILED', 'INVALID_ENCODING'].includes((e as { code: string }).code));
  });
});
