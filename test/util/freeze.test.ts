// Exported constant tables the SDK reads at run time are deeply frozen: other code in the same
// process cannot change a label, namespace, seed list or crypto provider under the SDK.
import { describe, expect, it } from 'vitest';
import * as sdk from '../../src/index.js';
import * as languages from '../../src/mnemonic-languages.js';
import * as node from '../../src/node/index.js';
import { deepFreeze } from '../../src/util/freeze.js';

function everyObjectFrozen(v: unknown, path: string, out: string[]): void {
  if (v === null || typeof v !== 'object' || ArrayBuffer.isView(v)) return;
  if (!Object.isFrozen(v)) out.push(path);
  for (const [k, x] of Object.entries(v)) everyObjectFrozen(x, `${path}.${k}`, out);
}

describe('deepFreeze', () => {
  it('freezes nested objects and arrays, leaves typed arrays writable, returns its argument', () => {
    const bytes = new Uint8Array(4);
    const t = { a: { b: [1, { c: 2 }] }, bytes };
    expect(deepFreeze(t)).toBe(t);
    const open: string[] = [];
    everyObjectFrozen(t, 't', open);
    expect(open).toEqual([]);
    expect(Object.isFrozen(bytes)).toBe(false);
    expect(() => {
      (t.a.b[1] as { c: number }).c = 3;
    }).toThrow(TypeError);
    expect(deepFreeze(5)).toBe(5);
    expect(deepFreeze(null)).toBe(null);
  });

  it('every exported constant table is frozen all the way down', () => {
    const tables: Record<string, unknown> = {
      HOP_NONCE_LENGTH: sdk.HOP_NONCE_LENGTH,
      HOP_OVERHEAD: sdk.HOP_OVERHEAD,
      GROUP_KEY_LABELS: sdk.GROUP_KEY_LABELS,
      SHARED_CONFIG_KIND: sdk.SHARED_CONFIG_KIND,
      CONFIG_TYPES: sdk.CONFIG_TYPES,
      SessionIdPrefix: sdk.SessionIdPrefix,
      SUBACCOUNT_FLAGS: sdk.SUBACCOUNT_FLAGS,
      StorageNamespace: sdk.StorageNamespace,
      PortableEnvelopeKind: sdk.PortableEnvelopeKind,
      SESSION_SDK_ERROR_CODES: sdk.SESSION_SDK_ERROR_CODES,
      nobleProvider: sdk.nobleProvider,
      webCryptoProvider: sdk.webCryptoProvider,
      SEED_NODE_LIST_REQUEST: sdk.SEED_NODE_LIST_REQUEST,
      NODE_LIST_RPC_PARAMS: sdk.NODE_LIST_RPC_PARAMS,
      MAINNET_SEED_NODES: sdk.MAINNET_SEED_NODES,
      ONION_CLIENT_DEFAULTS: sdk.ONION_CLIENT_DEFAULTS,
      MAINNET_SEED_PINS: node.MAINNET_SEED_PINS,
    };
    const open: string[] = [];
    for (const [name, v] of Object.entries(tables)) {
      expect(v, name).toBeTypeOf('object');
      everyObjectFrozen(v, name, open);
    }
    expect(open).toEqual([]);
    // Any other exported plain object or array is frozen too (a table added later cannot be missed).
    for (const [name, v] of [...Object.entries(sdk), ...Object.entries(node), ...Object.entries(languages)]) {
      if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v) && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype)) {
        everyObjectFrozen(v, name, open);
      }
    }
    expect(open).toEqual([]);
  });
});
