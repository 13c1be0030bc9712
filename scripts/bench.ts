/**
 * `deno task bench`: start-up cost of atmos as ratios measured in one run.
 *
 * Rows: `atmos version` vs an empty `deno run` script (target ≤ 1.3×); the from-source wrapper
 * `scripts/atmos version` vs the `deno run` it execs (target ≤ 1.15×); warm
 * `atmos auth exec -- true` (credentials cached, local emulator running) vs `atmos version`
 * (target ≤ 1.5×); a warm `atmos auth credential-process` vs `atmos version` (target ≤ 1.2×),
 * run exactly as an AWS SDK runs it: the `credential_process` line atmos wrote for the identity;
 * peak RSS of the warm exec (target < 120 MB); the overhead per step of a
 * workflow of 100 `type: shell` steps running `true` against a bash loop running the same
 * 100 commands (`bash -c true`) (target ≤ 2×): per step = (time of 100 steps − time of 1 step)
 * / 99, which cancels start-up, for both; a workflow whose one step is a `parallel` block of 8
 * `true` children against the workflow of one `true` step, whole runs (target ≤ 1.5×; a
 * workflow of 8 sequential `true` steps is timed beside them for comparison). Machines are
 * noisy, so the
 * commands are interleaved round by round (rotating the order), a few warm-up rounds are
 * dropped, and medians of at least 15 samples are compared. Every atmos run uses the
 * production permission flags from deno.json (through the e2e harness). Peak RSS comes from
 * `/usr/bin/time -f %M` when it exists, else Python's `getrusage(RUSAGE_CHILDREN)`, else by
 * polling `VmHWM` in `/proc/<pid>/status` (a lower bound). A MISS is reported, not an error:
 * the exit code is 0 unless a command fails.
 *
 * Stacks section: `atmos describe component` over a generated tree of 1,000 stack manifests
 * with deep imports (20 import chains 10 files deep, 100 mixins, 700 top-level stacks with
 * inherited components and a name template), against a plain YAML parse of the same files with
 * the same YAML library in a fresh process (target: describe under 2 s; the ratio is printed).
 *
 * Bundle section: start-up of the one-file bundle (`deno task bundle`, built into a temp dir;
 * also with `--minify`) against `deno run main.ts`, for `atmos version` and a warm `auth exec
 * -- true`, as ratios (reported, no target). Both run with the production flags; each entry runs one warm exec
 * first, because Deno writes a module's V8 code cache only on a run that reaches a dynamic
 * import (a bare `version` never does) and the bundle without its code cache costs about
 * 25 ms more.
 *
 * Scale section (`scale`, see `bench_scale.ts`): `auth validate` of 40,000 identities (target
 * < 2 s) and 50 parallel cold logins of one identity (target: 3 STS calls).
 *
 * Usage: `deno task bench [--runs N] [--only startup|stacks|bundle|scale]` (N ≥ 15, default 21).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { startEmulator } from "../tests/emulator/mod.ts";
import { createSandbox, MAIN, productionFlags, ROOT } from "../tests/e2e/harness.ts";
import type { Sandbox } from "../tests/e2e/harness.ts";
import { buildBundle } from "./bundle.ts";
import { splitShellWords } from "../lib/exec/shell_words.ts";
import { benchScale } from "./bench_scale.ts";
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

const WARMUP_ROUNDS = 3;
const MIN_RUNS = 15;
const DEFAULT_RUNS = 21;

const STEPS = 100;
/** Children of the `parallel` block (and steps of the sequential workflow beside it). */
const PARALLEL = 8;

const GCP_SA = "deployer@my-proj.iam.gserviceaccount.com";
const GCP_USER = "bench@example.com";

