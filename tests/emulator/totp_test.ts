import assert from "node:assert/strict";
import { decodeBase32, totp, verifyTotp } from "./totp.ts";

// RFC 6238 appendix B secret "12345678901234567890" in base32.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

Deno.test("decodeBase32() decodes RFC 4648 text, ignoring case and padding", () => {
  assert.equal(new TextDecoder().decode(decodeBase32("MZXW6YTBOI======")), "foobar");
  assert.equal(new TextDecoder().decode(decodeBase32("mzxw6ytboi")), "foobar");
  assert.throws(() => decodeBase32("MZ1W"), /invalid base32 character '1'/);
});

Deno.test("totp() matches the RFC 6238 SHA-1 test vectors (last 6 digits)", async () => {
  const vectors: [number, string][] = [
    [59, "287082"],
    [1111111109, "081804"],
    [1111111111, "050471"],
    [1234567890, "005924"],
    [2000000000, "279037"],
  ];
  for (const [seconds, code] of vectors) {
    assert.equal(await totp(RFC_SECRET, seconds * 1000), code, `at T=${seconds}`);
  }
});

Deno.test("verifyTotp() accepts one step of drift and refuses two", async () => {
  const now = 1_700_000_000_000;
  assert.ok(await verifyTotp(RFC_SECRET, await totp(RFC_SECRET, now - 30_000), now));
  assert.ok(await verifyTotp(RFC_SECRET, await totp(RFC_SECRET, now + 30_000), now));
  assert.equal(await verifyTotp(RFC_SECRET, await totp(RFC_SECRET, now - 60_000), now), false);
  assert.equal(await verifyTotp(RFC_SECRET, "12345", now), false);
});
