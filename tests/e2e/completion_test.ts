/**
 * `atmos completion bash|zsh|fish`: the generated scripts, driven by the real shells, complete
 * commands, flags and names read from the project's atmos.yaml and stacks through the hidden
 * `atmos __complete` command of the real CLI (started by an `atmos` wrapper on PATH that runs
 * main.ts with the production flags).
 *
 * bash: `complete -p atmos` names the function, which is called with COMP_WORDS / COMP_CWORD /
 * COMP_LINE / COMP_POINT as bash's readline would set them (words split at `=`), and COMPREPLY
 * is read back; `compopt` is shadowed to record what the script asks of readline.
 * fish: `complete -C "<line>"` (fish's own completion of a command line).
 * zsh: the completion system needs a terminal, so `compdef`, `_describe` and `_files` are
 * shadowed by functions that print what the script hands them.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { atmosCommand, createSandbox, runCommand, type Sandbox } from "./harness.ts";
import { copyTree, stackFixture } from "./stack_support.ts";
import { commandTree } from "../../lib/cli/app.ts";
import { Runtime } from "../../lib/cli/runtime.ts";

/** The visible top-level commands of the built-in tree, in order. */
async function builtinCommands(): Promise<string[]> {
  const root = await commandTree(new Runtime({ env: { HOME: "/" }, cwd: "/", interactive: false }));
  return (root.subcommands ?? []).filter((c) => !c.hidden).map((c) => c.name);
}

interface Fixture {
  sb: Sandbox;
  /** Environment with the `atmos` wrapper first on PATH. */
  env: Record<string, string>;
  script(shell: string): Promise<string>;
}

/** A sandbox with a copy of a project fixture and an `atmos` wrapper on PATH. */
async function setUp(project: string = stackFixture("auth-stacks")): Promise<Fixture> {
  const sb = await createSandbox("");
  await Deno.remove(sb.project, { recursive: true });
  await copyTree(project, sb.project);
  const bin = join(sb.home, "bin");
  await Deno.mkdir(bin);
  const quoted = atmosCommand().map((w) => `'${w.replaceAll("'", "'\\''")}'`).join(" ");
  await Deno.writeTextFile(join(bin, "atmos"), `#!/bin/sh\nexec ${quoted} "$@"\n`, {
    mode: 0o755,
  });
  const env = { ...sb.env, PATH: `${bin}:${sb.env.PATH}` };
  return {
    sb,
    env,
    async script(shell) {
      const result = await sb.run(["completion", shell]);
      assert.equal(result.code, 0, result.stderr);
      const path = join(sb.home, `completion.${shell}`);
      await Deno.writeTextFile(path, result.stdout);
      return path;
    },
  };
}

async function shell(program: string, args: string[], env: Record<string, string>, cwd: string) {
  const out = await runCommand(program, args, { env, cwd });
  assert.equal(out.code, 0, `${program}: ${out.stderr}\n${out.stdout}`);
  return out.stdout;
}

/** One bash completion request: the words as readline splits them, cursor at the end. */
interface BashCase {
  line: string;
  words?: string[];
}

/**
 * Runs every case in one bash: sources the script, finds the function with `complete -p`,
 * and prints `COMPREPLY` (one per line) and the recorded `compopt` calls after a `== line`
 * header per case.
 */
async function bashComplete(fx: Fixture, cases: BashCase[]): Promise<Map<string, string[]>> {
  const script = await fx.script("bash");
  const lines = [
    `source '${script}'`,
    `spec=$(complete -p atmos) || exit 3`,
    `fn=\${spec#*-F }; fn=\${fn%% *}`,
    `compopt() { echo "compopt $*"; }`,
  ];
  for (const c of cases) {
    const words = c.words ??
      [...c.line.split(/\s+/).filter((w) => w !== ""), ...(c.line.endsWith(" ") ? [""] : [])];
    const array = words.map((w) => `'${w}'`).join(" ");
    lines.push(
      `echo "== ${c.line}"`,
      `COMP_LINE='${c.line}'; COMP_POINT=\${#COMP_LINE}; COMP_WORDS=(${array}); COMP_CWORD=${
        words.length - 1
      }; COMPREPLY=()`,
      `"$fn"`,
      `printf '%s\\n' "\${COMPREPLY[@]}"`,
    );
  }
  const out = await shell(
    "/bin/bash",
    ["--norc", "--noprofile", "-c", lines.join("\n")],
    fx.env,
    fx.sb.project,
  );
  const results = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of out.split("\n")) {
    if (line.startsWith("== ")) {
      current = [];
      results.set(line.slice(3), current);
    } else if (line !== "") {
      current.push(line);
    }
  }
  return results;
}

