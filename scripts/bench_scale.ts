/**
 * `deno task bench --only scale`: atmos with a large configuration and many callers.
 *
 * - A generated `atmos.yaml` of 40,000 identities (about 5 MB: roles in chains of 50 under one
 *   IAM user): `auth validate` the first time after an edit (nothing cached: the YAML is
 *   parsed), `auth validate` once a command that writes has kept the parse, and a plain parse of
 *   the same file with the same YAML library in a fresh process (what the first figure cannot go
 *   below), interleaved round by round. Target: validate in < 2 s.
 * - 50 parallel cold `auth login audit` of a three-link chain against the local emulator, the
 *   config dir emptied before each round: the STS calls the emulator counted (target: exactly 3,
 *   one chain's worth) and the wall time until the last one exits; every login must succeed.
 *
 * @module
 */
import { join } from "node:path";
import { startEmulator } from "../tests/emulator/mod.ts";
import { createSandbox, MAIN, productionFlags } from "../tests/e2e/harness.ts";
import { THREE_LINK_YAML } from "../tests/e2e/auth_support.ts";
import {
  BenchFailed,
  describe,
  loadAverage,
  median,
  printTable,
  progress,
  readOnlyScript,
  type Timed,
  timeOnce,
} from "./bench_support.ts";

const IDENTITIES = 40_000;
const SCALE_ROUNDS = 5;
const CALLERS = 50;
const LOGIN_ROUNDS = 3;

/** An `atmos.yaml` of `count` assume-role identities in chains of 50 below one IAM user. */
export function largeConfig(count: number): string {
  const lines = [
    "auth:",
    "  identities:",
    "    base:",
    "      kind: aws/user",
    "      credentials: { access_key_id: !env BASE_AK, secret_access_key: !env BASE_SK }",
  ];
  for (let i = 0; i < count; i++) {
    const via = i % 50 === 0 ? "base" : `t${String(i - 1).padStart(5, "0")}`;
    lines.push(
      `    t${String(i).padStart(5, "0")}:`,
      "      kind: aws/assume-role",
      `      via: { identity: ${via} }`,
      `      principal: { assume_role: "arn:aws:iam::${100000000000 + i}:role/T${i}" }`,
    );
  }
  return lines.join("\n") + "\n";
}

/** Reads and parses one file with atmos's YAML library (positions on, as atmos parses). */
function parseScript(): string {
  const yamlLib = new URL("../lib/config/yaml_lib.ts", import.meta.url).href;
  return `import { importYaml } from "${yamlLib}";
const Y = await importYaml();
const text = await Deno.readTextFile(Deno.args[0]);
const doc = Y.parseDocument(text, { lineCounter: new Y.LineCounter(), merge: true, uniqueKeys: false });
if (Object.keys(doc.toJS().auth.identities).length === 0) throw new Error("nothing parsed");
`;
}

