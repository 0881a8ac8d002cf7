// Vitest fixture: one loopback service-node network per test file, and onion clients on it with
// short timeouts, all closed after the file's tests.
import { afterAll, beforeAll } from 'vitest';
import { createNodeHttpTransport } from '../../src/node/http-transport.js';
import { OnionClient } from '../../src/onion/onion-client.js';
import { SnodePool } from '../../src/onion/snode-pool.js';
import { LoopbackNetwork } from './network.js';

/** Starts `nodes` loopback nodes in `swarms` swarms for this file; returns accessors. */
export function useLoopbackNetwork(opts: { nodes: number; swarms: number } = { nodes: 12, swarms: 3 }): {
  net: () => LoopbackNetwork;
  client: () => Promise<OnionClient>;
} {
  let net: LoopbackNetwork | undefined;
  const clients: OnionClient[] = [];
  beforeAll(async () => {
    net = await LoopbackNetwork.start(opts);
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await net?.close();
  });
  const current = (): LoopbackNetwork => {
    if (!net) throw new Error('loopback network not started (use inside tests)');
    return net;
  };
  return {
    net: current,
    async client() {
      const n = current();
      const transport = createNodeHttpTransport({ resolve: n.resolve, timeoutMs: 3000, retries: 1, backoffBaseMs: 10 });
      const c = new OnionClient({ transport, pool: new SnodePool({ seeds: [n.seed] }), retryBaseMs: 5, retryMaxMs: 20 });
      clients.push(c);
      await c.start();
      return c;
    },
  };
}
