// ConfigState life-cycle contract (spec/config.md §2.9–§2.10): merge input validation, keyless
// merge, undecryptable input leaving state untouched, and libsession dump loading (malformed
// dumps are CONFIG_INVALID; a dirty dump reopens as a new version).
import { describe, expect, it } from 'vitest';
import { GroupInfoConfig, UserProfileConfig } from '../../src/config/index.js';
import { ed25519KeyPairFromSeed } from '../../src/crypto/noble.js';

const code = (c: string) => expect.objectContaining({ code: c });
const account = new Uint8Array(32).fill(8);
const profile = (dump?: Uint8Array) => new UserProfileConfig({ ed25519SecretKey: account, ...(dump ? { dump } : {}) });
const enc = new TextEncoder();

describe('ConfigState merge and dump', () => {
  it('merge validates its input with INVALID_INPUT', async () => {
    const p = profile();
    await expect(p.merge('x' as never)).rejects.toThrow(code('INVALID_INPUT'));
    await expect(p.merge([{ hash: 1 as never, data: new Uint8Array(1) }])).rejects.toThrow(code('INVALID_INPUT'));
    await expect(p.merge([{ hash: 'h', data: [1, 2] as never }])).rejects.toThrow(code('INVALID_INPUT'));
  });

  it('a group config without keys cannot merge (NO_KEY)', async () => {
    const seed = new Uint8Array(32).fill(1);
    const info = new GroupInfoConfig({ groupEd25519PublicKey: ed25519KeyPairFromSeed(seed).publicKey, keys: [] });
    await expect(info.merge([{ hash: 'h', data: new Uint8Array(64) }])).rejects.toThrow(code('NO_KEY'));
  });

  it('undecryptable messages are ignored: nothing merged, state and seqno unchanged', async () => {
    const p = profile();
    p.setName('Me');
    const seqno = p.seqno;
    const merged = await p.merge([{ hash: 'junk', data: new Uint8Array(200).fill(0x42) }]);
    expect(merged).toEqual([]);
    expect(p.getName()).toBe('Me');
    expect(p.seqno).toBe(seqno);
  });

  it('malformed dumps are CONFIG_INVALID (or INVALID_INPUT when not bytes)', () => {
    const bad = (s: string) => () => profile(enc.encode(s));
    expect(bad('i1e')).toThrow(code('CONFIG_INVALID')); // not a dict
    expect(bad('d1:!i7ee')).toThrow(code('CONFIG_INVALID')); // bad state
    expect(bad('d1:!i0ee')).toThrow(code('CONFIG_INVALID')); // no config message
    expect(() => new UserProfileConfig({ ed25519SecretKey: account, dump: 'd' as never })).toThrow(code('INVALID_INPUT'));
  });

  it('a dump taken while dirty reopens dirty, at a new seqno, with the edits kept', () => {
    const p = profile();
    p.setName('Draft');
    expect(p.status).toBe('dirty');
    const r = profile(p.dump());
    expect(r.status).toBe('dirty');
    expect(r.getName()).toBe('Draft');
    expect(r.seqno).toBe(p.seqno + 1);
    expect(r.needsPush()).toBe(true);
  });

  it('a disposed config refuses further use with DESTROYED (spec/security.md §5)', async () => {
    const p = profile();
    p.dispose();
    expect(() => p.getName()).toThrow(code('DESTROYED'));
    expect(() => p.setName('x')).toThrow(code('DESTROYED'));
    expect(() => p.dump()).toThrow(code('DESTROYED'));
    await expect(p.merge([])).rejects.toThrow(code('DESTROYED'));
  });
});
