/**
 * Exit codes and signals end to end: a child's code is passed through, 127 for a missing
 * command, 128+n when a signal ended the child, SIGTERM/SIGHUP sent to atmos reach the child,
 * SIGINT does not end atmos, usage errors are 2; help and version print on stdout with 0.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createSandbox, MAIN, productionFlags, type Sandbox, untilDone } from "./harness.ts";

/** No identities needed: every exec here runs with authentication disabled. */
const YAML = `auth:
  identities:
    base:
      kind: aws/user
      default: true
`;

async function withSandbox(body: (sb: Sandbox) => Promise<void>): Promise<void> {
  const sb = await createSandbox(YAML);
  try {
    await body(sb);
  } finally {
    await sb.cleanup();
  }
}

Deno.test("auth exec passes the child's exit code through", async () => {
  await withSandbox(async (sb) => {
    for (const code of [0, 1, 3, 42, 255]) {
      const result = await sb.run(["auth", "exec", "-i", "off", "--", "sh", "-c", `exit ${code}`]);
      assert.equal(result.code, code, result.stderr);
      assert.equal(result.stderr, "");
    }
  });
});

Deno.test("auth exec of a missing command is exit 127 with one line", async () => {
  await withSandbox(async (sb) => {
    const result = await sb.run(["auth", "exec", "-i", "off", "--", "no-such-command-atmos-e2e"]);
    assert.equal(result.code, 127);
    assert.equal(result.stdout, "");
    assert.equal(
      result.stderr.split("\n").length,
      2,
      `one line expected:\n${result.stderr}`,
    );
    assert.match(result.stderr, /^error: command not found: "no-such-command-atmos-e2e"/);
  });
});

Deno.test("auth exec of a file without execute permission is exit 126", async () => {
  await withSandbox(async (sb) => {
    const script = join(sb.project, "not-executable.sh");
    await Deno.writeTextFile(script, "#!/bin/sh\nexit 0\n", { mode: 0o644 });
    const result = await sb.run(["auth", "exec", "-i", "off", "--", script]);
    assert.equal(result.code, 126, result.stderr);
    assert.equal(result.stderr.split("\n").length, 2, result.stderr);
  });
});

Deno.test("a child killed by a signal gives 128+n", async () => {
  await withSandbox(async (sb) => {
    const cases: [string, number][] = [["TERM", 143], ["KILL", 137], ["HUP", 129], ["INT", 130]];
    for (const [signal, code] of cases) {
      const result = await sb.run([
        "auth",
        "exec",
        "-i",
        "off",
        "--",
        "sh",
        "-c",
        `kill -${signal} $$`,
      ]);
      assert.equal(result.code, code, `SIG${signal}: ${result.stderr}`);
    }
  });
});

/** Starts atmos with a shell child that prints "ready" once its traps are set. */
function spawnTrapping(sb: Sandbox, script: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...productionFlags(),
      MAIN,
      "auth",
      "exec",
      "-i",
      "off",
      "--",
      "sh",
      "-c",
      script,
    ],
    cwd: sb.project,
    env: sb.env,
    clearEnv: true,
    detached: true, // a process group of its own, killed as a whole on a timeout
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Reads stdout until `marker` appears; returns the rest of the stream reader. */
async function waitFor(child: Deno.ChildProcess, marker: string): Promise<string> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  while (!seen.includes(marker)) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
  }
  reader.releaseLock();
  return seen;
}

/** The child's background sleep must not keep stdout open, so it writes to /dev/null. */
const TRAP_SCRIPT = 'trap "kill $p; exit 9" TERM; trap "kill $p; exit 8" HUP; ' +
  "sleep 30 >/dev/null 2>&1 & p=$!; echo ready; wait";

