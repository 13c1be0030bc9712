/**
 * Identity selection end to end (reference atmos-auth.md §6), mostly through
 * `auth env --format json`, which plans a session without any network call.
 */
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import { createSandbox, DUMP_CHILD, type RunResult, type Sandbox } from "./harness.ts";

const ROLE = "arn:aws:iam::111122223333:role";

function config(defaults: { prod?: boolean; dev?: boolean } = { prod: true }): string {
  return `auth:
  identities:
    base:
      kind: aws/user
      credentials:
        access_key_id: AKIAEXAMPLEBASE00001
        secret_access_key: exampleBaseSecretKey/0123456789abcdefghij
        region: us-west-2
    prod-admin:
      kind: aws/assume-role
${defaults.prod ? "      default: true\n" : ""}      via: { identity: base }
      principal: { assume_role: ${ROLE}/ProdAdmin }
    dev:
      kind: aws/assume-role
${defaults.dev ? "      default: true\n" : ""}      via: { identity: base }
      principal: { assume_role: ${ROLE}/Dev }
`;
}

async function withSandbox(yaml: string, body: (sb: Sandbox) => Promise<void>): Promise<void> {
  const sb = await createSandbox(yaml);
  try {
    await body(sb);
  } finally {
    await sb.cleanup();
  }
}

/** Runs `auth env --format json` and returns the identity it selected. */
async function selected(sb: Sandbox, args: string[], env: Record<string, string> = {}) {
  const result = await sb.run(["auth", "env", "--format", "json", ...args], { env });
  assert.equal(result.code, 0, `${args.join(" ")}: ${result.stderr}`);
  const vars = JSON.parse(result.stdout);
  assert.equal(vars.AWS_PROFILE, vars.ATMOS_IDENTITY);
  return vars.ATMOS_IDENTITY as string;
}

function assertUsageLine(result: RunResult, ...fragments: string[]): string {
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, "");
  const lines = result.stderr.split("\n");
  assert.equal(lines.length, 2, `one line expected:\n${result.stderr}`);
  for (const fragment of fragments) {
    assert.ok(lines[0].includes(fragment), `"${lines[0]}" must contain ${fragment}`);
  }
  return lines[0];
}

Deno.test("the single default: true identity is used when nothing else selects one", async () => {
  await withSandbox(config({ prod: true }), async (sb) => {
    assert.equal(await selected(sb, []), "prod-admin");
    await withSandbox(config({ dev: true }), async (other) => {
      assert.equal(await selected(other, []), "dev");
    });
  });
});

Deno.test("-i NAME, -iNAME, --identity NAME and --identity=NAME all select NAME over the default", async () => {
  await withSandbox(config(), async (sb) => {
    const forms = [["-i", "dev"], ["-idev"], ["-i=dev"], ["--identity", "dev"], ["--identity=dev"]];
    await Promise.all(forms.map(async (args) => {
      assert.equal(await selected(sb, args), "dev", args.join(" "));
    }));
    // Flags of the auth group may come before the subcommand too.
    const result = await sb.run(["auth", "-i", "dev", "env", "--format", "json"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).ATMOS_IDENTITY, "dev");
  });
});

Deno.test("ATMOS_IDENTITY beats the default and the flag beats ATMOS_IDENTITY", async () => {
  await withSandbox(config(), async (sb) => {
    assert.equal(await selected(sb, [], { ATMOS_IDENTITY: "dev" }), "dev");
    assert.equal(await selected(sb, ["-i", "prod-admin"], { ATMOS_IDENTITY: "dev" }), "prod-admin");
    assert.equal(await selected(sb, [], { ATMOS_IDENTITY: "" }), "prod-admin");
  });
});

Deno.test("identity names are case-insensitive and resolve to the configured spelling", async () => {
  await withSandbox(config(), async (sb) => {
    assert.equal(await selected(sb, ["-i", "PROD-ADMIN"]), "prod-admin");
    assert.equal(await selected(sb, ["--identity=Dev"]), "dev");
    assert.equal(await selected(sb, [], { ATMOS_IDENTITY: "DEV" }), "dev");
  });
});

Deno.test("an unknown ATMOS_IDENTITY is one line with exit 2 and a suggestion", async () => {
  await withSandbox(config(), async (sb) => {
    const result = await sb.run(["auth", "env"], { env: { ATMOS_IDENTITY: "prd-admin" } });
    assertUsageLine(result, 'unknown identity "prd-admin"', 'did you mean "prod-admin"?');
  });
});

Deno.test("bare --identity without a terminal is one line with exit 2 listing the identities", async () => {
  await withSandbox(config(), async (sb) => {
    const commands = [
      ["auth", "env", "--identity"],
      ["auth", "env", "--identity", "--format", "json"],
      ["auth", "env", "-i"],
      ["auth", "exec", "--identity", "--", "true"],
      ["auth", "login", "--identity"],
    ];
    await Promise.all(commands.map(async (args) => {
      const result = await sb.run(args);
      assertUsageLine(result, "--identity needs a value", "base, dev, prod-admin");
    }));
  });
});

