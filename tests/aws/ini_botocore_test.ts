/**
 * parseBotocoreIni() against botocore itself: generated files (sections, options, comments,
 * blank lines, indentation, duplicates, `[DEFAULT]`, nesting, garbage, CR line ends, a BOM,
 * bytes that are not UTF-8) are parsed by `botocore.configloader.raw_config_parse` in one Python
 * process; both must agree on whether the file parses and, when it does, on every section,
 * option and value.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { optionsOf, parseBotocoreIni, PY_LINE_BREAKS } from "../../lib/aws/ini_botocore.ts";
import { seededRandom } from "../seeded_random.ts";

const PYTHON = "/usr/bin/python3";

/** Lines every file may hold. */
const LINES = [
  "[default]",
  "[dev]",
  "[profile dev]",
  "[ dev ]",
  "[DEFAULT]",
  "[a]b]",
  "[x] trailing",
  "aws_access_key_id = AKIA1",
  "AWS_ACCESS_KEY_ID=AKIA2",
  "aws_secret_access_key = s3cr3t/+=",
  "aws_session_token = tok=en:with:colons==",
  "region: eu-west-1",
  "  continued value",
  "s3 =",
  "    max_concurrent_requests = 20",
  "; a comment",
  "# another = comment",
  "  ; indented comment",
  "",
  "   ",
  "key = va\u2028lue",
];

/** Lines that often (not always) break a file. */
const BAD_LINES = [
  "[]",
  "\tmore = nested",
  "    no equals here",
  "= no name",
  "just garbage",
  "\u00a0[nbsp]",
  "\ufeff[bom]",
  "x\u0000y = nul",
];

function generate(seed: number): Uint8Array {
  const random = seededRandom(seed);
  const next = (n: number) => Math.floor(random() * n);
  const lines: string[] = [];
  const count = 1 + next(9);
  for (let i = 0; i < count; i++) {
    const roll = next(10);
    if (roll === 0) lines.push(BAD_LINES[next(BAD_LINES.length)]);
    else if (roll < 4) lines.push(LINES[next(LINES.length)]);
    // Numbered sections and options, so that duplicates are the exception.
    else if (roll < 6) lines.push(`[s${next(40)}]`);
    else lines.push(`o${next(60)} ${["=", ":", " = "][next(3)]} v${next(9)}`);
  }
  // Most files start with a section, as real ones do.
  if (next(8) > 0) lines.unshift(LINES[next(3)]);
  const ending = ["\n", "\r\n", "\r"][next(3)];
  const text = lines.join(ending) + (next(2) ? ending : "");
  const bytes = new TextEncoder().encode(text);
  if (next(40) === 0) return new Uint8Array([...bytes, 0xff, 0xfe, 0x41]); // not UTF-8
  return bytes;
}

const SCRIPT = `
import json, sys
from botocore import configloader
out = []
for path in sys.argv[1:]:
    try:
        parsed = configloader.raw_config_parse(path)
        out.append({"ok": True, "sections": {
            name: {k: (v if isinstance(v, str) else {"nested": sorted(v)}) for k, v in opts.items()}
            for name, opts in parsed.items()}})
    except Exception as e:
        out.append({"ok": False, "error": type(e).__name__})
print(json.dumps(out))
`;

