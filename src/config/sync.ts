/**
 * Restore and sync (issue 5; spec/config.md §5.1): the retrieve → merge → push → store → delete →
 * confirm cycle over any swarm access, and restoring an account's four user configs on a new
 * device. The swarm is an interface, so the same code runs over the onion client, a test double or
 * anything else that can store and retrieve namespaced messages.
 * @module
 */
import { SessionSdkError } from '../errors.js';
import { ContactsConfig } from './contacts.js';
import { ConvoInfoVolatileConfig } from './convo-info-volatile.js';
import type { ConfigIncoming, ConfigState } from './state.js';
import { UserGroupsConfig } from './user-groups.js';
import { UserProfileConfig } from './user-profile.js';

/**
 * Access to one swarm (the account's for user configs, the group's for group configs).
 *
 * @example
 * ```ts
 * const swarm: ConfigSwarm = {
 *   retrieve: async (ns) => (await myRetrieve(ns)).map((m) => ({ hash: m.hash, data: m.data })),
 *   store: (ns, data) => myStore(ns, data), // resolves to the storage hash
 * };
 * await syncConfig(profile, swarm);
 * ```
 */
export interface ConfigSwarm {
  /** Every message currently stored in `namespace`, with its storage hash. */
  retrieve(namespace: number): Promise<ConfigIncoming[]>;
  /** Stores `data` in `namespace`; resolves to the storage hash. */
  store(namespace: number, data: Uint8Array): Promise<string>;
  /** Deletes messages by storage hash (optional: without it obsolete messages expire by TTL). */
  delete?(hashes: string[]): Promise<void>;
}

/**
 * What one {@link syncConfig} round did.
 *
 * @example
 * ```ts
 * const { accepted, pushed }: ConfigSyncResult = await syncConfig(contacts, swarm);
 * if (pushed) console.log('pushed seqno', pushed.seqno, 'deleted', pushed.deleted.length);
 * ```
 */
export interface ConfigSyncResult {
  /** Storage hashes merged from the swarm. */
  accepted: string[];
  /** Set when the round pushed a new version. */
  pushed?: { seqno: number; hash: string; deleted: string[] };
}

/** A swarm is an object with `retrieve` and `store` functions; anything else is `INVALID_INPUT`. */
function checkSwarm(swarm: ConfigSwarm): void {
  if (swarm === null || typeof swarm !== 'object' || typeof swarm.retrieve !== 'function' || typeof swarm.store !== 'function') {
    throw new SessionSdkError('INVALID_INPUT', 'swarm must have retrieve and store functions');
  }
}

/**
 * One sync round for a config: retrieve its namespace, merge, and if the result needs pushing,
 * push, store, delete what it obsoletes, and confirm. Read-only group configs never push.
 *
 * @example
 * ```ts
 * const { pushed } = await syncConfig(profile, swarm); // after profile.setName('Alice')
 * ```
 */
export async function syncConfig(state: ConfigState, swarm: ConfigSwarm): Promise<ConfigSyncResult> {
  // Duck-typed, not `instanceof`: a state from another copy of the package (ESM next to CJS) is fine.
  if (state === null || typeof state !== 'object' || typeof state.merge !== 'function' || typeof state.push !== 'function') {
    throw new SessionSdkError('INVALID_INPUT', 'state must be a config state');
  }
  checkSwarm(swarm);
  const incoming = await swarm.retrieve(state.namespace);
  if (!Array.isArray(incoming)) throw new SessionSdkError('INVALID_INPUT', 'swarm.retrieve must return an array');
  const accepted = incoming.length ? await state.merge(incoming) : [];
  if (!state.needsPush() || state.isReadOnly) return { accepted };
  const push = await state.push();
  const hash = await swarm.store(push.namespace, push.data);
  if (typeof hash !== 'string' || hash === '') throw new SessionSdkError('INVALID_INPUT', 'swarm.store must return the storage hash');
  let deleted: string[] = [];
  if (push.obsoleteHashes.length && swarm.delete) {
    await swarm.delete(push.obsoleteHashes);
    deleted = push.obsoleteHashes;
  }
  state.confirmPushed(push.seqno, hash);
  return { accepted, pushed: { seqno: push.seqno, hash, deleted } };
}

/**
 * The four user configs of an account (namespaces 2–5).
 *
 * @example
 * ```ts
 * const configs: UserConfigs = await restoreUserConfigs(identity.ed25519SecretKey, swarm);
 * console.log(configs.profile.getName(), configs.contacts.all().length);
 * ```
 */
export interface UserConfigs {
  /** UserProfile (namespace 2): name, picture, Note-to-Self settings. */
  profile: UserProfileConfig;
  /** Contacts (namespace 3). */
  contacts: ContactsConfig;
  /** ConvoInfoVolatile (namespace 4): read state per conversation. */
  convoInfo: ConvoInfoVolatileConfig;
  /** UserGroups (namespace 5): groups, communities, legacy groups. */
  userGroups: UserGroupsConfig;
}

/**
 * Creates empty user configs for an account.
 *
 * @example
 * ```ts
 * const { profile } = createUserConfigs(identity.ed25519SecretKey);
 * profile.setName('Alice');
 * ```
 */
export function createUserConfigs(ed25519SecretKey: Uint8Array): UserConfigs {
  return {
    profile: new UserProfileConfig({ ed25519SecretKey }),
    contacts: new ContactsConfig({ ed25519SecretKey }),
    convoInfo: new ConvoInfoVolatileConfig({ ed25519SecretKey }),
    userGroups: new UserGroupsConfig({ ed25519SecretKey }),
  };
}

/**
 * Restores an account's profile, contacts, conversation state and groups on a new device
 * (spec/config.md §5.1): retrieves namespaces 2–5 and merges them. Nothing is pushed unless the
 * swarm held conflicting versions (then the merge is pushed too, as libsession would).
 *
 * @example
 * ```ts
 * const id = identityFromSeed(mnemonicDecode(phrase));
 * const { profile, contacts } = await restoreUserConfigs(id.ed25519SecretKey, swarm);
 * profile.getName();
 * ```
 */
export async function restoreUserConfigs(ed25519SecretKey: Uint8Array, swarm: ConfigSwarm): Promise<UserConfigs> {
  checkSwarm(swarm);
  const configs = createUserConfigs(ed25519SecretKey);
  for (const c of [configs.profile, configs.contacts, configs.convoInfo, configs.userGroups]) await syncConfig(c, swarm);
  return configs;
}
