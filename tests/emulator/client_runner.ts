/**
 * Runs real Google and Azure clients (gcloud, az, and the Node probes in `tests/clients/`) against
 * the emulator, behind its proxy trap, with a clean environment and a throw-away HOME; and
 * declares tests that need them so a missing client fails loudly under CI (`CI=true`) and is
 * reported as ignored, with what to install, elsewhere.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "./server.ts";
import type { Emulator, EmulatorOptions } from "./types.ts";

/** `tests/clients/`: the npm client libraries and their probe scripts. */
export const CLIENTS_DIR = fileURLToPath(new URL("../clients/", import.meta.url));

/** Whether a client is installed, and if not, what to do. */
export interface ClientCheck {
  name: string;
  /** Empty when installed; else what is missing and how to install it. */
  problem: string;
}

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** `/usr/bin/az` (Debian's azure-cli 2.45). */
export function azureCliCheck(): ClientCheck {
  return {
    name: "az",
    problem: exists("/usr/bin/az")
      ? ""
      : "/usr/bin/az is missing: apt-get install -y azure-cli (scripts/test.sh does this as root)",
  };
}

/** `/usr/bin/gcloud` (Google Cloud CLI 528, part of the machine image). */
export function gcloudCheck(): ClientCheck {
  return {
    name: "gcloud",
    problem: exists("/usr/bin/gcloud")
      ? ""
      : "/usr/bin/gcloud is missing: it comes with the machine image (Debian package " +
        "google-cloud-cli from Google's apt repository, which this network cannot reach; " +
        "neither Debian nor npm has it)",
  };
}

/** `node` and the npm packages of `tests/clients/`. */
export function nodeClientsCheck(): ClientCheck {
  const missing = ["google-auth-library", "@azure/identity"].filter((name) =>
    !exists(join(CLIENTS_DIR, "node_modules", name, "package.json"))
  );
  let problem = "";
  if (!exists("/usr/bin/node")) problem = "/usr/bin/node is missing (the machine's Node.js 20)";
  else if (missing.length > 0) {
    problem = `${missing.join(", ")} not installed: (cd tests/clients && npm ci) ` +
      "(scripts/test.sh does this)";
  }
  return { name: "node clients", problem };
}

/**
 * A test that needs real clients: under CI a missing client fails the test with what to install;
 * elsewhere the test is ignored and a warning says why.
 */
export function clientTest(
  name: string,
  needs: ClientCheck[],
  fn: () => Promise<void>,
): void {
  const problems = needs.filter((c) => c.problem !== "").map((c) => c.problem);
  const ci = Deno.env.get("CI") === "true";
  if (problems.length > 0 && !ci) {
    console.warn(`ignoring "${name}": ${problems.join("; ")}`);
  }
  Deno.test({
    name,
    ignore: problems.length > 0 && !ci,
    fn: async () => {
      if (problems.length > 0) throw new Error(`missing client: ${problems.join("; ")}`);
      await fn();
    },
  });
}

/** What a client run printed. */
export interface ClientResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@linkcode runClient}. */
export interface RunClientOptions {
  /**
   * HOME for the client. Default: a fresh temp dir that must still be empty after the run (a
   * client that wrote `~/.azure` or `~/.config/gcloud` fails the test), removed afterwards.
   */
  home?: string;
  cwd?: string;
}

async function entries(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) names.push(entry.name);
  return names.sort();
}

/**
 * Runs `argv` with only PATH, HOME, LANG, the emulator's proxy trap variables and `env`: any
 * request a client tries to send off loopback ends in the trap's log, and (with the default HOME)
 * anything it writes into HOME fails the run.
 */
export async function runClient(
  emu: Emulator,
  argv: string[],
  env: Record<string, string>,
  options: RunClientOptions = {},
): Promise<ClientResult> {
  const home = options.home ?? await Deno.makeTempDir({ prefix: "atmos-client-home-" });
  try {
    const [program, ...args] = argv;
    const output = await new Deno.Command(program, {
      args,
      cwd: options.cwd ?? home,
      clearEnv: true,
      env: {
        PATH: "/usr/bin:/bin",
        HOME: home,
        LANG: "C.UTF-8",
        ...emu.trap.env(),
        ...env,
      },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    const result = {
      code: output.code,
      stdout: decoder.decode(output.stdout),
      stderr: decoder.decode(output.stderr),
    };
    const written = options.home === undefined ? await entries(home) : [];
    if (written.length > 0) {
      throw new Error(
        `${program} wrote into its HOME: ${written.join(", ")}\nstderr: ${result.stderr}`,
      );
    }
    return result;
  } finally {
    if (options.home === undefined) await Deno.remove(home, { recursive: true });
  }
}

/** Runs a probe script of `tests/clients/` under the machine's Node. */
export function runNodeProbe(
  emu: Emulator,
  script: string,
  args: string[],
  env: Record<string, string>,
  options: RunClientOptions = {},
): Promise<ClientResult> {
  return runClient(emu, ["/usr/bin/node", join(CLIENTS_DIR, script), ...args], env, options);
}

/** Parses the one JSON line a probe prints, failing with its output when it did not succeed. */
export function probeJson(result: ClientResult, what: string): Record<string, unknown> {
  if (result.code !== 0) {
    throw new Error(
      `${what} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`,
    );
  }
  try {
    return JSON.parse(result.stdout.trim().split("\n").at(-1) ?? "");
  } catch {
    throw new Error(`${what} printed no JSON\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  }
}

/**
 * Runs `fn` with a fresh emulator and a private scratch dir, then checks that no client tried to
 * leave loopback (the trap's log is empty), and removes both.
 */
export async function withClients(
  options: EmulatorOptions,
  fn: (emu: Emulator, scratch: string) => Promise<void>,
): Promise<void> {
  const emu = await startEmulator(options);
  const scratch = await Deno.makeTempDir({ prefix: "atmos-clients-" });
  try {
    await fn(emu, scratch);
    assert.deepEqual(emu.trap.log(), [], "a client tried to leave loopback");
  } finally {
    await Deno.remove(scratch, { recursive: true });
    await emu.stop();
  }
}