Deno.test("parseBotocoreIni() agrees with botocore on 600 generated files", async () => {
  const dir = await Deno.makeTempDir({ prefix: "atmos_ini_botocore_" });
  try {
    const files: { path: string; bytes: Uint8Array }[] = [];
    for (let seed = 1; seed <= 600; seed++) {
      const path = join(dir, `f${seed}`);
      const bytes = generate(seed);
      await Deno.writeFile(path, bytes);
      files.push({ path, bytes });
    }
    const output = await new Deno.Command(PYTHON, {
      args: ["-c", SCRIPT, ...files.map((f) => f.path)],
      env: { PYTHONIOENCODING: "utf-8", LANG: "C.UTF-8" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(output.success, new TextDecoder().decode(output.stderr));
    const expected = JSON.parse(new TextDecoder().decode(output.stdout));
    let refused = 0;
    files.forEach(({ bytes }, i) => {
      const ours = parseBotocoreIni(bytes);
      const theirs = expected[i];
      const shown = JSON.stringify(new TextDecoder().decode(bytes));
      assert.equal(ours.ok, theirs.ok, `${shown}: botocore says ${JSON.stringify(theirs)}`);
      if (!ours.ok) {
        refused++;
        return;
      }
      assert.deepEqual([...ours.sections.keys()].sort(), Object.keys(theirs.sections).sort());
      for (const [name, options] of Object.entries(theirs.sections)) {
        const mine: Record<string, unknown> = {};
        for (const [key, value] of optionsOf(ours, name)) {
          mine[key] = value.startsWith("\n") ? { nested: nestedKeys(value) } : value;
        }
        assert.deepEqual(mine, options, `${shown} [${name}]`);
      }
    });
    // Both outcomes are well represented.
    assert.ok(refused > 100 && refused < 500, `${refused} of 600 refused`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** The keys botocore's `_parse_nested` makes of a value, sorted. */
function nestedKeys(value: string): string[] {
  return value.split(PY_LINE_BREAKS)
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => line.split("=")[0].trim())
    .sort();
}

Deno.test("parseBotocoreIni() refuses what makes boto3 fail with ConfigParseError", () => {
  const refused = (text: string) => parseBotocoreIni(new TextEncoder().encode(text));
  assert.deepEqual(refused("[a]\nx = 1\n[a]\ny = 2\n"), {
    ok: false,
    problem: 'line 3: duplicate section "a"',
  });
  assert.deepEqual(refused("[a]\nx = 1\nX = 2\n"), {
    ok: false,
    problem: 'line 3: duplicate setting "x" in [a]',
  });
  assert.deepEqual(refused("x = 1\n[a]\n"), {
    ok: false,
    problem: "line 1: a setting before the first [section]",
  });
  assert.equal(refused("[a]\ngarbage\n").ok, false);
  assert.equal(parseBotocoreIni(new Uint8Array([0x5b, 0x61, 0x5d, 0x0a, 0xff])).ok, false);
  const fine = refused("; atmos: expiration=2026-01-01T00:00:00Z\n[a]\nk = v=w\n");
  assert.ok(fine.ok);
  assert.deepEqual(fine.sections.get("a"), {
    options: new Map([["k", "v=w"]]),
    comments: ["; atmos: expiration=2026-01-01T00:00:00Z"],
  });
});

Deno.test("parseBotocoreIni() strips exactly Python's whitespace, for every UTF-16 code unit", async () => {
  // One option per code unit (bar line ends, which split the line, and surrogates, which are not
  // text on their own), wrapped in it on both sides and indenting the option name: botocore keeps
  // what Python's str.strip() keeps.
  const units: number[] = [];
  for (let code = 1; code < 0x10000; code++) {
    if (code === 0x0a || code === 0x0d || (code >= 0xd800 && code <= 0xdfff)) continue;
    if (code > 0x3000 && code !== 0xfeff && code % 97 !== 0) continue; // no space beyond U+3000
    units.push(code);
  }
  const lines = [
    "[s]",
    ...units.map((code) => {
      const ch = String.fromCharCode(code);
      return `k${code} =${ch}v${ch}`;
    }),
  ];
  const dir = await Deno.makeTempDir({ prefix: "atmos_ini_space_" });
  try {
    const path = join(dir, "config");
    const bytes = new TextEncoder().encode(lines.join("\n") + "\n");
    await Deno.writeFile(path, bytes);
    const output = await new Deno.Command(PYTHON, {
      args: ["-c", SCRIPT, path],
      env: { PYTHONIOENCODING: "utf-8", LANG: "C.UTF-8" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(output.success, new TextDecoder().decode(output.stderr));
    const [theirs] = JSON.parse(new TextDecoder().decode(output.stdout));
    const ours = parseBotocoreIni(bytes);
    assert.ok(theirs.ok && ours.ok);
    const mine = Object.fromEntries(optionsOf(ours, "s"));
    assert.equal(Object.keys(mine).length, units.length);
    assert.deepEqual(mine, theirs.sections.s);
    // The test covers both kinds: values kept whole and values Python stripped.
    const stripped = Object.values(mine).filter((v) => v === "v").length;
    assert.ok(stripped >= 20 && stripped < units.length - 1000, `${stripped} stripped`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
