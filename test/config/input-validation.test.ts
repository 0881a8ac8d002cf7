// Bad input from JavaScript callers (no type checker): every config entry point answers with a
// typed SessionSdkError and stores nothing — never a TypeError/RangeError from inside, never a
// corrupt data tree (project rule: typed errors on any bad input).
import { describe, expect, it } from 'vitest';
import {
  ContactsConfig,
  ConvoInfoVolatileConfig,
  GroupInfoConfig,
  GroupMembersConfig,
  UserGroupsConfig,
  UserProfileConfig,
  createConfigMessage,
  emptyConfigMessage,
  parseConfigMessage,
  resolveConfigMessages,
  restoreUserConfigs,
  syncConfig,
  type ConfigSwarm,
} from '../../src/config/index.js';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';
import { utf8 } from '../../src/util/bytes.js';

const code = (c: string) => expect.objectContaining({ code: c });
const account = new Uint8Array(32).fill(0x13);
const legacyId = '05' + '11'.repeat(32);
const h = 'h'.repeat(32);

describe('the lag window (spec §1.6) must be a positive integer', () => {
  it('createConfigMessage, emptyConfigMessage, parseConfigMessage and resolveConfigMessages reject others', () => {
    const m = utf8('d1:#i3e1:&de1:<le1:=dee');
    for (const lag of [0, -5, 1.5, Number.NaN, '5' as never]) {
      expect(() => createConfigMessage({ lag })).toThrow(code('INVALID_INPUT'));
      expect(() => parseConfigMessage(m, { lag })).toThrow(code('INVALID_INPUT'));
      // Not "no valid config messages": the options are wrong, not the messages.
      expect(() => resolveConfigMessages([m], { lag })).toThrow(code('INVALID_INPUT'));
    }
    expect(() => emptyConfigMessage(0)).toThrow(code('INVALID_INPUT'));
  });

  it('lag 1 is the smallest window: every lagged row is then too old and dropped', () => {
    const m = parseConfigMessage(utf8(`d1:#i3e1:&de1:<lli2e32:${h}deee1:=dee`), { lag: 1 });
    expect([m.lag, m.lagged]).toEqual([1, []]);
  });

  it('resolveConfigMessages needs an array', () => {
    expect(() => resolveConfigMessages('d1:#i0e1:&dee' as never)).toThrow(code('INVALID_INPUT'));
  });
});

describe('setters take records', () => {
  it('null or a primitive where an entry is expected is INVALID_INPUT, and nothing is stored', () => {
    const contacts = new ContactsConfig({ ed25519SecretKey: account });
    const civ = new ConvoInfoVolatileConfig({ ed25519SecretKey: account });
    const ug = new UserGroupsConfig({ ed25519SecretKey: account });
    const seed = new Uint8Array(32).fill(0x14);
    const members = new GroupMembersConfig({ groupEd25519PublicKey: ed25519KeyPairFromSeed(seed).publicKey, groupEd25519SecretKey: seed, keys: [seed] });
    const calls: [string, () => unknown][] = [
      ['contacts.set', () => contacts.set(null as never)],
      ['members.set', () => members.set('bob' as never)],
      ['civ.get', () => civ.get(null as never)],
      ['civ.set', () => civ.set(null as never)],
      ['civ.erase', () => civ.erase(7 as never)],
      ['ug.setGroup', () => ug.setGroup(null as never)],
      ['ug.setCommunity', () => ug.setCommunity(null as never)],
      ['ug.setLegacyGroup', () => ug.setLegacyGroup(null as never)],
      ['legacy members', () => ug.setLegacyGroup({ sessionId: legacyId, name: '', members: 5 } as never)],
      ['members.setKeys options', () => members.setKeys([seed], null as never)],
    ];
    for (const [what, call] of calls) expect(call, what).toThrow(code('INVALID_INPUT'));
    for (const s of [contacts, civ, ug, members]) expect(s.needsPush()).toBe(false);
    expect(members.keys()).toEqual([seed]);
  });

  it('legacy-group key halves must be bytes: a 32-character string is INVALID_INPUT, not stored as text', () => {
    const ug = new UserGroupsConfig({ ed25519SecretKey: account });
    const base = { sessionId: legacyId, name: 'L', members: {}, priority: 0, joinedAt: 0, notifications: 'default' as const, muteUntil: 0, invited: false, disappearingTimerSeconds: 0 };
    expect(() => ug.setLegacyGroup({ ...base, encPublicKey: 'k'.repeat(32) as never, encSecretKey: new Uint8Array(32) })).toThrow(code('INVALID_INPUT'));
    expect(() => ug.setLegacyGroup({ ...base, encPublicKey: new Uint8Array(32), encSecretKey: 'K'.repeat(32) as never })).toThrow(code('INVALID_INPUT'));
    expect(ug.legacyGroups()).toEqual([]);
    // Bytes of the wrong length stay what libsession makes of them: no key pair.
    ug.setLegacyGroup({ ...base, encPublicKey: new Uint8Array(31), encSecretKey: new Uint8Array(32) });
    expect(ug.getLegacyGroup(legacyId)!.encPublicKey).toBeUndefined();
  });

  it('a null profile picture is INVALID_INPUT (undefined removes it)', () => {
    const p = new UserProfileConfig({ ed25519SecretKey: account });
    const seed = new Uint8Array(32).fill(0x15);
    const info = new GroupInfoConfig({ groupEd25519PublicKey: ed25519KeyPairFromSeed(seed).publicKey, groupEd25519SecretKey: seed, keys: [seed] });
    expect(() => p.setProfilePicture(null as never)).toThrow(code('INVALID_INPUT'));
    expect(() => info.setProfilePicture(null as never)).toThrow(code('INVALID_INPUT'));
    expect([p.needsPush(), info.needsPush()]).toEqual([false, false]);
  });
});

describe('constructors and sync take records', () => {
  it('null options are INVALID_INPUT for user and group configs', () => {
    expect(() => new UserProfileConfig(null as never)).toThrow(code('INVALID_INPUT'));
    expect(() => new GroupInfoConfig(null as never)).toThrow(code('INVALID_INPUT'));
    expect(() => new GroupMembersConfig(undefined as never)).toThrow(code('INVALID_INPUT'));
  });

  it('syncConfig/restoreUserConfigs reject a missing state or swarm, and a swarm whose retrieve is not a list', async () => {
    const p = new UserProfileConfig({ ed25519SecretKey: account });
    let stores = 0;
    const swarm = (retrieved: unknown): ConfigSwarm => ({
      retrieve: async () => retrieved as never,
      store: async () => {
        stores++;
        return 'h';
      },
    });
    await expect(syncConfig(null as never, swarm([]))).rejects.toThrow(code('INVALID_INPUT'));
    await expect(syncConfig(p, null as never)).rejects.toThrow(code('INVALID_INPUT'));
    await expect(syncConfig(p, { retrieve: async () => [] } as never)).rejects.toThrow(code('INVALID_INPUT'));
    await expect(restoreUserConfigs(account, null as never)).rejects.toThrow(code('INVALID_INPUT'));
    p.setName('Me');
    // A retrieve that returns something other than a list must not count as "nothing stored".
    await expect(syncConfig(p, swarm(5))).rejects.toThrow(code('INVALID_INPUT'));
    expect([stores, p.status]).toEqual([0, 'dirty']);
    expect((await syncConfig(p, swarm([]))).pushed?.hash).toBe('h');
  });
});
