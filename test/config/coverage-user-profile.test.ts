// UserProfile (spec/config.md §3.1) setter contract: defaults, removal by empty/undefined/≤0,
// the tri-state blinded-message-request flag, Note-to-Self priority, and validation codes.
import { describe, expect, it } from 'vitest';
import { UserProfileConfig } from '../../src/config/index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const account = new Uint8Array(32).fill(6);
const profile = (dump?: Uint8Array) => new UserProfileConfig({ ed25519SecretKey: account, ...(dump ? { dump } : {}) });

describe('UserProfileConfig setters', () => {
  it('a fresh profile has defaults only', () => {
    const p = profile();
    expect(p.getName()).toBeUndefined();
    expect(p.getProfilePicture()).toBeUndefined();
    expect(p.getNoteToSelfPriority()).toBe(0);
    expect(p.getNoteToSelfExpirySeconds()).toBeUndefined();
    expect(p.getBlindedMessageRequests()).toBeUndefined();
  });

  it('values round-trip through a dump; blinded requests are true, false or unset', () => {
    const p = profile();
    const pic = { url: 'https://files/x', key: new Uint8Array(32).fill(7) };
    p.setName('Kallie');
    p.setProfilePicture(pic);
    p.setNoteToSelfPriority(-1);
    p.setNoteToSelfExpirySeconds(3600);
    p.setBlindedMessageRequests(false);
    let r = profile(p.dump());
    expect([r.getName(), r.getProfilePicture(), r.getNoteToSelfPriority(), r.getNoteToSelfExpirySeconds(), r.getBlindedMessageRequests()])
      .toEqual(['Kallie', pic, -1, 3600, false]);
    p.setBlindedMessageRequests(true);
    expect(profile(p.dump()).getBlindedMessageRequests()).toBe(true);
    p.setName(undefined);
    p.setProfilePicture(undefined);
    p.setNoteToSelfPriority(0);
    p.setNoteToSelfExpirySeconds(-3);
    p.setBlindedMessageRequests(undefined);
    r = profile(p.dump());
    expect([r.getName(), r.getProfilePicture(), r.getNoteToSelfPriority(), r.getNoteToSelfExpirySeconds(), r.getBlindedMessageRequests()])
      .toEqual([undefined, undefined, 0, undefined, undefined]);
  });

  it('setters reject bad input with INVALID_INPUT and leave the profile unchanged', () => {
    const p = profile();
    expect(() => p.setName('é'.repeat(51))).toThrow(code('INVALID_INPUT'));
    expect(() => p.setNoteToSelfPriority(0.5)).toThrow(code('INVALID_INPUT'));
    expect(() => p.setNoteToSelfExpirySeconds(Number.NaN)).toThrow(code('INVALID_INPUT'));
    expect(() => p.setProfilePicture({ url: 'u'.repeat(224), key: new Uint8Array(32) })).toThrow(code('INVALID_INPUT'));
    expect(p.needsPush()).toBe(false);
    expect(p.getName()).toBeUndefined();
  });
});
