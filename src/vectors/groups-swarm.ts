/**
 * Verifier for test-vectors/groups/swarm-auth.json (spec/groups.md §2.10), the user-facing replay
 * of the swarm-auth half of test/groups/multi-swarm-vectors.test.ts: an admin makes a member's
 * subaccount signing value, the member signs a storage request with it, and the intermediates of
 * the blinding and of the signature are recomputed and tied to the SDK's output.
 * @module
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha512 } from '@noble/hashes/sha2.js';
import {
  identityFromSeed,
  makeSubaccount,
  subaccountSign,
  subaccountToken,
  verifyEd25519,
  verifySubaccount,
  verifySubaccountAuth,
  x25519PublicKeyToEd25519,
} from '../index.js';
import { byId, expectEqual, fromBase64, hex, skipOtherVectors, toBase64, toHex, type FileVerifier } from './check.js';
import { ascii, expectHex, hk, keyringFor, namedVectorRunner } from './groups-common.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

const { Fn, BASE } = { Fn: ed25519.Point.Fn, BASE: ed25519.Point.BASE };
const leToBig = (b: Uint8Array): bigint => {
  let n = 0n;
  for (let i = b.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(b[i]!);
  return n;
};
/** libsodium `crypto_core_ed25519_scalar_reduce` of a 64-byte hash. */
const reduce64 = (h: Uint8Array): Uint8Array => Fn.toBytes(Fn.create(leToBig(h)));
// Only called on fields already compared as strings, so a missing one has failed before.

/** Admin and member keyrings of a swarm-auth vector's inputs. */
function parties(inputs: Doc): { admin: ReturnType<typeof keyringFor>; member: ReturnType<typeof keyringFor>; groupSeed: Uint8Array } {
  const groupSeed = hex(inputs.group_ed25519_seed);
  return { admin: keyringFor(hex(inputs.admin_ed25519_seed), groupSeed, true), member: keyringFor(hex(inputs.member_ed25519_seed), groupSeed, false), groupSeed };
}

async function signRetrieve(v: Doc): Promise<void> {
  const { admin, member } = parties(v.inputs);
  const out = v.outputs;
  expectHex('group_ed25519_pk', admin.groupEd25519PublicKey, out.group_ed25519_pk);
  expectEqual('group_id', admin.groupId, out.group_id);
  expectEqual('admin_session_id', admin.userSessionId, out.admin_session_id);
  expectEqual('member_session_id', member.userSessionId, out.member_session_id);
  const msg = ascii(v.inputs.message_to_sign_utf8);
  expectHex('message_to_sign_hex', msg, out.message_to_sign_hex);
  const sv = await makeSubaccount(admin, member.userSessionId, v.inputs.write, v.inputs.delete);
  const r = subaccountSign(member, msg, sv);
  expectEqual('subaccount_b64', toBase64(r.subaccount), out.subaccount_b64);
  expectEqual('subaccount_sig_b64', toBase64(r.subaccountSig), out.subaccount_sig_b64);
  expectEqual('signature_b64', toBase64(r.signature), out.signature_b64);
  expectHex('subaccount_hex', r.subaccount, out.subaccount_hex);
  expectHex('subaccount_sig_hex', r.subaccountSig, out.subaccount_sig_hex);
  expectHex('signature_hex', r.signature, out.signature_hex);
  // The notes: a plain Ed25519 signature under subaccount[4:36] (kT)…
  expectEqual('signature verifies under kT', verifyEd25519(fromBase64(out.signature_b64), msg, fromBase64(out.subaccount_b64).subarray(4)), true);
  // …accepted for what the flags grant, nothing more (as the SDK test checks).
  const auth = { subaccount: fromBase64(out.subaccount_b64), subaccountSig: fromBase64(out.subaccount_sig_b64), signature: fromBase64(out.signature_b64) };
  const gpk = admin.groupEd25519PublicKey;
  expectEqual('auth accepted (write)', await verifySubaccountAuth(gpk, msg, auth, { write: v.inputs.write }), true);
  expectEqual('auth for delete', await verifySubaccountAuth(gpk, msg, auth, { del: true }), v.inputs.delete);
  expectEqual('auth on another message', await verifySubaccountAuth(gpk, ascii(`${String(v.inputs.message_to_sign_utf8)}0`), auth), false);
  // …and flipping a bit of the 100-byte signing value fails verification, except bit 7 of byte 35
  // (the top bit of k, which the point multiplication ignores). Every bit of the header and of
  // byte 35, one bit of every other byte (as the SDK's test): 136 of the 800 flips, since each
  // costs an Ed25519 verification and this file is re-run by every damaged-copy test.
  expectEqual('signing value verifies', await verifySubaccount(member, sv, v.inputs.write, v.inputs.delete), true);
  const flips: [number, number][] = [];
  for (let byte = 0; byte < 100; byte++) {
    if (byte < 4 || byte === 35) for (let bit = 0; bit < 8; bit++) flips.push([byte, bit]);
    else flips.push([byte, byte % 8]);
  }
  const accepted: string[] = [];
  for (const [byte, bit] of flips) {
    const x = sv.slice();
    x[byte]! ^= 1 << bit;
    if (await verifySubaccount(member, x)) accepted.push(`${byte}:${bit}`);
  }
  expectEqual('bit flips still accepted (byte:bit)', accepted.join(','), '35:7');
}

