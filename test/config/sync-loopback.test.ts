// Restore and sync end to end over the loopback service-node network (issue 5): Alice's second
// device restores namespaces 2-5 from her recovery phrase through onion paths, then both devices
// edit concurrently and converge. The flow is scripts/demo-restore.ts.
import { describe, expect, it } from 'vitest';
import { restoreDemo } from '../../scripts/demo-restore.js';

describe('restore and sync over the loopback onion network', () => {
  it('restores from the recovery phrase and converges after concurrent edits', async () => {
    const r = await restoreDemo({ print: false });
    expect(r.restoredName).toBe('Alice');
    expect(r.restoredContacts).toEqual(['Bob']);
    expect(r.restoredCommunities).toEqual(['https://open.getsession.org/session']);
    expect(r.phoneContacts).toEqual(['Bob (Bobby)', 'Carol']);
    expect(r.laptopContacts).toEqual(r.phoneContacts);
    expect(r.phoneSeqno).toBe(3);
    expect(r.laptopSeqno).toBe(3);
    expect(r.lines.at(-1)).toContain('converged');
  }, 30_000);
});
