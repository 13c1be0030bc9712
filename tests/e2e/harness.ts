/**
 * Runs the real CLI as a subprocess with the production permission flags (read from the
 * `atmos` task in deno.json, so tests and users run the same thing), a temporary HOME, and the
 * local AWS emulator as the only endpoint.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { assertAuthInvariant } from "../auth/invariant.ts";

/** Project root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The CLI entry point. */
export const MAIN = join(ROOT, "main.ts");

/** The permission flags of the `atmos` task in deno.json. */
export function productionFlags(): string[] {
  const denoJson = JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json")));
  const words = String(denoJson.tasks.atmos).split(/\s+/);
  assert.deepEqual(words.slice(0, 2), ["deno", "run"]);
  assert.equal(words[words.length - 1], "main.ts");
  return words.slice(2, -1);
}

/**
 * The argv that starts atmos: `deno run <production flags> <module>`. `module` defaults to
 * `main.ts`; the distribution tests pass the bundle (a path or an http URL).
 */
export function atmosCommand(module: string = MAIN): string[] {
  return [Deno.execPath(), "run", ...productionFlags(), module];
}

/** Result of one CLI run. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * How long one child of a test may run: far above any legitimate run (the slowest, a device
 * flow or twenty parallel logins, take seconds), far below a hang (a broken lock once made a
 * test run for eight minutes).
 */
export const CHILD_TIMEOUT_MS = 120_000;

/** Options for {@linkcode runAtmos}. */
export interface RunOptions {
  cwd: string;
  env: Record<string, string>;
  stdin?: string;
  /** The argv prefix that starts atmos (default {@linkcode atmosCommand}`()`). */
  command?: string[];
  /** Limit for the run (default {@linkcode CHILD_TIMEOUT_MS}). */
  timeoutMs?: number;
}

/** Runs `atmos <args>` and captures its output; fails the test when it outlives its limit. */
export async function runAtmos(args: string[], options: RunOptions): Promise<RunResult> {
  const [program, ...prefix] = options.command ?? atmosCommand();
  return await runCommand(program, [...prefix, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdin: options.stdin,
    timeoutMs: options.timeoutMs,
    label: `atmos ${args.join(" ")}`,
  });
}

/** Options for {@linkcode runCommand}. */
export interface CommandOptions {
  /** The complete environment (nothing is inherited). */
  env: Record<string, string>;
  cwd?: string;
  stdin?: string;
  /** Limit for the run (default {@linkcode CHILD_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** How the command is named when it times out (default: the program). */
  label?: string;
}

/**
 * Runs a program with captured output in a process group of its own, so that when it outlives
 * `timeoutMs` the whole group (the program and whatever it started) is killed and the test fails
 * with a message naming the command, instead of waiting forever.
 */
export async function runCommand(
  program: string,
  args: string[],
  options: CommandOptions,
): Promise<RunResult> {
  const child = new Deno.Command(program, {
    args,
    cwd: options.cwd,
    env: options.env,
    clearEnv: true,
    detached: true, // its own process group (setsid), so the group can be killed
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  const label = options.label ?? program;
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin)).catch(() => {});
    await writer.close().catch(() => {});
  }
  const decoder = new TextDecoder();
  const out = await untilDone(
    output,
    child.pid,
    label,
    options.timeoutMs,
    (partial) => `stderr so far:\n${decoder.decode(partial.stderr).slice(-2000)}`,
  );
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/**
 * Waits for `work` (a child's output or status). When it has not settled within `timeoutMs`,
 * kills the process group led by `pid` (the child must have been spawned `detached`) with
 * SIGKILL and fails the test, adding what `describe` makes of the partial result.
 */
