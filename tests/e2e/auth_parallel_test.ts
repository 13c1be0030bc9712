/**
 * Many processes logging in to one identity at once, through the real CLI: one chain's worth of
 * STS calls between them, every one of them succeeds, and a login killed with SIGKILL does not
 * block the next (the lock is an OS lock on a descriptor the dead process held).
 */
import { join } from "node:path";
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import { assertNoSecrets, atmosCommand, createSandbox } from "./harness.ts";
import { boto3CallerArn, THREE_LINK_YAML } from "./auth_support.ts";
import { setUpSso, waitFor } from "./sso_support.ts";

const CALLERS = 50;

Deno.test(`${CALLERS} parallel cold logins of one identity make exactly 3 STS calls and all succeed`, async () => {
  const emu = await startEmulator({ https: false });
  const keys = emu.createUser({ name: "alice" });
  const sb = await createSandbox(THREE_LINK_YAML, {
    endpoint: emu.url,
    env: { BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey },
  });
  try {
    const runs = await Promise.all(
      Array.from({ length: CALLERS }, () => sb.run(["auth", "login", "audit"])),
    );
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    assert.equal(emu.calls("GetSessionToken"), 1);
    assert.equal(emu.calls("AssumeRole"), 2);
    assert.equal(emu.calls(), 3, "one chain's calls between all of them");
    assert.equal(runs.filter((r) => /still valid/.test(r.stdout + r.stderr)).length, CALLERS - 1);
    const exec = await sb.run(["auth", "exec", "-i", "audit", "--", ...boto3CallerArn(emu.url)]);
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(exec.stdout.trim(), "arn:aws:sts::444455556666:assumed-role/Audit/audit");
    assertNoSecrets(emu.secrets(), {
      output: runs.map((r) => r.stdout + r.stderr).join("") + exec.stderr,
    });
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("a login killed with SIGKILL while holding the identity's lock does not block the next one", async () => {
  const setup = await setUpSso();
  const { emu, sb } = setup;
  const env = { ...sb.env, ATMOS_FORCE_TTY: "true" };
  const [program, ...args] = atmosCommand();
  // The first login holds the lock while it waits for a browser approval that never comes.
  const first = new Deno.Command(program, {
    args: [...args, "auth", "login", "dev"],
    cwd: sb.project,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    const abandoned = await waitFor(() => emu.ssoPending()[0], "the first device authorization");
    const lock = join(sb.configDir, "aws", "sso", ".locks", "dev.lock");
    await Deno.stat(lock);
    const second = sb.run(["auth", "login", "dev"], { env: { ATMOS_FORCE_TTY: "true" } });
    let finished = false;
    second.then(() => finished = true);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(finished, false, "the second login waits while the first holds the lock");
    assert.deepEqual(emu.ssoPending(), [abandoned], "and has not started a sign-in of its own");
    first.kill("SIGKILL");
    await first.status;
    const next = await waitFor(
      () => emu.ssoPending().find((code) => code !== abandoned),
      "the second login's device authorization",
    );
    emu.ssoApprove(next);
    const result = await second;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(emu.calls("sso-oidc.StartDeviceAuthorization"), 2);
  } finally {
    try {
      first.kill("SIGKILL");
    } catch {
      // Already gone.
    }
    await first.status;
    await setup.cleanup();
  }
});
