/**
 * The seed fixture (`testdata/seed/`: the announcement's workflows and custom commands with
 * stand-in commands) in a sandbox with the local AWS emulator, and helpers shared by the
 * workflow and custom-command e2e tests.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { startEmulator } from "../emulator/mod.ts";
import type { Emulator, EmulatorOptions } from "../emulator/mod.ts";
import assert from "node:assert/strict";
import {
  createSandbox,
  MAIN,
  productionFlags,
  ROOT,
  type RunResult,
  type Sandbox,
  untilDone,
} from "./harness.ts";

const SEED = join(ROOT, "tests", "e2e", "testdata", "seed");

/** A fake long-lived key in the parent environment: steps without an identity keep it. */
export const PARENT_KEY_ID = "AKIAPARENTENVIRONMENT";

/** The caller ARN the emulator reports for each role identity of the fixture. */
export const ARNS: Record<string, string> = {
  "dev-account": "arn:aws:sts::111111111111:assumed-role/Deployer/atmos-dev",
  "staging-account": "arn:aws:sts::222222222222:assumed-role/Deployer/atmos-staging",
  "prod-account": "arn:aws:sts::333333333333:assumed-role/Deployer/atmos-prod",
  "aws-production": "arn:aws:sts::444444444444:assumed-role/Admin/atmos-aws-production",
  "production-account": "arn:aws:sts::555555555555:assumed-role/Deployer/atmos-production-account",
  "developer": "arn:aws:sts::666666666666:assumed-role/Developer/atmos-developer",
  "production": "arn:aws:sts::777777777777:assumed-role/Admin/atmos-production",
};

/** A sandbox holding the seed fixture, and its emulator. */
export interface SeedSandbox {
  emu: Emulator;
  sb: Sandbox;
  /** Writes a file below the project directory. */
  write(path: string, text: string): Promise<void>;
  cleanup(): Promise<void>;
}

/**
 * Copies the seed fixture into a fresh sandbox (plus `extra` files, relative to the project)
 * and starts an emulator whose IAM user's keys the fixture reads through `!env`.
 */
export async function seedSandbox(
  extra: Record<string, string> = {},
  options: EmulatorOptions = {},
): Promise<SeedSandbox> {
  const emu = await startEmulator(options);
  const keys = emu.createUser({ name: "deployer" });
  const sb = await createSandbox(await Deno.readTextFile(join(SEED, "atmos.yaml")), {
    endpoint: emu.url,
    env: {
      BASE_AK: keys.accessKeyId,
      BASE_SK: keys.secretAccessKey,
      EMU_URL: emu.url,
      AWS_ACCESS_KEY_ID: PARENT_KEY_ID,
      AWS_PROFILE: "parent-profile",
    },
  });
  const write = async (path: string, text: string, mode?: number) => {
    const target = join(sb.project, path);
    await Deno.mkdir(dirname(target), { recursive: true });
    await Deno.writeTextFile(target, text, mode === undefined ? {} : { mode });
  };
  for (const file of ["workflows/deploy.yaml", "workflows/multi-cloud.yaml", "stacks/prod.yaml"]) {
    await write(file, await Deno.readTextFile(join(SEED, file)));
  }
  await write(
    "scripts/update-docs.sh",
    await Deno.readTextFile(join(SEED, "scripts", "update-docs.sh")),
    0o755,
  );
  for (const [path, text] of Object.entries(extra)) await write(path, text);
  return {
    emu,
    sb,
    write: (path, text) => write(path, text),
    cleanup: async () => {
      await sb.cleanup();
      await emu.stop();
    },
  };
}

/** A custom command (`.atmos.d/show-stack.yaml`) that prints the stack an atmos step passed it. */
export const SHOW_STACK_COMMAND = `
commands:
  - name: show-stack
    flags: [{ name: stack, shorthand: s, description: stack }]
    steps:
      - echo "show-stack stack={{ .Flags.stack }}"
`;

/** STS calls that authenticate (GetCallerIdentity from the steps themselves is not counted). */
export function authCalls(emu: Emulator): { GetSessionToken: number; AssumeRole: number } {
  return { GetSessionToken: emu.calls("GetSessionToken"), AssumeRole: emu.calls("AssumeRole") };
}

/** Lines of `text` that start with `prefix`. */
export function linesStarting(text: string, prefix: string): string[] {
  return text.split("\n").filter((line) => line.startsWith(prefix));
}

/** Whether a path exists. */
export async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/**
 * Runs `atmos <args>` in its own process group (as a terminal would), waits until the file
 * `started` (relative to the project) exists, then sends SIGINT to the whole group.
 */
export async function interruptedRun(
  sb: Sandbox,
  args: string[],
  started = "started",
): Promise<RunResult> {
  const child = new Deno.Command("/usr/bin/setsid", {
    args: [Deno.execPath(), "run", ...productionFlags(), MAIN, ...args],
    cwd: sb.project,
    env: sb.env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  try {
    const marker = join(sb.project, started);
    for (let i = 0; i < 600 && !(await exists(marker)); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(await exists(marker), `${started} appeared`);
    Deno.kill(-child.pid, "SIGINT");
    const out = await untilDone(output, child.pid, `atmos ${args.join(" ")}`);
    const decoder = new TextDecoder();
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
  } finally {
    try {
      Deno.kill(-child.pid, "SIGKILL"); // leftovers such as a background sleep
    } catch {
      // The group is gone.
    }
  }
}