export async function untilDone<T>(
  work: Promise<T>,
  pid: number,
  label: string,
  timeoutMs: number = CHILD_TIMEOUT_MS,
  describe?: (partial: T) => string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<typeof EXPIRED>((resolve) => {
    timer = setTimeout(() => resolve(EXPIRED), timeoutMs);
  });
  try {
    const first = await Promise.race([work, expired]);
    if (first !== EXPIRED) return first as T;
  } finally {
    clearTimeout(timer);
  }
  killGroup(pid);
  // The pipes close once the group is gone; a grandchild that left the group could hold them.
  let grace: ReturnType<typeof setTimeout> | undefined;
  const partial = await Promise.race([
    work.catch(() => undefined),
    new Promise<undefined>((resolve) => grace = setTimeout(() => resolve(undefined), 5_000)),
  ]);
  clearTimeout(grace);
  const details = partial !== undefined && describe ? `; ${describe(partial)}` : "";
  assert.fail(
    `${label} did not finish within ${
      timeoutMs / 1000
    } s, so its process group was killed${details}`,
  );
}

const EXPIRED = Symbol("expired");

/** SIGKILL to the process group led by `pid` (or to `pid` alone when it leads none). */
export function killGroup(pid: number): void {
  try {
    Deno.kill(-pid, "SIGKILL");
  } catch {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

/** A scratch project: a temp HOME, a project dir with atmos.yaml, and a base environment. */
export interface Sandbox {
  home: string;
  project: string;
  /** `$HOME/.config/atmos`. */
  configDir: string;
  env: Record<string, string>;
  run(
    args: string[],
    extra?: { env?: Record<string, string>; stdin?: string; cwd?: string },
  ): Promise<RunResult>;
  cleanup(): Promise<void>;
}

/**
 * Creates a sandbox whose environment points every AWS client at `endpoint` and has nothing
 * else from the developer's machine but PATH.
 */
export async function createSandbox(
  atmosYaml: string,
  options: { endpoint?: string; env?: Record<string, string>; command?: string[] } = {},
): Promise<Sandbox> {
  const home = await Deno.makeTempDir({ prefix: "atmos-e2e-" });
  const project = join(home, "project");
  await Deno.mkdir(project, { recursive: true });
  await Deno.writeTextFile(join(project, "atmos.yaml"), atmosYaml);
  const env: Record<string, string> = {
    PATH: `/usr/bin:/bin:/usr/local/bin`,
    HOME: home,
    // The child Deno must find the npm packages already cached for this project.
    DENO_DIR: denoDir(),
    AWS_EC2_METADATA_DISABLED: "true",
    LANG: "C.UTF-8",
    NO_COLOR: "1",
    ...(options.endpoint ? { AWS_ENDPOINT_URL_STS: options.endpoint } : {}),
    ...options.env,
  };
  // Every configuration a test runs the CLI with also holds the validation invariant.
  await assertAuthInvariant({ cwd: project, env, label: "sandbox atmos.yaml" });
  const sandbox: Sandbox = {
    home,
    project,
    configDir: join(home, ".config", "atmos"),
    env,
    run: (args, extra = {}) =>
      runAtmos(args, {
        cwd: extra.cwd ?? project,
        env: { ...env, ...extra.env },
        stdin: extra.stdin,
        command: options.command,
      }),
    cleanup: () => Deno.remove(home, { recursive: true }),
  };
  return sandbox;
}

/** The Deno cache directory of the test process. */
export function denoDir(): string {
  return Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/root", ".cache", "deno");
}

/** Fails when any secret appears in any of the texts. */
export function assertNoSecrets(secrets: string[], texts: Record<string, string>): void {
  for (const [where, text] of Object.entries(texts)) {
    for (const secret of secrets) {
      if (secret.length >= 8 && text.includes(secret)) {
        assert.fail(`a secret issued by the emulator appears in ${where}`);
      }
    }
  }
}

/** A Python one-liner that prints its argv and environment as JSON (a child that reports). */
export const DUMP_CHILD = [
  "/usr/bin/python3",
  "-c",
  "import json,os,sys; print(json.dumps({'argv': sys.argv, 'env': dict(os.environ)}))",
];

/** Environment for real AWS clients: never probe instance metadata. */
export const CLIENT_ENV = { AWS_EC2_METADATA_DISABLED: "true" };