for (const [signal, code] of [["SIGTERM", 9], ["SIGHUP", 8]] as [Deno.Signal, number][]) {
  Deno.test(`${signal} sent to atmos is forwarded to the child, whose exit code atmos returns`, async () => {
    await withSandbox(async (sb) => {
      const child = spawnTrapping(sb, TRAP_SCRIPT);
      try {
        const ready = await untilDone(waitFor(child, "ready"), child.pid, "atmos auth exec");
        assert.ok(ready.includes("ready"), "the child started");
        child.kill(signal);
        const status = await untilDone(child.status, child.pid, "atmos auth exec");
        assert.equal(status.code, code);
        assert.equal(status.signal, null, "atmos exited by itself, not by the signal");
      } finally {
        await child.stdout.cancel().catch(() => {});
        await child.stderr.cancel();
      }
    });
  });
}

Deno.test("SIGINT sent to atmos alone does not end it: the child keeps running", async () => {
  await withSandbox(async (sb) => {
    const child = spawnTrapping(sb, TRAP_SCRIPT);
    try {
      await untilDone(waitFor(child, "ready"), child.pid, "atmos auth exec");
      child.kill("SIGINT");
      // Had atmos died of SIGINT, its status would be 130 and SIGTERM would find no one.
      await new Promise((resolve) => setTimeout(resolve, 200));
      child.kill("SIGTERM");
      const status = await untilDone(child.status, child.pid, "atmos auth exec");
      assert.equal(status.code, 9);
    } finally {
      await child.stdout.cancel().catch(() => {});
      await child.stderr.cancel();
    }
  });
});

Deno.test("usage errors exit 2", async () => {
  await withSandbox(async (sb) => {
    for (
      const args of [
        ["auth", "exec"],
        ["auth", "nope"],
        ["--nope"],
        ["auth", "env", "--format", "yaml"],
        ["auth", "list", "--format"],
        ["auth", "shell", "a", "b"],
      ]
    ) {
      const result = await sb.run(args);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.equal(result.stderr.split("\n").length, 2, result.stderr);
    }
  });
});

Deno.test("atmos --help, atmos auth --help and atmos auth exec --help print help on stdout", async () => {
  await withSandbox(async (sb) => {
    const root = await sb.run(["--help"]);
    assert.equal(root.code, 0);
    assert.equal(root.stderr, "");
    assert.match(root.stdout, /^Usage:\n {2}atmos \[command\]$/m);
    assert.match(root.stdout, /^ {2}auth +Log in/m);
    assert.match(root.stdout, /^ {2}version +Print the atmos version/m);
    assert.doesNotMatch(root.stdout, /__sandbox-check/, "hidden commands stay hidden");

    const auth = await sb.run(["auth", "--help"]);
    assert.equal(auth.code, 0);
    for (const name of ["login", "whoami", "env", "exec", "shell", "list", "validate", "logout"]) {
      assert.match(auth.stdout, new RegExp(`^ {2}${name} `, "m"), name);
    }
    assert.match(auth.stdout, /-i, --identity/);

    for (const args of [["auth", "exec", "--help"], ["auth", "exec", "-h"]]) {
      const exec = await sb.run(args);
      assert.equal(exec.code, 0, args.join(" "));
      assert.equal(exec.stderr, "");
      if (args[0] === "auth") {
        assert.match(exec.stdout, /^ {2}atmos auth exec \[flags\] \[-- args\.\.\.\]$/m);
        assert.match(exec.stdout, /exit code is passed through/);
      }
    }
  });
});

Deno.test("atmos with no arguments prints the root help with exit 0", async () => {
  await withSandbox(async (sb) => {
    const none = await sb.run([]);
    const help = await sb.run(["--help"]);
    assert.equal(none.code, 0);
    assert.equal(none.stdout, help.stdout);
    assert.equal(none.stderr, "");
    const auth = await sb.run(["auth"]);
    assert.equal(auth.code, 0);
    assert.equal(auth.stdout, (await sb.run(["auth", "--help"])).stdout);
  });
});

Deno.test("atmos version and --version print the version on stdout", async () => {
  await withSandbox(async (sb) => {
    const { VERSION } = await import("../../lib/version.ts");
    for (const args of [["version"], ["--version"]]) {
      const result = await sb.run(args);
      assert.equal(result.code, 0);
      assert.equal(result.stderr, "");
      assert.equal(result.stdout, `atmos ${VERSION} (deno ${Deno.version.deno})\n`);
    }
  });
});