async function signingValueDerived(doc: Doc, v: Doc): Promise<void> {
  const base = byId(doc, v.inputs.same_as);
  if (!base) throw new Error(`same_as ${String(v.inputs.same_as)} is missing`);
  const { admin, member, groupSeed } = parties(base.inputs);
  const out = v.outputs;
  const sid = member.userSessionId;
  const sv = await makeSubaccount(admin, sid, base.inputs.write, base.inputs.delete);
  expectHex('signing_value_100_bytes_write', sv, out.signing_value_100_bytes_write);
  expectHex('signing_value_readonly', await makeSubaccount(admin, sid, false), out.signing_value_readonly);
  expectHex('token_write_nodel', subaccountToken(admin, sid), out.token_write_nodel);
  expectHex('token_readonly', subaccountToken(admin, sid, false), out.token_readonly);
  expectHex('token_write_del', subaccountToken(admin, sid, true, true), out.token_write_del);

  // Admin side: k = reduce64(Hk(64, mask, 05 ‖ X ‖ 03 ‖ C)), T = XEd25519(X) sign bit 0, kT = k·T.
  expectHex('subaccount_mask_key', hk(32, 'SessionGroupSubaccountMask', groupSeed), out.subaccount_mask_key);
  const X = member.userX25519PublicKey;
  expectHex('member_x25519_pk', X, out.member_x25519_pk);
  const blind = hk(64, hex(out.subaccount_mask_key), Uint8Array.of(0x05), X, Uint8Array.of(0x03), admin.groupEd25519PublicKey);
  expectHex('blind_hash64', blind, out.blind_hash64);
  expectHex('k_blind_scalar', reduce64(hex(out.blind_hash64)), out.k_blind_scalar);
  expectHex('k in the signing value', sv.subarray(4, 36), out.k_blind_scalar);
  expectHex('T_positive_ed25519_from_x25519', x25519PublicKeyToEd25519(X), out.T_positive_ed25519_from_x25519);
  const k = leToBig(hex(out.k_blind_scalar));
  expectHex('kT', ed25519.Point.fromBytes(hex(out.T_positive_ed25519_from_x25519)).multiply(k).toBytes(), out.kT);
  expectHex('kT in the token', subaccountToken(admin, sid).subarray(4), out.kT);

  // Member side: a = k·(±x), r = reduce64(Hk(64, "SubaccountSig", hseed ‖ kT ‖ M)), R = r·B, S = r + H(R‖kT‖M)·a.
  const id = identityFromSeed(hex(base.inputs.member_ed25519_seed));
  expectHex('member_ed25519_pk', id.ed25519PublicKey, out.member_ed25519_pk);
  const signBit = id.ed25519PublicKey[31]! >> 7;
  expectEqual('member_ed_pk_sign_bit_set', signBit === 1, out.member_ed_pk_sign_bit_set);
  // t = x, negated when the member's real key has the sign bit set (T is the positive point).
  const x = Fn.create(leToBig(id.x25519SecretKey));
  const a = Fn.mul(k, Fn.sub(x, Fn.mul(2n * BigInt(signBit), x)));
  expectHex('member_signing_scalar_kt', Fn.toBytes(a), out.member_signing_scalar_kt);
  expectHex('kt·B = kT', BASE.multiply(leToBig(hex(out.member_signing_scalar_kt))).toBytes(), out.kT);
  const msg = ascii(base.inputs.message_to_sign_utf8);
  expectHex('hseed_SubaccountSeed', hk(32, 'SubaccountSeed', id.seed), out.hseed_SubaccountSeed);
  const kT = hex(out.kT);
  expectHex('r_scalar', reduce64(hk(64, 'SubaccountSig', hex(out.hseed_SubaccountSeed), kT, msg)), out.r_scalar);
  const R = BASE.multiply(leToBig(hex(out.r_scalar))).toBytes();
  expectHex('signature_R (r·B)', R, out.signature_R);
  const h = leToBig(reduce64(sha512(new Uint8Array([...R, ...kT, ...msg]))));
  const S = Fn.add(leToBig(hex(out.r_scalar)), Fn.mul(h, leToBig(hex(out.member_signing_scalar_kt))));
  expectHex('signature_S', Fn.toBytes(S), out.signature_S);
  const sig = subaccountSign(member, msg, hex(out.signing_value_100_bytes_write)).signature;
  expectEqual('SDK signature = R ‖ S', toHex(sig), `${String(out.signature_R)}${String(out.signature_S)}`);
}

export const swarmAuth: FileVerifier = async (doc, rec) => {
  const run = namedVectorRunner(doc, rec);
  await run('swarm_subaccount_sign_retrieve', signRetrieve);
  await run('swarm_subaccount_signing_value_derived', (v) => signingValueDerived(doc, v));
  skipOtherVectors(doc, ['swarm_subaccount_sign_retrieve', 'swarm_subaccount_signing_value_derived'], rec);
};
