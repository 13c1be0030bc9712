import assert from "node:assert/strict";
import {
  AtmosError,
  ConfigError,
  describeSystemError,
  formatErrorLine,
  MAX_LINE,
  MAX_RUN,
  quoteValue,
  safeLine,
} from "../lib/errors.ts";

/** True when `text` holds a character a terminal would act on. */
function hasControl(text: string): boolean {
  // deno-lint-ignore no-control-regex -- looking for control characters is the point
  return /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(text);
}

Deno.test("safeLine() escapes terminal escapes, NUL, DEL, C1 and bidi controls; line breaks and CR become spaces", () => {
  const hostile = "kind \x1b[2J\x1b]0;pwned\x07 a\0b c\rd e\x7f f\x9b1m g\u202eevil\u2066";
  const line = safeLine(hostile);
  assert.equal(hasControl(line), false, line);
  assert.equal(
    line,
    "kind \\x1b[2J\\x1b]0;pwned\\x07 a\\x00b c d e\\x7f f\\x9b1m g\\u202eevil\\u2066",
  );
  assert.equal(safeLine("one\n  two\r\nthree\ttab"), "one two three\ttab");
});

Deno.test("safeLine() cuts a long value with an ellipsis and keeps the line bounded", () => {
  const arn = `arn:aws:iam::111122223333:role/${"A".repeat(5_000_000)}`;
  const line = safeLine(`role "${arn}" is not valid (fix it)`);
  assert.ok(line.length < 600, `${line.length}`);
  assert.ok(line.startsWith(`role "${arn.slice(0, MAX_RUN - 1)}… (`), line.slice(0, 300));
  assert.match(line, /… \(\d+ more characters\) is not valid \(fix it\)$/);

  const spaced = safeLine(`${"word ".repeat(2_000_000)}the end`);
  assert.ok(spaced.length <= MAX_LINE, `${spaced.length}`);
  assert.ok(spaced.startsWith("word word") && spaced.endsWith("word the end"));

  const started = performance.now();
  const nul = safeLine("\0".repeat(20_000_000));
  assert.ok(nul.length < 3 * MAX_RUN, `${nul.length}`);
  assert.equal(hasControl(nul), false);
  assert.ok(performance.now() - started < 2_000, "fast");

  // A cut never splits a surrogate pair.
  const emoji = safeLine("😀".repeat(MAX_RUN));
  assert.doesNotMatch(emoji, /[\ud800-\udbff](?![\udc00-\udfff])/);
});

Deno.test("formatErrorLine() makes every part safe but keeps the location and the hint", () => {
  const error = new ConfigError(`unknown kind "${"\x1b[31m".repeat(100_000)}"`, {
    hint: "use aws/user",
    location: { file: "atmos.yaml", line: 4, column: 13, path: "auth.identities.x\x1b.kind" },
  });
  const line = formatErrorLine(error);
  assert.ok(line.startsWith("atmos.yaml:4:13: auth.identities.x\\x1b.kind: unknown kind "), line);
  assert.ok(line.endsWith(" (use aws/user)"), line);
  assert.ok(line.length < 600, `${line.length}`);
  assert.equal(hasControl(line), false);
  assert.equal(formatErrorLine(new Error("a\x1b[2Jb")), "Error: a\\x1b[2Jb");
  assert.equal(formatErrorLine("plain\x07"), "plain\\x07");
});

Deno.test("quoteValue() names lists and maps with a short rendering instead of [object Object]", () => {
  assert.equal(quoteValue("1h"), '"1h"');
  assert.equal(quoteValue(5), "5");
  assert.equal(quoteValue(true), "true");
  assert.equal(quoteValue(null), "null");
  assert.equal(quoteValue({ a: 1 }), 'a map {"a":1}');
  assert.equal(quoteValue(["a", { b: 2 }]), 'a list ["a",{"b":2}]');
  assert.equal(quoteValue({ k: "x".repeat(100) }), `a map {"k":"${"x".repeat(54)}…`);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.equal(quoteValue(cyclic), "a map");
});

Deno.test("describeSystemError() turns Deno's file errors into a sentence with the path and a fix", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const caught = (fn: () => unknown): Error => {
      try {
        fn();
      } catch (error) {
        return error as Error;
      }
      assert.fail("no error");
    };
    const isDir = caught(() => Deno.readTextFileSync(dir));
    assert.equal(
      formatErrorLine(isDir),
      `"${dir}" is a directory where a file was expected (remove or rename the directory, or fix the path)`,
    );
    await Deno.writeTextFile(`${dir}/file`, "x");
    const notDir = caught(() => Deno.mkdirSync(`${dir}/file/sub`, { recursive: true }));
    assert.match(
      describeSystemError(notDir)!,
      /^a part of ".*\/file\/sub" is a file where a directory was expected/,
    );
    await Deno.symlink(`${dir}/b`, `${dir}/a`);
    await Deno.symlink(`${dir}/a`, `${dir}/b`);
    const loop = caught(() => Deno.statSync(`${dir}/a`));
    assert.equal(
      describeSystemError(loop),
      `"${dir}/a" is a loop of symbolic links (fix or remove the link)`,
    );
    const nul = caught(() => new Deno.Command("true", { args: ["a\0b"] }).outputSync());
    assert.match(describeSystemError(nul)!, /^cannot run ".*true": .* hold a NUL character/);
    const capable = new Deno.errors.NotCapable(
      'Requires all access to "/proc", run again with the --allow-all flag',
    );
    assert.match(describeSystemError(capable)!, /^atmos may not read "\/proc"/);
    const write = new Deno.errors.NotCapable(
      'Requires write access to "/etc/x", run again with the --allow-write flag',
    );
    assert.match(describeSystemError(write)!, /^atmos does not write to "\/etc\/x"/);
    assert.equal(describeSystemError(new Error("other")), undefined);
    assert.equal(formatErrorLine(new AtmosError("kept")), "kept");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("formatErrorLine() never throws, whatever it is given", () => {
  const hostile = new Error("x");
  Object.defineProperty(hostile, "message", {
    get() {
      throw new Error("boom");
    },
  });
  assert.equal(formatErrorLine(hostile), "an error occurred whose message cannot be shown");
  assert.equal(
    formatErrorLine(Object.create(null)),
    "an error occurred whose message cannot be shown",
  );
});