/** The large-configuration rows. */
async function benchValidate(tmp: string): Promise<void> {
  const project = join(tmp, "large");
  await Deno.mkdir(project, { recursive: true });
  const file = join(project, "atmos.yaml");
  await Deno.writeTextFile(file, largeConfig(IDENTITIES));
  const size = (await Deno.stat(file)).size;
  const script = join(tmp, "parse_large.ts");
  await Deno.writeTextFile(script, parseScript());
  const deno = Deno.execPath();
  const atmos = [deno, "run", ...productionFlags(), MAIN];
  const env = (home: string): Record<string, string> => ({
    PATH: "/usr/bin:/bin",
    HOME: home,
    DENO_DIR: Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/root", ".cache", "deno"),
    BASE_AK: "AKIAEXAMPLEEXAMPLE00",
    BASE_SK: "not-a-real-secret-key-just-for-the-bench",
    NO_COLOR: "1",
  });
  // Two homes: one whose parse cache a writing command filled, one never written.
  const cold = join(tmp, "home-cold");
  const warm = join(tmp, "home-warm");
  await Deno.mkdir(cold);
  await Deno.mkdir(warm);
  const fill = await new Deno.Command(deno, {
    args: [...atmos.slice(1), "auth", "env", "-i", "t00049"],
    cwd: project,
    env: env(warm),
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).output();
  if (!fill.success) {
    throw new BenchFailed(`auth env failed: ${new TextDecoder().decode(fill.stderr).trim()}`);
  }
  const commands: (Timed & { home: string })[] = [
    {
      name: "validate, first run after an edit",
      argv: [...atmos, "auth", "validate"],
      cwd: project,
      home: cold,
    },
    {
      name: "validate, unchanged file",
      argv: [...atmos, "auth", "validate"],
      cwd: project,
      home: warm,
    },
    {
      name: "yaml package parse (same file)",
      argv: readOnlyScript(script, file),
      cwd: project,
      home: cold,
    },
  ];
  const samples = new Map<string, number[]>(commands.map((c) => [c.name, []]));
  console.log();
  console.log(
    `scale: atmos.yaml of ${IDENTITIES.toLocaleString("en")} identities (${
      (size / 1e6).toFixed(1)
    } MB), ${SCALE_ROUNDS} interleaved rounds after 1 warm-up; load average ${await loadAverage()}`,
  );
  for (let round = 0; round <= SCALE_ROUNDS; round++) {
    for (let k = 0; k < commands.length; k++) {
      const cmd = commands[(round + k) % commands.length];
      const ms = await timeOnce(cmd, env(cmd.home));
      if (round > 0) samples.get(cmd.name)!.push(ms);
    }
    progress(`scale round ${round + 1}/${SCALE_ROUNDS + 1}`);
  }
  progress("");
  const [first, kept, plain] = commands.map((c) => median(samples.get(c.name)!));
  console.log();
  printTable([
    {
      metric: "40,000 identities: auth validate, first run after an edit",
      measured: `${(first / 1000).toFixed(2)} s`,
      target: "< 2 s",
      pass: first < 2000,
    },
    {
      metric: "40,000 identities: auth validate, unchanged file",
      measured: `${(kept / 1000).toFixed(2)} s`,
      target: "< 2 s",
      pass: kept < 2000,
    },
    {
      metric: "… first run / the yaml package's parse of the file",
      measured: `${(first / plain).toFixed(2)}× (${(plain / 1000).toFixed(2)} s)`,
      target: "(reported)",
      pass: true,
    },
  ]);
  console.log();
  console.log("Raw medians (wall time, spawn to exit):");
  for (const cmd of commands) console.log(`  ${describe(cmd.name, samples.get(cmd.name)!)}`);
}

/** The parallel-login rows. */
async function benchParallelLogins(): Promise<void> {
  const emu = await startEmulator({ https: false });
  const keys = emu.createUser({ name: "bench" });
  const sb = await createSandbox(THREE_LINK_YAML, {
    endpoint: emu.url,
    env: { BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey },
  });
  try {
    const calls: number[] = [];
    const walls: number[] = [];
    console.log();
    console.log(
      `parallel logins: ${CALLERS} cold auth login audit at once, ${LOGIN_ROUNDS} rounds; load average ${await loadAverage()}`,
    );
    for (let round = 0; round < LOGIN_ROUNDS; round++) {
      await Deno.remove(sb.configDir, { recursive: true }).catch(() => {});
      emu.resetCalls();
      const started = performance.now();
      const runs = await Promise.all(
        Array.from({ length: CALLERS }, () => sb.run(["auth", "login", "audit"])),
      );
      walls.push(performance.now() - started);
      const failed = runs.find((run) => run.code !== 0);
      if (failed) throw new BenchFailed(`a parallel login failed: ${failed.stderr.trim()}`);
      calls.push(emu.calls());
      progress(`parallel logins round ${round + 1}/${LOGIN_ROUNDS}`);
    }
    progress("");
    console.log();
    printTable([
      {
        metric: `${CALLERS} parallel cold logins: STS calls (every round)`,
        measured: calls.join(", "),
        target: "3",
        pass: calls.every((n) => n === 3),
      },
      {
        metric: `${CALLERS} parallel cold logins: until the last exits`,
        measured: `${(median(walls) / 1000).toFixed(2)} s`,
        target: "(reported)",
        pass: true,
      },
    ]);
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
}

/** Both sections, in a temp dir of `tmp`. */
export async function benchScale(tmp: string): Promise<void> {
  await benchValidate(tmp);
  await benchParallelLogins();
}
