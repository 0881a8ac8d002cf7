/**
 * `npm run demo`. Today this is the identity walk-through; the onion-request demo (a real request
 * through three service nodes) replaces it once the onion module lands.
 */
import { identityDemo } from './demo-identity.js';

console.log('session-sdk demo: identity walk-through');
console.log('(the onion-request demo comes later, with the onion module)');
console.log();
await identityDemo();
console.log();
console.log('Done. Try the CLI too: `npx tsx src/cli.ts id new --words 13` (or `session-sdk id new` once built).');
