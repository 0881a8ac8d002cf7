/**
 * CRC-32/ISO-HDLC (the zlib / `buffer-crc32` function), used only to pick the recovery phrase's
 * checksum word (spec/identity-envelope.md §2.3). It detects typing mistakes; it is not a hash
 * and gives no integrity against an adversary, which is why it is internal to the identity module
 * and not exported from the package.
 * @module
 * @internal
 */

// Reflected polynomial 0x04C11DB7, table-driven one byte at a time.
const TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32/ISO-HDLC of `data` as an unsigned 32-bit number (init and xorout 0xFFFFFFFF).
 * Check value: `crc32(new TextEncoder().encode('123456789')) === 0xcbf43926`.
 * @internal
 */
export function crc32(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
