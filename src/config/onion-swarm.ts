/**
 * A {@link ConfigSwarm} over the onion client: signed `retrieve`/`store`/`delete` storage RPCs
 * (spec/onion.md §8) sent through onion paths to the account's (or group's) swarm.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import type { OnionClient } from '../onion/onion-client.js';
import {
  STORAGE_MAX_TTL_PRIVATE_MS,
  buildDeleteRequest,
  buildRetrieveRequest,
  buildStoreRequest,
  parseRetrieveResponse,
  storageMessageHash,
  type ServerClock,
  type StorageAuth,
} from '../onion/storage.js';
import type { ConfigIncoming } from './state.js';
import type { ConfigSwarm } from './sync.js';

/**
 * Options for {@link onionConfigSwarm}.
 *
 * @example
 * ```ts
 * const opts: OnionConfigSwarmOptions = { clock, ttlMs: 14 * 86_400_000 };
 * const swarm = onionConfigSwarm(client, auth, opts);
 * ```
 */
export interface OnionConfigSwarmOptions {
  /** Message lifetime; default 30 days (the private-namespace maximum). */
  ttlMs?: number;
  /** Server-corrected clock for request timestamps. */
  clock?: ServerClock;
  /** Delete obsolete messages after a push (default true). */
  deleteObsolete?: boolean;
  /** Safety bound on `retrieve` pagination rounds (default 20). */
  maxPages?: number;
}

function parseJson(body: string, what: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(body);
    if (v && typeof v === 'object') return v as Record<string, unknown>;
  } catch {
    /* fall through */
  }
  throw new SessionSdkError('INVALID_ENCODING', `${what}: response is not a JSON object`);
}

/**
 * Config storage through `client` for the account or group in `auth`.
 *
 * @example
 * ```ts
 * const swarm = onionConfigSwarm(client, { pubkey: id.sessionId, ed25519SecretKey: id.ed25519SecretKey });
 * const configs = await restoreUserConfigs(id.ed25519SecretKey, swarm);
 * ```
 */
export function onionConfigSwarm(client: OnionClient, auth: StorageAuth, opts: OnionConfigSwarmOptions = {}): ConfigSwarm {
  const ttlMs = opts.ttlMs ?? STORAGE_MAX_TTL_PRIVATE_MS;
  const time = opts.clock ? { clock: opts.clock } : {};
  const swarm: ConfigSwarm = {
    async retrieve(namespace: number): Promise<ConfigIncoming[]> {
      const out: ConfigIncoming[] = [];
      let lastHash: string | undefined;
      for (let page = 0; page < (opts.maxPages ?? 20); page++) {
        const req = await buildRetrieveRequest({ auth, namespace, ...(lastHash ? { lastHash } : {}), ...time });
        const res = await client.swarmRequest(auth.pubkey, req.method, req.params);
        const { messages, more } = parseRetrieveResponse(res.body);
        for (const m of messages) {
          out.push({ hash: m.hash, data: m.data });
          lastHash = m.hash;
        }
        if (!more || messages.length === 0) break;
      }
      return out;
    },
    async store(namespace: number, data: Uint8Array): Promise<string> {
      const req = await buildStoreRequest({ auth, namespace, data, ttlMs, ...time });
      const res = await client.swarmRequest(auth.pubkey, req.method, req.params);
      // The storage hash is deterministic; a node reporting another one did not store our bytes.
      const expected = storageMessageHash(auth.pubkey, namespace, data);
      const reported = parseJson(res.body, 'store').hash;
      if (reported !== undefined && reported !== expected) {
        throw new SessionSdkError('TRANSPORT_ERROR', 'store: the node reported a different message hash');
      }
      return expected;
    },
  };
  if (opts.deleteObsolete !== false) {
    swarm.delete = async (hashes: string[]): Promise<void> => {
      const req = await buildDeleteRequest({ auth, messages: hashes });
      await client.swarmRequest(auth.pubkey, req.method, req.params);
    };
  }
  return swarm;
}