Deno.test("no default and no flag is exit 2 with a hint naming the ways to choose", async () => {
  await withSandbox(config({}), async (sb) => {
    for (const args of [["auth", "env"], ["auth", "exec", "--", "true"], ["auth", "login"]]) {
      assertUsageLine(
        await sb.run(args),
        "no default identity configured",
        "--identity",
        "ATMOS_IDENTITY",
        "base, dev, prod-admin",
      );
    }
    // ...and an explicit identity still works.
    assert.equal(await selected(sb, ["-i", "dev"]), "dev");
  });
});

Deno.test("two default identities are exit 2 listing both", async () => {
  await withSandbox(config({ prod: true, dev: true }), async (sb) => {
    const line = assertUsageLine(
      await sb.run(["auth", "env"]),
      "multiple default identities",
    );
    assert.match(line, /dev, prod-admin/);
    assert.equal(await selected(sb, ["-i", "prod-admin"]), "prod-admin");
  });
});

Deno.test("--identity=false|0|no|off and ATMOS_IDENTITY=off run the child with the parent env untouched", async () => {
  const emu = await startEmulator();
  const parent = {
    AWS_ACCESS_KEY_ID: "AKIAPARENTKEY0000001",
    AWS_SECRET_ACCESS_KEY: "parentSecret",
    AWS_PROFILE: "parent-profile",
    AWS_REGION: "eu-west-1",
  };
  const sb = await createSandbox(config(), { endpoint: emu.url, env: parent });
  try {
    const cases: { args: string[]; env?: Record<string, string> }[] = [
      { args: ["--identity=false"] },
      { args: ["--identity=0"] },
      { args: ["--identity=no"] },
      { args: ["--identity=off"] },
      { args: ["--identity=OFF"] },
      { args: ["-i", "off"] },
      { args: [], env: { ATMOS_IDENTITY: "off" } },
      { args: [], env: { ATMOS_IDENTITY: "False" } },
    ];
    await Promise.all(cases.map(async (c) => {
      const label = `${c.args.join(" ")} ${JSON.stringify(c.env ?? {})}`;
      const result = await sb.run(["auth", "exec", ...c.args, "--", ...DUMP_CHILD], { env: c.env });
      assert.equal(result.code, 0, `${label}: ${result.stderr}`);
      const child = JSON.parse(result.stdout);
      for (const [key, value] of Object.entries(parent)) {
        assert.equal(child.env[key], value, `${label}: ${key}`);
      }
      assert.equal(child.env.AWS_SHARED_CREDENTIALS_FILE, undefined, label);
      assert.equal(child.env.AWS_CONFIG_FILE, undefined, label);
      assert.equal(child.env.ATMOS_IDENTITY, c.env?.ATMOS_IDENTITY, label);
    }));
    assert.equal(emu.calls(), 0);

    // auth env with authentication disabled prints nothing.
    const env = await sb.run(["auth", "env", "--identity=off"]);
    assert.equal(env.code, 0, env.stderr);
    assert.equal(env.stdout, "");
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("auth exec --identity NAME logs in NAME and does not swallow the command after --", async () => {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "alice" });
  const yaml = config().replace("AKIAEXAMPLEBASE00001", "!env BASE_AK").replace(
    "exampleBaseSecretKey/0123456789abcdefghij",
    "!env BASE_SK",
  );
  const sb = await createSandbox(yaml, {
    endpoint: emu.url,
    env: { BASE_AK: keys.accessKeyId, BASE_SK: keys.secretAccessKey },
  });
  try {
    const result = await sb.run(["auth", "exec", "--identity", "dev", "--", ...DUMP_CHILD]);
    assert.equal(result.code, 0, result.stderr);
    const child = JSON.parse(result.stdout);
    assert.equal(child.env.AWS_PROFILE, "dev");
    assert.deepEqual(child.argv.slice(1), []);
    assert.equal(emu.calls("AssumeRole"), 1);
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("an identity named like an auth subcommand, given before the subcommand, still selects it", async () => {
  // `atmos auth -i list env`: "list" is the flag's value, not the subcommand atmos loads first.
  const yaml = config().replace("    dev:\n", "    list:\n");
  await withSandbox(yaml, async (sb) => {
    const result = await sb.run(["auth", "-i", "list", "env", "--format", "json"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).ATMOS_IDENTITY, "list");
    const bad = await sb.run(["auth", "-i", "list", "env", "--bogus"]);
    assertUsageLine(bad, 'unknown flag "--bogus" for "atmos auth env"');
  });
});
