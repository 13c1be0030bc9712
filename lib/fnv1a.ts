/**
 * FNV-1a, 64 bits, of a string's UTF-8 bytes: a short, stable, non-cryptographic name for a
 * value (the parse cache's file names, a matrix step's name suffix).
 *
 * Hand-written: a dozen lines, and no npm package does it without BigInt, whose arithmetic cost
 * ~1 ms for one 50-byte path on a warm run (every `auth exec` names its config's cache entry).
 * The 64-bit state is kept in four 16-bit limbs, so every product stays an exact small integer.
 *
 * @module
 */

/** FNV-1a 64 of the UTF-8 bytes of `text`, as 16 lower-case hex digits. */
export function fnv1a64Hex(text: string): string {
  // Offset basis 0xcbf29ce484222325, least significant limb first.
  let h0 = 0x2325, h1 = 0x8422, h2 = 0x9ce4, h3 = 0xcbf2;
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i++) {
    h0 ^= bytes[i];
    // × 0x100000001b3 (mod 2^64) = × 0x1b3, plus the state shifted left by 40 bits.
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3;
    const t2 = h2 * 0x1b3 + (h0 << 8);
    const t3 = h3 * 0x1b3 + (h1 << 8);
    h0 = t0 & 0xffff;
    const c1 = t1 + (t0 >>> 16);
    h1 = c1 & 0xffff;
    const c2 = t2 + (c1 >>> 16);
    h2 = c2 & 0xffff;
    h3 = (t3 + (c2 >>> 16)) & 0xffff;
  }
  return [h3, h2, h1, h0].map((limb) => limb.toString(16).padStart(4, "0")).join("");
}
