import assert from "node:assert/strict";
import { checksumOf, crc32, CRC32_TABLE } from "../../lib/aws/checksum.ts";

Deno.test("CRC32_TABLE is the table of the reflected polynomial 0xEDB88320", () => {
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    assert.equal(CRC32_TABLE[n], c >>> 0, `entry ${n}`);
  }
});

Deno.test("crc32() gives zlib's values", () => {
  const text = (s: string) => new TextEncoder().encode(s);
  // The standard check value, and zlib.crc32() of two more strings.
  assert.equal(crc32(text("123456789")), 0xcbf43926);
  assert.equal(crc32(text("")), 0);
  assert.equal(crc32(text("The quick brown fox jumps over the lazy dog")), 0x414fa339);
});

Deno.test("checksumOf() names the algorithm and covers every entry in order", () => {
  const a = checksumOf([["aws_access_key_id", "AKIA"], ["aws_secret_access_key", "s"]]);
  assert.match(a, /^crc32-[0-9a-f]{8}$/);
  assert.notEqual(a, checksumOf([["aws_secret_access_key", "s"], ["aws_access_key_id", "AKIA"]]));
  assert.notEqual(a, checksumOf([["aws_access_key_id", "AKIA"], ["aws_secret_access_key", "t"]]));
});
