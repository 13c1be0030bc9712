import assert from "node:assert/strict";
import { expandMatrix, fnv1a64, matrixStepName } from "../../lib/exec/matrix.ts";

Deno.test("fnv1a64() matches the FNV-1a 64-bit test vectors, in base 36", () => {
  const base36 = (hex: string) => BigInt(`0x${hex}`).toString(36);
  assert.equal(fnv1a64(""), base36("cbf29ce484222325"));
  assert.equal(fnv1a64("a"), base36("af63dc4c8601ec8c"));
  assert.equal(fnv1a64("foobar"), base36("85944171f73967e8"));
});

Deno.test("expandMatrix() is the Cartesian product over sorted axes, values in written order", () => {
  assert.deepEqual(expandMatrix({ os: ["linux", "darwin"], go: ["1.22", "1.23"] }), [
    { go: "1.22", os: "linux" },
    { go: "1.22", os: "darwin" },
    { go: "1.23", os: "linux" },
    { go: "1.23", os: "darwin" },
  ]);
});

Deno.test("matrixStepName() names generated steps like Atmos: sanitized axis and value with a hash, per axis", () => {
  const name = matrixStepName("test", { os: "linux", go: "1.22" }, "build");
  assert.equal(
    name,
    `test_go_1_22_${fnv1a64("go\u00001.22")}_os_linux_${fnv1a64("os\u0000linux")}_build`,
  );
  assert.match(
    matrixStepName("m", { "": " ", x: "-a b-" }, "s"),
    /^m_empty_empty_\w+_x_a_b_\w+_s$/,
  );
});
