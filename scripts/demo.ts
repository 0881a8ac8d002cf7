/**
 * `npm run demo`: session-sdk end to end, using only the public API.
 *   1. identity — create an account, its recovery phrase, restore it, community blinding;
 *   2. onion    — Alice sends Bob a 1:1 message through 3-hop onion paths over a local loopback
 *                 network of service nodes, a relay dies, the path is repaired, Bob decrypts;
 *   3. restore  — Alice restores her account on a second device from the recovery phrase and
 *                 pulls her profile and contacts (libsession config messages) from her swarm.
 * The loopback network runs on 127.0.0.1 only; nothing leaves this machine.
 */
import { identityDemo } from './demo-identity.js';
import { onionDemo } from './demo-onion.js';
import { restoreDemo } from './demo-restore.js';

const rule = (title: string) => console.log(`\n${'='.repeat(78)}\n${title}\n${'='.repeat(78)}`);

rule('1/3  Identity: keys, Session ID, recovery phrase, community blinding');
await identityDemo();
rule('2/3  A 1:1 message through 3-hop onion paths (local loopback service nodes)');
await onionDemo({ print: true });
rule('3/3  Restore on a second device: config messages from the account swarm');
await restoreDemo({ print: true });
console.log('\nDone. Try the CLI too: `npx session-sdk id new --words 13` after `npm run build`.');
