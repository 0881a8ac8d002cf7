// The relay a browser app needs (dev-only sketch, also used by the tests): browsers cannot reach
// service nodes directly (self-signed TLS, no CORS), so the app runs this small forwarder.
//
// It only ever sees what a guard's ISP sees: the client's IP, the guard's address and the sizes
// of onion-encrypted bytes. It must not be an open proxy: targets are limited to nodes in the
// current service-node list (and the configured seeds), bodies are capped, nothing is logged.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RelayOptions {
  /** Is `ip:port` a service node from the current directory? (Real relays refresh this list.) */
  isKnownNode: (ip: string, port: number) => boolean;
  /** Forwards bytes to a node and returns its answer (real relays: HTTPS, self-signed allowed). */
  forward: (ip: string, port: number, body: Uint8Array) => Promise<{ status: number; body: Uint8Array }>;
  /** Seed directory URLs the relay may fetch, by index. */
  seeds: string[];
  /** The app's web origin, for CORS. */
  allowOrigin?: string;
  maxBodyBytes?: number;
}

export async function startOnionRelay(opts: RelayOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const max = opts.maxBodyBytes ?? 10_485_760;
  const server = http.createServer(async (req, res) => {
    const cors = { 'Access-Control-Allow-Origin': opts.allowOrigin ?? 'null', 'Access-Control-Allow-Methods': 'POST', 'Access-Control-Allow-Headers': 'Content-Type' };
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    const send = (status: number, body: Uint8Array | string) => void res.writeHead(status, cors).end(Buffer.from(body));
    if (req.method !== 'POST') return send(405, 'POST only');
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const c of req) {
      n += (c as Buffer).length;
      if (n > max) return send(413, 'too large');
      chunks.push(c as Buffer);
    }
    const body = new Uint8Array(Buffer.concat(chunks));
    const onion = /^\/onion\/(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,5})$/.exec(req.url ?? '');
    if (onion) {
      const [ip, port] = [onion[1]!, Number(onion[2])];
      if (!opts.isKnownNode(ip, port)) return send(403, 'not a service node');
      try {
        const r = await opts.forward(ip, port, body);
        return send(r.status, r.body);
      } catch {
        return send(502, 'relay could not reach the guard');
      }
    }
    const seed = /^\/seed\/(\d+)$/.exec(req.url ?? '');
    if (seed && opts.seeds[Number(seed[1])]) {
      const r = await fetch(new URL('json_rpc', opts.seeds[Number(seed[1])]), { method: 'POST', body });
      return send(r.status, new Uint8Array(await r.arrayBuffer()));
    }
    return send(404, 'not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}