Deno.test("the bash completion script completes commands, flags, identities, stacks and components", async () => {
  const fx = await setUp();
  try {
    const cases: BashCase[] = [
      { line: "atmos " },
      { line: "atmos au" },
      { line: "atmos auth login " },
      { line: "atmos auth exec -i plat-r" },
      {
        line: "atmos auth exec --identity=plat-",
        words: ["atmos", "auth", "exec", "--identity", "=", "plat-"],
      },
      { line: "atmos auth exec --identity=", words: ["atmos", "auth", "exec", "--identity", "="] },
      { line: "atmos auth login --p" },
      { line: "atmos terraform pl" },
      { line: "atmos terraform plan " },
      { line: "atmos terraform plan iam -s " },
      { line: "atmos describe component " },
      { line: "atmos list components -s plat-p" },
      { line: "atmos completion " },
      { line: "atmos auth exec -- " },
      { line: "atmos --config-path " },
    ];
    const got = await bashComplete(fx, cases);
    assert.deepEqual(got.get("atmos "), await builtinCommands());
    assert.deepEqual(got.get("atmos au"), ["auth"]);
    assert.deepEqual(got.get("atmos auth login "), [
      "base",
      "data-default",
      "plat-default",
      "plat-readonly",
    ]);
    assert.deepEqual(got.get("atmos auth exec -i plat-r"), ["plat-readonly"]);
    // bash replaces only the piece after "=": the replies must not repeat "--identity=".
    assert.deepEqual(got.get("atmos auth exec --identity=plat-"), [
      "plat-default",
      "plat-readonly",
    ]);
    assert.deepEqual(got.get("atmos auth exec --identity="), [
      "=base",
      "=data-default",
      "=plat-default",
      "=plat-readonly",
    ]);
    assert.deepEqual(got.get("atmos auth login --p"), ["--provider"]);
    assert.deepEqual(got.get("atmos terraform pl"), ["plan"]);
    assert.deepEqual(got.get("atmos terraform plan "), ["eks", "iam", "monitoring"]);
    // Only the stacks that define the component typed before.
    const eksStacks = got.get("atmos terraform plan iam -s ")!;
    assert.ok(eksStacks.length > 0 && eksStacks.length < 4, eksStacks.join(","));
    assert.deepEqual(got.get("atmos describe component "), ["eks", "iam", "monitoring"]);
    assert.deepEqual(got.get("atmos list components -s plat-p"), ["plat-prod"]);
    assert.deepEqual(got.get("atmos completion "), ["bash", "zsh", "fish"]);
    assert.deepEqual(got.get("atmos auth exec -- "), ["compopt -o default"]);
    assert.deepEqual(got.get("atmos --config-path "), ["compopt -o dirnames"]);
  } finally {
    await fx.sb.cleanup();
  }
});

Deno.test("bash completes workflows, workflow files and custom commands with their arguments", async () => {
  const fx = await setUp(new URL("./testdata/seed", import.meta.url).pathname);
  try {
    const got = await bashComplete(fx, [
      { line: "atmos " },
      { line: "atmos workflow " },
      { line: "atmos workflow -f " },
      { line: "atmos workflow -f deploy " },
      { line: "atmos workflow deploy-multi-account -s " },
      { line: "atmos list workflows --format " },
      { line: "atmos plan-all " },
      { line: "atmos plan-all vpc " },
      { line: "atmos deploy --identity prod" },
    ]);
    const top = got.get("atmos ")!;
    const builtins = await builtinCommands();
    assert.deepEqual(top.slice(0, builtins.length), builtins);
    assert.ok(top.includes("deploy") && top.includes("plan-all"), top.join(","));
    assert.deepEqual(got.get("atmos workflow "), ["deploy-multi-account", "multi-cloud-deploy"]);
    assert.deepEqual(got.get("atmos workflow -f "), ["deploy", "multi-cloud"]);
    assert.deepEqual(got.get("atmos workflow -f deploy "), ["deploy-multi-account"]);
    assert.deepEqual(got.get("atmos workflow deploy-multi-account -s "), ["prod"]);
    assert.deepEqual(got.get("atmos list workflows --format "), ["table", "json", "yaml"]);
    // plan-all declares arguments named component and stack: they complete like atmos's own.
    assert.deepEqual(got.get("atmos plan-all "), ["vpc"]);
    assert.deepEqual(got.get("atmos plan-all vpc "), ["prod"]);
    assert.deepEqual(got.get("atmos deploy --identity prod"), [
      "prod-account",
      "production",
      "production-account",
    ]);
  } finally {
    await fx.sb.cleanup();
  }
});

