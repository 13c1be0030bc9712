/**
 * The integrity line atmos writes above each credentials section it writes:
 * `; atmos: checksum=crc32-<8 hex digits>`, a CRC-32 of the section's keys (`name=value` lines
 * in order). A file cut short, or a token damaged in place, no longer matches, so the section is
 * a cache miss even when atmos makes no call of its own (a warm `auth exec` hands the file
 * straight to its child). It guards against damage, not against someone who can write the file.
 *
 * Hand-written: CRC-32 is a dozen lines, and `node:zlib` would start Deno's Node layer (~7 ms)
 * on the warm path that reads these files.
 *
 * @module
 */

/** The comment text (after `; `) for a section's entries. */
export function checksumComment(entries: readonly (readonly [string, string])[]): string {
  return `atmos: checksum=${checksumOf(entries)}`;
}

/** Matches the comment and captures the checksum. */
export const CHECKSUM_COMMENT = /^\s*[;#]\s*atmos:\s*checksum=(\S+)\s*$/;

/** `crc32-<hex>` of `name=value\n` for each entry, in order. */
export function checksumOf(entries: readonly (readonly [string, string])[]): string {
  const text = entries.map(([name, value]) => `${name}=${value}\n`).join("");
  return `crc32-${crc32(new TextEncoder().encode(text)).toString(16).padStart(8, "0")}`;
}

let table: Uint32Array | undefined;

/** CRC-32 (IEEE 802.3, as zlib), unsigned. */
export function crc32(bytes: Uint8Array): number {
  table ??= makeTable();
  let crc = 0xffffffff;
  for (const byte of bytes) crc = table[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function makeTable(): Uint32Array {
  const out = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    out[n] = c >>> 0;
  }
  return out;
}
