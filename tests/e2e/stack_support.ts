/**
 * Helpers for the stack e2e tests: copying a fixture project into a sandbox, golden files, and
 * a recording stand-in `terraform` (real terraform is not installable here).
 *
 * @module
 */
import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Sandbox } from "./harness.ts";

/** tests/stack/testdata/<name>. */
export function stackFixture(name: string): string {
  return fileURLToPath(new URL(`../stack/testdata/${name}`, import.meta.url));
}

/** Copies a directory tree (files and directories only). */
export async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory) await copyTree(source, target);
    else await Deno.copyFile(source, target);
  }
}

/** Replaces the sandbox's project directory with a copy of a stack fixture. */
export async function useFixture(sb: Sandbox, name: string): Promise<void> {
  await Deno.remove(sb.project, { recursive: true });
  await copyTree(stackFixture(name), sb.project);
}

/**
 * Compares `actual` with a golden file under tests/e2e/testdata (after replacing the sandbox
 * project path with `[PROJECT]`); `UPDATE_GOLDEN=1` rewrites the file instead.
 */
export async function assertGolden(name: string, actual: string, sb: Sandbox): Promise<void> {
  const file = fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
  const text = actual.replaceAll(sb.project, "[PROJECT]");
  if (Deno.env.get("UPDATE_GOLDEN") === "1") {
    await Deno.mkdir(dirname(file), { recursive: true });
    await Deno.writeTextFile(file, text);
    return;
  }
  assert.equal(text, await Deno.readTextFile(file), `output differs from ${name}`);
}

/** One recorded invocation of the stand-in terraform. */
export interface TerraformCall {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  /** `aws sts get-caller-identity` run inside the stand-in (plan/apply with STANDIN_ENDPOINT). */
  aws?: { code: number; stdout: string; stderr: string };
}

/**
 * The stand-in: records argv, cwd and the whole environment of every call to
 * `<state>/calls.jsonl`; emulates `workspace select` (exit 1 for an unknown workspace) and
 * `workspace new` with marker files in `<state>` (never in the component directory); on
 * `plan`/`apply` runs `/usr/bin/aws sts get-caller-identity` when `STANDIN_ENDPOINT` is set,
 * and exits with `STANDIN_EXIT` (default 0).
 */
const STAND_IN = `#!/usr/bin/python3
import json, os, subprocess, sys
args = sys.argv[1:]
state = os.environ["STANDIN_STATE"]
record = {"argv": args, "cwd": os.getcwd(), "env": dict(os.environ)}
code = 0
if args[:2] == ["workspace", "select"]:
    if not os.path.exists(os.path.join(state, "ws-" + args[2])):
        print('Workspace "%s" doesn\\'t exist.' % args[2], file=sys.stderr)
        code = 1
elif args[:2] == ["workspace", "new"]:
    open(os.path.join(state, "ws-" + args[2]), "w").close()
    print('Created and switched to workspace "%s"!' % args[2])
elif args[:1] in (["plan"], ["apply"]):
    endpoint = os.environ.get("STANDIN_ENDPOINT")
    if endpoint:
        out = subprocess.run(["/usr/bin/aws", "sts", "get-caller-identity", "--endpoint-url",
                              endpoint, "--output", "json"], capture_output=True, text=True)
        record["aws"] = {"code": out.returncode, "stdout": out.stdout, "stderr": out.stderr}
    print("stand-in terraform %s: no changes" % args[0])
    code = int(os.environ.get("STANDIN_EXIT", "0"))
with open(os.path.join(state, "calls.jsonl"), "a") as f:
    f.write(json.dumps(record) + "\\n")
sys.exit(code)
`;

/** Installs the stand-in as `<home>/bin/terraform`; returns the env to add to runs. */
export async function installStandIn(sb: Sandbox): Promise<Record<string, string>> {
  const bin = join(sb.home, "bin");
  const state = join(sb.home, "standin-state");
  await Deno.mkdir(bin, { recursive: true });
  await Deno.mkdir(state, { recursive: true });
  await Deno.writeTextFile(join(bin, "terraform"), STAND_IN, { mode: 0o755 });
  return { PATH: `${bin}:${sb.env.PATH}`, STANDIN_STATE: state };
}

/** Calls recorded so far (and clears the record). */
export async function takeCalls(sb: Sandbox): Promise<TerraformCall[]> {
  const file = join(sb.home, "standin-state", "calls.jsonl");
  const text = await Deno.readTextFile(file).catch(() => "");
  await Deno.remove(file).catch(() => undefined);
  return text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line));
}