const CHAIN_YAML = `
workflows:
  base_path: workflows
auth:
  identities:
    base:
      kind: aws/user
      credentials:
        access_key_id: !env BASE_AK
        secret_access_key: !env BASE_SK
        region: us-west-2
    prod-admin:
      kind: aws/assume-role
      default: true
      via: { identity: base }
      principal:
        assume_role: arn:aws:iam::111122223333:role/ProductionAdmin
        session_name: atmos-bench
    prod-process:
      kind: aws/assume-role
      via: { identity: base }
      session: { refresh: process }
      principal:
        assume_role: arn:aws:iam::111122223333:role/ProductionAdmin
        session_name: atmos-bench-process
    gcp-dev:
      kind: gcp/service-account
      via: { provider: gcloud-user }
      principal: { service_account_email: ${GCP_SA} }
    azure-dev:
      kind: azure/subscription
      via: { provider: entra }
      principal: { subscription_id: 55555555-5555-5555-5555-555555555555 }
  providers:
    gcloud-user:
      kind: gcp/adc
    entra:
      kind: azure/device-code
      spec: { tenant_id: 33333333-3333-3333-3333-333333333333 }
`;

/** How peak RSS is measured. */
interface RssMeter {
  label: string;
  /** Runs argv and returns its peak resident set size in kilobytes (KiB). */
  measure(argv: string[], cwd: string, env: Record<string, string>): Promise<number>;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    const info = await Deno.stat(path);
    return info.isFile && ((info.mode ?? 0) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** GNU time: `%M` is the maximum resident set size of the child, in KiB. */
function gnuTimeMeter(tmp: string): RssMeter {
  const outFile = join(tmp, "time.out");
  return {
    label: "/usr/bin/time -f %M (max RSS of the process tree, from wait4)",
    async measure(argv, cwd, env) {
      const out = await new Deno.Command("/usr/bin/time", {
        args: ["-f", "%M", "-o", outFile, ...argv],
        cwd,
        env,
        clearEnv: true,
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).output();
      if (!out.success) throw new BenchFailed(`"${argv.join(" ")}" exited with ${out.code}`);
      const text = (await Deno.readTextFile(outFile)).trim().split("\n").pop() ?? "";
      return Number(text);
    },
  };
}

/** Python's getrusage(RUSAGE_CHILDREN).ru_maxrss after running the command (KiB on Linux). */
function pythonMeter(): RssMeter {
  const script =
    "import resource,subprocess,sys; r=subprocess.run(sys.argv[1:]); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)";
  return {
    label: "python3 getrusage(RUSAGE_CHILDREN).ru_maxrss",
    async measure(argv, cwd, env) {
      const out = await new Deno.Command("/usr/bin/python3", {
        args: ["-c", script, ...argv],
        cwd,
        env,
        clearEnv: true,
        stdin: "null",
        stdout: "piped",
        stderr: "null",
      }).output();
      if (!out.success) throw new BenchFailed(`"${argv.join(" ")}" exited with ${out.code}`);
      const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
      return Number(lines[lines.length - 1]);
    },
  };
}

/** Polls VmHWM of the process every few milliseconds; misses growth in the last interval. */
function procMeter(): RssMeter {
  return {
    label: "VmHWM polled from /proc/<pid>/status (a lower bound)",
    async measure(argv, cwd, env) {
      const child = new Deno.Command(argv[0], {
        args: argv.slice(1),
        cwd,
        env,
        clearEnv: true,
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn();
      let peak = 0;
      let done = false;
      const status = child.status.then((s) => {
        done = true;
        return s;
      });
      while (!done) {
        try {
          const text = await Deno.readTextFile(`/proc/${child.pid}/status`);
          const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(text);
          if (m) peak = Math.max(peak, Number(m[1]));
        } catch {
          // The process has exited between two polls.
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const s = await status;
      if (!s.success) throw new BenchFailed(`"${argv.join(" ")}" exited with ${s.code}`);
      return peak;
    },
  };
}

async function chooseRssMeter(tmp: string): Promise<RssMeter> {
  if (await isExecutable("/usr/bin/time")) {
    const probe = await new Deno.Command("/usr/bin/time", {
      args: ["-f", "%M", "-o", join(tmp, "probe.out"), "true"],
      stdout: "null",
      stderr: "null",
    }).output().catch(() => undefined);
    if (probe?.success) return gnuTimeMeter(tmp);
  }
  if (await isExecutable("/usr/bin/python3")) return pythonMeter();
  return procMeter();
}

function parseRuns(args: string[]): number {
  const i = args.indexOf("--runs");
  if (i === -1) return DEFAULT_RUNS;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < MIN_RUNS) {
    throw new BenchFailed(
      `--runs must be an integer of at least ${MIN_RUNS}, got "${args[i + 1]}"`,
    );
  }
  return n;
}

/**
 * The command an AWS SDK runs for `identity`: the `credential_process` line of its profile in
 * the config file atmos manages, split as the SDKs split it (shell words).
 */
async function credentialProcessLine(sb: Sandbox, identity: string): Promise<string[]> {
  const file = join(sb.configDir, "aws", "aws-user", "config");
  const text = await Deno.readTextFile(file);
  const section = text.split(/^\[/m).find((s) => s.startsWith(`profile ${identity}]`));
  const line = /^credential_process\s*=\s*(.+)$/m.exec(section ?? "")?.[1];
  if (!line) throw new BenchFailed(`no credential_process line for "${identity}" in ${file}`);
  return splitShellWords(line);
}

async function bench(runs: number, sb: Sandbox, tmp: string): Promise<void> {
  const deno = Deno.execPath();
  const atmos = [deno, "run", ...productionFlags(), MAIN];
  const empty = join(tmp, "empty.ts");
  await Deno.writeTextFile(empty, "");
  // Deno's own floor for atmos: the same flags and deno.json, no atmos module.
  const floor = [deno, "run", "--config", join(ROOT, "deno.json"), ...productionFlags(), empty];
  const commands: Timed[] = [
    { name: "empty deno run", argv: [deno, "run", "--no-prompt", empty], cwd: tmp },
    { name: "atmos version", argv: [...atmos, "version"], cwd: sb.project },
    {
      name: "warm auth exec -- true (Google)",
      argv: [...atmos, "auth", "exec", "-i", "gcp-dev", "--", "true"],
      cwd: sb.project,
    },
    {
      name: "warm auth exec -- true (Azure)",
      argv: [...atmos, "auth", "exec", "-i", "azure-dev", "--", "true"],
      cwd: sb.project,
    },
    {
      name: "warm auth exec -- true",
      argv: [...atmos, "auth", "exec", "--", "true"],
      cwd: sb.project,
    },
    { name: "empty (atmos flags + deno.json)", argv: floor, cwd: tmp },
    {
      name: "warm auth credential-process",
      argv: await credentialProcessLine(sb, "prod-process"),
      cwd: sb.project,
    },
    {
      name: "scripts/atmos version",
      argv: [join(ROOT, "scripts", "atmos"), "version"],
      cwd: sb.project,
    },
    {
      // What the wrapper runs, started directly: the wrapper's own cost is the difference.
      name: "deno run (as scripts/atmos) version",
      argv: [
        deno,
        "run",
        "--config",
        join(ROOT, "deno.json"),
        "--frozen",
        ...productionFlags(),
        MAIN,
        "version",
      ],
      cwd: sb.project,
    },
    { name: `workflow of ${STEPS} steps`, argv: [...atmos, "workflow", "many"], cwd: sb.project },
    { name: "workflow of 1 step", argv: [...atmos, "workflow", "one"], cwd: sb.project },
    {
      name: `workflow: parallel of ${PARALLEL}`,
      argv: [...atmos, "workflow", "parallel"],
      cwd: sb.project,
    },
    {
      name: `workflow of ${PARALLEL} steps`,
      argv: [...atmos, "workflow", "sequential"],
      cwd: sb.project,
    },
    { name: `bash loop of ${STEPS}`, argv: ["bash", join(tmp, "loop-many.sh")], cwd: tmp },
    { name: "bash loop of 1", argv: ["bash", join(tmp, "loop-one.sh")], cwd: tmp },
  ];
  await writeStepFixtures(sb, tmp);
  const meter = await chooseRssMeter(tmp);
  const execArgv = commands[2].argv;
  const samples = new Map<string, number[]>(commands.map((c) => [c.name, []]));
  const rss: number[] = [];

  console.log(
    `atmos bench: ${runs} interleaved rounds after ${WARMUP_ROUNDS} warm-up rounds; deno ${Deno.version.deno}; ${navigator.hardwareConcurrency} CPUs; load average ${await loadAverage()}`,
  );
  for (let round = 0; round < WARMUP_ROUNDS + runs; round++) {
    const measured = round >= WARMUP_ROUNDS;
    for (let k = 0; k < commands.length; k++) {
      const cmd = commands[(round + k) % commands.length];
      const ms = await timeOnce(cmd, sb.env);
      if (measured) samples.get(cmd.name)!.push(ms);
    }
    const kib = await meter.measure(execArgv, sb.project, sb.env);
    if (measured) rss.push(kib);
    progress(`round ${round + 1}/${WARMUP_ROUNDS + runs}`);
  }
  progress("");

  const m = (name: string) => median(samples.get(name)!);
  const versionRatio = m("atmos version") / m("empty deno run");
  const execRatio = m("warm auth exec -- true") / m("atmos version");
  const rssMb = median(rss) * 1024 / 1e6;
  const perStep = (m(`workflow of ${STEPS} steps`) - m("workflow of 1 step")) / (STEPS - 1);
  const perCommand = (m(`bash loop of ${STEPS}`) - m("bash loop of 1")) / (STEPS - 1);
  const stepRatio = perStep / perCommand;
  const wrapperRatio = m("scripts/atmos version") / m("deno run (as scripts/atmos) version");
  const parallelRatio = m(`workflow: parallel of ${PARALLEL}`) / m("workflow of 1 step");
  const processRatio = m("warm auth credential-process") / m("atmos version");
  const gcpRatio = m("warm auth exec -- true (Google)") / m("atmos version");
  const azureRatio = m("warm auth exec -- true (Azure)") / m("atmos version");
  console.log();
  printTable([
    {
      metric: "atmos version / empty deno run",
      measured: `${versionRatio.toFixed(2)}×`,
      target: "≤ 1.30×",
      pass: versionRatio <= 1.3,
    },
    {
      metric: "warm auth exec -- true / atmos version",
      measured: `${execRatio.toFixed(2)}×`,
      target: "≤ 1.50×",
      pass: execRatio <= 1.5,
    },
    {
      metric: "warm auth exec -- true, a Google identity / atmos version",
      measured: `${gcpRatio.toFixed(2)}×`,
      target: "≤ 1.50×",
      pass: gcpRatio <= 1.5,
    },
    {
      metric: "warm auth exec -- true, an Azure identity / atmos version",
      measured: `${azureRatio.toFixed(2)}×`,
      target: "≤ 1.50×",
      pass: azureRatio <= 1.5,
    },
    {
      metric: "warm auth credential-process / atmos version",
      measured: `${processRatio.toFixed(2)}×`,
      target: "≤ 1.20×",
      pass: processRatio <= 1.2,
    },
    {
      metric: "scripts/atmos version / the same deno run",
      measured: `${wrapperRatio.toFixed(2)}×`,
      target: "≤ 1.15×",
      pass: wrapperRatio <= 1.15,
    },
    {
      metric: "peak RSS of warm auth exec -- true",
      measured: `${rssMb.toFixed(1)} MB`,
      target: "< 120 MB",
      pass: rssMb < 120,
    },
    {
      metric: "workflow step / bash loop iteration (`true`)",
      measured: `${stepRatio.toFixed(2)}× (${perStep.toFixed(2)} ms / ${perCommand.toFixed(2)} ms)`,
      target: "≤ 2.00×",
      pass: stepRatio <= 2,
    },
    {
      metric: `workflow: parallel of ${PARALLEL} \`true\` / workflow of 1 step`,
      measured: `${parallelRatio.toFixed(2)}×`,
      target: "≤ 1.50×",
      pass: parallelRatio <= 1.5,
    },
  ]);
  console.log();
  console.log("Raw medians (wall time, spawn to exit):");
  for (const cmd of commands) console.log(`  ${describe(cmd.name, samples.get(cmd.name)!)}`);
  console.log(
    `  ${"peak RSS, warm auth exec".padEnd(34)} median ${
      (median(rss) / 1024).toFixed(1)
    } MiB (min ${(Math.min(...rss) / 1024).toFixed(1)}, max ${
      (Math.max(...rss) / 1024).toFixed(1)
    }; ${meter.label})`,
  );
  const beyondOne = (name: string) => m(name) - m("workflow of 1 step");
  console.log(
    `  beyond the 1-step workflow: parallel of ${PARALLEL} +${
      beyondOne(`workflow: parallel of ${PARALLEL}`).toFixed(1)
    } ms, ${PARALLEL} sequential steps +${
      beyondOne(`workflow of ${PARALLEL} steps`).toFixed(1)
    } ms`,
  );
  console.log(
    `  floor: Deno with atmos's flags and deno.json but no atmos code is ${
      (m("empty (atmos flags + deno.json)") / m("empty deno run")).toFixed(2)
    }× the empty run`,
  );
}

/**
 * The workflows `many` (STEPS shell steps), `one`, `parallel` (one parallel step of PARALLEL
 * children) and `sequential` (PARALLEL steps), and the bash loops they are compared to.
 */
async function writeStepFixtures(sb: Sandbox, tmp: string): Promise<void> {
  const step = '      - { type: shell, command: "true" }';
  const child = '          - { type: shell, command: "true" }';
  const yaml = [
    "workflows:",
    "  many:",
    "    steps:",
    ...Array(STEPS).fill(step),
    "  one:",
    "    steps:",
    step,
    "  parallel:",
    "    steps:",
    "      - type: parallel",
    "        output: none",
    "        steps:",
    ...Array(PARALLEL).fill(child),
    "  sequential:",
    "    steps:",
    ...Array(PARALLEL).fill(step),
    "",
  ].join("\n");
  await Deno.mkdir(join(sb.project, "workflows"), { recursive: true });
  await Deno.writeTextFile(join(sb.project, "workflows", "bench.yaml"), yaml);
  await Deno.writeTextFile(
    join(tmp, "loop-many.sh"),
    `for i in $(seq ${STEPS}); do bash -c true; done\n`,
  );
  await Deno.writeTextFile(join(tmp, "loop-one.sh"), "bash -c true\n");
}

/** Stack manifests in the generated tree (imports included). */
const STACK_FILES = 1000;
const CHAINS = 20;
const CHAIN_DEPTH = 10;
const MIXINS = 100;
const STACK_ROUNDS = 7;

/**
 * Writes an Atmos project with {@linkcode STACK_FILES} manifests under `root`: import chains
 * `catalog/chain-<c>/level-0 → … → level-9`, region mixins, and top-level stacks importing a
 * chain head and a mixin, each with components inheriting from abstract bases at several
 * depths. Returns the manifest paths and a component/stack to describe.
 */
export async function generateStackTree(
  root: string,
): Promise<{ files: string[]; component: string; stack: string }> {
  const files: string[] = [];
  const write = async (rel: string, text: string) => {
    const path = join(root, rel);
    await Deno.mkdir(dirname(path), { recursive: true });
    await Deno.writeTextFile(path, text);
    files.push(path);
  };
  for (let c = 0; c < CHAINS; c++) {
    for (let d = 0; d < CHAIN_DEPTH; d++) {
      const next = d + 1 < CHAIN_DEPTH ? `import:\n  - catalog/chain-${c}/level-${d + 1}\n` : "";
      await write(
        `stacks/catalog/chain-${c}/level-${d}.yaml`,
        `${next}vars:\n  level_${d}: chain-${c}\n  tags:\n    level: "${d}"\n    chain: "${c}"\n` +
          `settings:\n  chain_${c}_${d}: true\ncomponents:\n  terraform:\n    base-${d}:\n` +
          `      metadata:\n        type: abstract\n      vars:\n        from_base_${d}: ${d}\n` +
          `        list: [${d}, ${d + 1}]\n      env:\n        LEVEL_${d}: "${d}"\n`,
      );
    }
  }
  for (let m = 0; m < MIXINS; m++) {
    await write(
      `stacks/mixins/region-${m}.yaml`,
      `vars:\n  region: region-${m}\n  environment: r${m}\nterraform:\n  backend_type: s3\n` +
        `  backend:\n    s3:\n      bucket: tfstate-${m}\n      region: region-${m}\n`,
    );
  }
  const top = STACK_FILES - CHAINS * CHAIN_DEPTH - MIXINS;
  for (let t = 0; t < top; t++) {
    const tenant = `tenant-${Math.floor(t / 10)}`;
    await write(
      `stacks/orgs/${tenant}/stack-${t}.yaml`,
      `import:\n  - catalog/chain-${t % CHAINS}/level-0\n  - mixins/region-${t % MIXINS}\n` +
        `vars:\n  tenant: ${tenant}\n  stage: s${t % 10}\ncomponents:\n  terraform:\n    vpc:\n` +
        `      metadata:\n        component: vpc\n        inherits: [base-0, base-5, base-9]\n` +
        `      vars:\n        cidr: 10.${t % 250}.0.0/16\n        name: vpc-${t}\n    eks:\n` +
        `      metadata:\n        inherits: [base-3]\n      vars:\n        cluster: eks-${t}\n` +
        `    rds:\n      component: base-1\n      vars:\n        engine: postgres\n`,
    );
  }
  await Deno.writeTextFile(
    join(root, "atmos.yaml"),
    `base_path: "./"\ncomponents:\n  terraform:\n    base_path: components/terraform\n` +
      `stacks:\n  base_path: stacks\n  included_paths: ["orgs/**/*"]\n` +
      `  name_template: "{{ .vars.tenant }}-{{ .vars.environment }}-{{ .vars.stage }}"\n`,
  );
  const last = top - 1;
  return {
    files,
    component: "vpc",
    stack: `tenant-${Math.floor(last / 10)}-r${last % MIXINS}-s${last % 10}`,
  };
}

/** A script that reads and parses every manifest with atmos's YAML library, and nothing else. */
function parseScript(): string {
  const yamlLib = new URL("../lib/config/yaml_lib.ts", import.meta.url).href;
  return `import { importYaml } from "${yamlLib}";
const Y = await importYaml();
const files = JSON.parse(await Deno.readTextFile(Deno.args[0]));
let keys = 0;
for (const text of await Promise.all(files.map((f) => Deno.readTextFile(f)))) {
  keys += Object.keys(Y.parse(text) ?? {}).length;
}
if (keys === 0) throw new Error("nothing parsed");
`;
}

async function benchStacks(tmp: string): Promise<void> {
  const root = join(tmp, "stack-tree");
  const tree = await generateStackTree(root);
  const list = join(tmp, "stack-files.json");
  await Deno.writeTextFile(list, JSON.stringify(tree.files));
  const script = join(tmp, "parse_stacks.ts");
  await Deno.writeTextFile(script, parseScript());
  const deno = Deno.execPath();
  const env: Record<string, string> = {
    PATH: "/usr/bin:/bin",
    HOME: tmp,
    DENO_DIR: Deno.env.get("DENO_DIR") ?? join(Deno.env.get("HOME") ?? "/root", ".cache", "deno"),
    ATMOS_GIT_ROOT_BASEPATH: "false",
    NO_COLOR: "1",
  };
  const commands: Timed[] = [
    {
      name: "describe component (1,000 files)",
      argv: [
        deno,
        "run",
        ...productionFlags(),
        MAIN,
        "describe",
        "component",
        tree.component,
        "-s",
        tree.stack,
        "-q",
        ".vars.name",
      ],
      cwd: root,
    },
    {
      name: "plain YAML parse (same files)",
      argv: readOnlyScript(script, list),
      cwd: root,
    },
  ];
  const samples = new Map<string, number[]>(commands.map((c) => [c.name, []]));
  console.log();
  console.log(
    `stacks: ${tree.files.length} manifests (${CHAINS} chains ${CHAIN_DEPTH} deep, ${MIXINS} mixins), ${STACK_ROUNDS} interleaved rounds after 1 warm-up; load average ${await loadAverage()}`,
  );
  for (let round = 0; round <= STACK_ROUNDS; round++) {
    for (let k = 0; k < commands.length; k++) {
      const cmd = commands[(round + k) % commands.length];
      const ms = await timeOnce(cmd, env);
      if (round > 0) samples.get(cmd.name)!.push(ms);
    }
    progress(`stacks round ${round + 1}/${STACK_ROUNDS + 1}`);
  }
  progress("");
  const describeMs = median(samples.get(commands[0].name)!);
  const parseMs = median(samples.get(commands[1].name)!);
  console.log();
  printTable([
    {
      metric: "describe component, 1,000 stack files",
      measured: `${(describeMs / 1000).toFixed(2)} s`,
      target: "< 2 s",
      pass: describeMs < 2000,
    },
    {
      metric: "describe component / plain YAML parse",
      measured: `${(describeMs / parseMs).toFixed(2)}×`,
      target: "(reported)",
      pass: true,
    },
  ]);
  console.log();
  console.log("Raw medians (wall time, spawn to exit):");
  for (const cmd of commands) console.log(`  ${describe(cmd.name, samples.get(cmd.name)!)}`);
}

/** `deno run <flags> main.ts` vs `deno run <flags> atmos.js` (the bundle), interleaved. */
async function benchBundle(runs: number, sb: Sandbox, tmp: string): Promise<void> {
  const bundle = await buildBundle(join(tmp, "atmos.js"));
  const minified = await buildBundle(join(tmp, "atmos.min.js"), { minify: true });
  const mb = async (path: string) => ((await Deno.stat(path)).size / 1e6).toFixed(2);
  const deno = Deno.execPath();
  const entries = { "main.ts": MAIN, "bundle": bundle, "minified": minified };
  const commands: Timed[] = [];
  for (const [label, module] of Object.entries(entries)) {
    const atmos = [deno, "run", ...productionFlags(), module];
    commands.push({ name: `${label} version`, argv: [...atmos, "version"], cwd: sb.project });
    commands.push({
      name: `${label} warm auth exec -- true`,
      argv: [...atmos, "auth", "exec", "--", "true"],
      cwd: sb.project,
    });
  }
  // A run that reaches a dynamic import writes each entry's V8 code cache (see the module doc).
  for (const cmd of commands.filter((c) => c.name.includes("exec"))) await timeOnce(cmd, sb.env);
  const samples = new Map<string, number[]>(commands.map((c) => [c.name, []]));
  console.log();
  console.log(
    `bundle: ${await mb(bundle)} MB single file (--minify: ${await mb(
      minified,
    )} MB); ${runs} interleaved rounds after ${WARMUP_ROUNDS} warm-up rounds; load average ${await loadAverage()}`,
  );
  for (let round = 0; round < WARMUP_ROUNDS + runs; round++) {
    for (let k = 0; k < commands.length; k++) {
      const cmd = commands[(round + k) % commands.length];
      const ms = await timeOnce(cmd, sb.env);
      if (round >= WARMUP_ROUNDS) samples.get(cmd.name)!.push(ms);
    }
    progress(`bundle round ${round + 1}/${WARMUP_ROUNDS + runs}`);
  }
  progress("");
  const m = (name: string) => median(samples.get(name)!);
  const version = m("bundle version") / m("main.ts version");
  const exec = m("bundle warm auth exec -- true") / m("main.ts warm auth exec -- true");
  console.log();
  printTable([
    {
      metric: "bundle / main.ts, atmos version",
      measured: `${version.toFixed(2)}×`,
      target: "(reported)",
      pass: true,
    },
    {
      metric: "bundle / main.ts, warm auth exec -- true",
      measured: `${exec.toFixed(2)}×`,
      target: "(reported)",
      pass: true,
    },
    {
      metric: "minified bundle / main.ts, atmos version",
      measured: `${(m("minified version") / m("main.ts version")).toFixed(2)}×`,
      target: "(reported)",
      pass: true,
    },
  ]);
  console.log();
  console.log("Raw medians (wall time, spawn to exit):");
  for (const cmd of commands) console.log(`  ${describe(cmd.name, samples.get(cmd.name)!)}`);
}

type Section = "startup" | "stacks" | "bundle" | "scale";

function parseOnly(args: string[]): Section | undefined {
  const i = args.indexOf("--only");
  if (i === -1) return undefined;
  const value = args[i + 1];
  if (value !== "startup" && value !== "stacks" && value !== "bundle" && value !== "scale") {
    throw new BenchFailed(`--only takes startup, stacks, bundle or scale, got "${value}"`);
  }
  return value;
}

async function main(): Promise<number> {
  let runs: number;
  let only: Section | undefined;
  try {
    runs = parseRuns(Deno.args);
    only = parseOnly(Deno.args);
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  if (only === "stacks" || only === "scale") {
    const tmp = await Deno.makeTempDir({ prefix: "atmos-bench-" });
    try {
      await (only === "stacks" ? benchStacks(tmp) : benchScale(tmp));
      return 0;
    } catch (error) {
      console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  }
  const emu = await startEmulator({
    gcp: { serviceAccounts: [{ email: GCP_SA, members: [`user:${GCP_USER}`] }] },
  });
  const keys = emu.createUser({ name: "bench" });
  const sb = await createSandbox(CHAIN_YAML, {
    endpoint: emu.url,
    env: {
      AWS_ENDPOINT_URL: emu.url,
      BASE_AK: keys.accessKeyId,
      BASE_SK: keys.secretAccessKey,
      ...emu.gcp.env(),
      AZURE_AUTHORITY_HOST: emu.azure.authorityHost,
      DENO_CERT: emu.caFile,
      DENO_NO_UPDATE_CHECK: "1",
    },
  });
  try {
    // The user's own Google ADC (as `gcloud auth application-default login` writes it).
    const adc = join(sb.home, ".config", "gcloud", "application_default_credentials.json");
    await Deno.mkdir(dirname(adc), { recursive: true });
    await Deno.writeTextFile(adc, JSON.stringify(emu.gcp.createUser(GCP_USER)), { mode: 0o600 });
    for (const identity of ["prod-admin", "prod-process", "gcp-dev"]) {
      const login = await sb.run(["auth", "login", identity]);
      if (login.code !== 0) {
        throw new BenchFailed(`atmos auth login ${identity} failed: ${login.stderr.trim()}`);
      }
    }
    // The Azure sign-in is a device code the emulator approves.
    const azure = sb.run(["auth", "login", "azure-dev"], { env: { ATMOS_FORCE_TTY: "true" } });
    emu.azure.approveDevice(await emu.azure.nextDeviceCode());
    const azureLogin = await azure;
    if (azureLogin.code !== 0) {
      throw new BenchFailed(`atmos auth login azure-dev failed: ${azureLogin.stderr.trim()}`);
    }
    emu.resetCalls();
    if (only !== "bundle") await bench(runs, sb, sb.home);
    if (only !== "startup") await benchBundle(runs, sb, sb.home);
    const calls = emu.calls();
    console.log(`  emulator calls during the measured runs: ${calls} (warm exec must make 0)`);
    if (calls !== 0) throw new BenchFailed(`warm auth exec made ${calls} emulator calls`);
    if (only === undefined) await benchStacks(sb.home);
    if (only === undefined) await benchScale(sb.home);
    return 0;
  } catch (error) {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
}

if (import.meta.main) Deno.exit(await main());
