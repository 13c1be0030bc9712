/**
 * Black-box spec runner, modelled on Deno's own `tests/specs`: every directory under
 * `tests/specs/<name>/` is one case. Its `__test__.json` says what to run:
 *
 * ```json
 * { "args": ["auth", "list"], "env": { "X": "1" }, "exitCode": 0,
 *   "stdout": "list.out", "stderr": "" }
 * ```
 *
 * - `stdout`/`stderr`: a golden file name in the case directory (ending in `.out`) or inline
 *   text; omitted means the stream must be empty. `exitCode` defaults to 0.
 * - Golden text may contain `[WILDCARD]` (anything, across lines), `[WILDLINE]` (anything up
 *   to the end of the line) and `[HOME]` (the temporary HOME the case runs in).
 * - Every other file of the case (`atmos.yaml`, included files…) is copied into the project
 *   directory, which is the working directory; HOME is a fresh temporary directory.
 *
 * Set `UPDATE_SPECS=1` to rewrite the golden files from the actual output.
 * Hand-written matcher: Deno's test_util is Rust and not importable here.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createSandbox, ROOT } from "./harness.ts";

const SPECS = join(ROOT, "tests", "specs");

interface SpecCase {
  args: string[];
  env?: Record<string, string>;
  exitCode?: number;
  stdout?: string;
  stderr?: string;
}

/** Turns golden text with wildcards into an anchored regular expression. */
function goldenPattern(golden: string): RegExp {
  const parts = golden.split(/(\[WILDCARD\]|\[WILDLINE\])/);
  const source = parts.map((part) => {
    if (part === "[WILDCARD]") return "[\\s\\S]*";
    if (part === "[WILDLINE]") return "[^\\n]*";
    return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }).join("");
  return new RegExp(`^${source}$`);
}

/** True when `actual` matches the golden text. */
function matchesGolden(actual: string, golden: string): boolean {
  return goldenPattern(golden).test(actual);
}

Deno.test("the spec matcher: [WILDCARD] spans lines, [WILDLINE] stops at the line end", () => {
  assert.ok(matchesGolden("a\nb\nc\n", "a\n[WILDCARD]c\n"));
  assert.ok(matchesGolden("abc (x.y)\n", "abc ([WILDLINE])\n"));
  assert.ok(!matchesGolden("a\nb\nc\n", "a[WILDLINE]c\n"));
  assert.ok(!matchesGolden("a.b\n", "a.b"), "the whole text must match");
  assert.ok(!matchesGolden("axb", "a.b"), "regex characters are literal");
});

function caseNames(): string[] {
  const names: string[] = [];
  for (const entry of Deno.readDirSync(SPECS)) {
    if (entry.isDirectory) names.push(entry.name);
  }
  return names.sort();
}

function expected(dir: string, value: string | undefined): { text: string; file?: string } {
  if (value === undefined) return { text: "" };
  if (!value.endsWith(".out")) return { text: value };
  const file = join(dir, value);
  return { text: Deno.readTextFileSync(file), file };
}

async function copyCase(from: string, to: string): Promise<void> {
  for await (const entry of Deno.readDir(from)) {
    if (entry.name === "__test__.json" || entry.name.endsWith(".out")) continue;
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory) {
      await Deno.mkdir(target, { recursive: true });
      await copyCase(source, target);
    } else {
      await Deno.copyFile(source, target);
    }
  }
}

function compare(
  stream: "stdout" | "stderr",
  actual: string,
  want: { text: string; file?: string },
): void {
  if (matchesGolden(actual, want.text)) return;
  if (want.file && Deno.env.get("UPDATE_SPECS") === "1") {
    Deno.writeTextFileSync(want.file, actual);
    return;
  }
  assert.fail(
    `${stream} does not match ${want.file ?? "the inline text"}\n` +
      `--- expected ---\n${want.text}\n--- actual ---\n${actual}\n---`,
  );
}

for (const name of caseNames()) {
  const dir = join(SPECS, name);
  const spec: SpecCase = JSON.parse(Deno.readTextFileSync(join(dir, "__test__.json")));
  Deno.test(`spec ${name}: atmos ${spec.args.join(" ")}`, async () => {
    const sb = await createSandbox("");
    try {
      await Deno.remove(join(sb.project, "atmos.yaml"));
      await copyCase(dir, sb.project);
      const result = await sb.run(spec.args, { env: spec.env });
      const home = (text: string) => text.replaceAll(sb.home, "[HOME]");
      compare("stdout", home(result.stdout), expected(dir, spec.stdout));
      compare("stderr", home(result.stderr), expected(dir, spec.stderr));
      assert.equal(result.code, spec.exitCode ?? 0, `exit code (stderr: ${result.stderr})`);
    } finally {
      await sb.cleanup();
    }
  });
}