Deno.test("the fish completion script completes through fish's own complete -C", async () => {
  const fx = await setUp();
  try {
    const script = await fx.script("fish");
    const out = await shell(
      "/usr/bin/fish",
      [
        "--no-config",
        "-c",
        `source '${script}'; complete -C'atmos auth logout '; echo ==; complete -C'atmos auth exec --identity=plat-'; echo ==; complete -C'atmos list stacks -c i'`,
      ],
      fx.env,
      fx.sb.project,
    );
    const [logout, inline, stacks] = out.split("==\n");
    assert.equal(
      logout,
      "base\taws/user\ndata-default\taws/assume-role\nplat-default\taws/assume-role\nplat-readonly\taws/assume-role\n",
    );
    assert.equal(
      inline,
      "--identity=plat-default\taws/assume-role\n--identity=plat-readonly\taws/assume-role\n",
    );
    assert.equal(stacks, "iam\n");
  } finally {
    await fx.sb.cleanup();
  }
});

Deno.test("the zsh completion script registers with compdef and hands the candidates to _describe", async () => {
  const fx = await setUp();
  try {
    const script = await fx.script("zsh");
    const out = await shell(
      "/usr/bin/zsh",
      [
        "-f",
        "-c",
        [
          `compdef() { print -r -- "compdef $*"; }`,
          `_describe() { print -rl -- "\${(@P)4}"; }`,
          `_files() { print -r -- "_files $*"; }`,
          `source '${script}'`,
          `words=(atmos auth login ""); CURRENT=4; _atmos; print -- '=='`,
          `words=(atmos terraform plan eks -s plat-s); CURRENT=6; _atmos; print -- '=='`,
          `words=(atmos --config ""); CURRENT=3; _atmos`,
        ].join("\n"),
      ],
      fx.env,
      fx.sb.project,
    );
    const [login, stacks, files] = out.split("==\n");
    assert.equal(
      login,
      "compdef _atmos atmos\nbase:aws/user\ndata-default:aws/assume-role\nplat-default:aws/assume-role\nplat-readonly:aws/assume-role\n",
    );
    assert.equal(stacks, "plat-staging\n");
    assert.equal(files, "_files \n");
  } finally {
    await fx.sb.cleanup();
  }
});

Deno.test("atmos completion refuses an unknown shell in one line", async () => {
  const fx = await setUp();
  try {
    const result = await fx.sb.run(["completion", "tcsh"]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, "");
    assert.match(result.stderr, /^error: unsupported shell "tcsh"[^\n]*bash, zsh, fish[^\n]*\n$/);
  } finally {
    await fx.sb.cleanup();
  }
});

Deno.test("atmos __complete answers in Cobra's format and never writes", async () => {
  const fx = await setUp();
  try {
    const result = await fx.sb.run(["__complete", "auth", "login", "--provider", ""]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, ":4\n", "no providers configured: nothing, no file names");
    const ids = await fx.sb.run(["__complete", "auth", "whoami", "-i", "b"]);
    assert.equal(ids.stdout, "base\taws/user\n:4\n");
    await Deno.stat(fx.sb.configDir).then(
      () => assert.fail("completion created the config directory"),
      (error) => assert.ok(error instanceof Deno.errors.NotFound),
    );
  } finally {
    await fx.sb.cleanup();
  }
});
