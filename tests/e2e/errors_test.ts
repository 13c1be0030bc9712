/**
 * Bad input end to end: every bad configuration or command line gives one `error:` line on
 * stderr (with `atmos.yaml:<line>:<col>` and the config path for config problems), no stack
 * trace, exit code 2, and no network call.
 */
import assert from "node:assert/strict";
import { startEmulator } from "../emulator/mod.ts";
import { createSandbox, type RunResult, type Sandbox } from "./harness.ts";

/** A config problem and the exact location/path/message fragments it must be reported with. */
interface BadConfig {
  name: string;
  yaml: string;
  /** `atmos.yaml:<line>:<col>: <config path>` */
  where: string;
  /** Fragments the message must contain. */
  says: string[];
}

const ROLE = "arn:aws:iam::111122223333:role/Admin";

const BAD_CONFIGS: BadConfig[] = [
  {
    name: "malformed YAML",
    yaml: `auth:
  identities:
    prod:
      kind: aws/user
     default: true
`,
    where: "atmos.yaml:5:1",
    says: ["malformed YAML"],
  },
  {
    name: "an unclosed flow map",
    yaml: `auth:
  identities:
    prod: {kind: aws/user
`,
    where: "atmos.yaml:3:11",
    says: ["malformed YAML", "the brace { opened here is never closed"],
  },
  {
    name: "an unclosed quote",
    yaml: `auth:
  identities:
    prod:
      kind: "aws/user
      default: true
`,
    where: "atmos.yaml:4:13",
    says: ['the double quote " opened here is never closed', 'add the closing "'],
  },
  {
    name: "an alias inside its own anchor",
    yaml: `auth:
  identities:
    prod: &p
      kind: aws/user
      default: true
      again: [*p]
`,
    where: "atmos.yaml:6:15",
    says: ["alias *p refers to itself"],
  },
  {
    name: "nesting deeper than 100 levels",
    yaml: `auth:\n  identities: {}\ndeep:\n${
      Array.from({ length: 101 }, (_, i) => `${"  ".repeat(i + 1)}k${i}:\n`).join("")
    }`,
    where: "atmos.yaml:103:201",
    says: ["nested too deeply (more than 100 levels"],
  },
  {
    name: "an unknown identity kind",
    yaml: `auth:
  identities:
    base:
      kind: aws/user
    prod:
      kind: aws/assume-rol
      default: true
      via: { identity: base }
      principal: { assume_role: ${ROLE} }
`,
    where: "atmos.yaml:6:13: auth.identities.prod.kind",
    says: ['unknown identity kind "aws/assume-rol"', 'did you mean "aws/assume-role"?'],
  },
  {
    name: "an unknown provider kind",
    yaml: `auth:
  providers:
    gh:
      kind: github/oidcc
      spec: { audience: sts.amazonaws.com }
  identities:
    prod:
      kind: aws/assume-role
      default: true
      via: { provider: gh }
      principal: { assume_role: ${ROLE} }
`,
    where: "atmos.yaml:4:13: auth.providers.gh.kind",
    says: ['unknown provider kind "github/oidcc"', 'did you mean "github/oidc"?'],
  },
  {
    name: "a via cycle",
    yaml: `auth:
  identities:
    a:
      kind: aws/assume-role
      default: true
      via: { identity: b }
      principal: { assume_role: ${ROLE} }
    b:
      kind: aws/assume-role
      via: { identity: a }
      principal: { assume_role: ${ROLE} }
`,
    where: "atmos.yaml:6:24: auth.identities.a.via.identity",
    says: ["cycle", "a -> b -> a"],
  },
  {
    name: "a missing identity referenced by via",
    yaml: `auth:
  identities:
    prod-admin:
      kind: aws/user
    deploy:
      kind: aws/assume-role
      default: true
      via:
        identity: prd-admin
      principal: { assume_role: ${ROLE} }
`,
    where: "atmos.yaml:9:19: auth.identities.deploy.via.identity",
    says: ['unknown identity "prd-admin"', 'did you mean "prod-admin"?'],
  },
  {
    name: "both via.provider and via.identity",
    yaml: `auth:
  providers:
    gh:
      kind: github/oidc
      spec: { audience: sts.amazonaws.com }
  identities:
    base:
      kind: aws/user
    prod:
      kind: aws/assume-role
      default: true
      via:
        provider: gh
        identity: base
      principal: { assume_role: ${ROLE} }
`,
    where: "atmos.yaml:12:7: auth.identities.prod.via",
    says: ["via.provider", "via.identity"],
  },
  {
    name: "a missing principal.assume_role",
    yaml: `auth:
  identities:
    base:
      kind: aws/user
    prod:
      kind: aws/assume-role
      default: true
      via: { identity: base }
      principal:
        session_name: me
`,
    where: "atmos.yaml:9:7: auth.identities.prod.principal.assume_role",
    says: ["principal.assume_role is required"],
  },
  {
    name: "an unknown key",
    yaml: `auth:
  identities:
    base:
      kind: aws/user
    prod:
      kind: aws/assume-role
      default: true
      via: { identity: base }
      principle:
        assume_role: ${ROLE}
`,
    where: "atmos.yaml:9:7: auth.identities.prod.principle",
    says: ['unknown identity field "principle"', 'did you mean "principal"?'],
  },
  {
    name: "a map where a principal field takes a string",
    yaml: `auth:
  identities:
    base:
      kind: aws/user
    prod:
      kind: aws/assume-role
      via: { identity: base }
      principal:
        assume_role: ${ROLE}
        session_name: { a: 1 }
`,
    where: "atmos.yaml:10:9: auth.identities.prod.principal.session_name",
    says: ['"session_name" must be a string, not a map'],
  },
  {
    name: "a misspelt principal field",
    yaml: `auth:
  identities:
    base:
      kind: aws/user
    prod:
      kind: aws/assume-role
      via: { identity: base }
      principal:
        asume_role: ${ROLE}
`,
    where: "atmos.yaml:9:21: auth.identities.prod.principal.asume_role",
    says: ['unknown principal field "asume_role"', 'did you mean "assume_role"?'],
  },
  {
    name: "a list where credentials.access_key_id takes a string",
    yaml: `auth:
  identities:
    base:
      kind: aws/user
      credentials:
        access_key_id: [AKIA1, AKIA2]
        secret_access_key: s
`,
    where: "atmos.yaml:6:9: auth.identities.base.credentials.access_key_id",
    says: ['"access_key_id" must be a string, not a list'],
  },
];

/** Starts an emulator and a sandbox pointed at it; the test asserts it was never called. */
async function withEmulator(
  yaml: string,
  body: (sb: Sandbox) => Promise<void>,
): Promise<number> {
  const emu = await startEmulator();
  const keys = emu.createUser({ name: "alice" });
  const sb = await createSandbox(yaml, {
    endpoint: emu.url,
    env: { AWS_ACCESS_KEY_ID: keys.accessKeyId, AWS_SECRET_ACCESS_KEY: keys.secretAccessKey },
  });
  try {
    await body(sb);
    return emu.calls();
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
}

/** Asserts exit 2, empty stdout and exactly one `error:` line on stderr; returns that line. */
function assertOneLine(result: RunResult, label: string): string {
  assert.equal(result.code, 2, `${label}: exit code (stderr: ${result.stderr})`);
  assert.equal(result.stdout, "", `${label}: stdout`);
  const lines = result.stderr.split("\n");
  assert.equal(lines.length, 2, `${label}: expected one line, got:\n${result.stderr}`);
  assert.equal(lines[1], "");
  assert.match(lines[0], /^error: /, label);
  assertNoStack(result.stderr, label);
  return lines[0];
}

function assertNoStack(text: string, label: string): void {
  assert.doesNotMatch(text, /^\s+at /m, `${label}: stack trace in:\n${text}`);
  assert.doesNotMatch(text, /file:\/\//, `${label}: source path in:\n${text}`);
}

function assertNames(line: string, bad: BadConfig, label: string): void {
  assert.ok(
    line.startsWith(`error: ${bad.where}: `),
    `${label}: "${line}" must start with "${bad.where}"`,
  );
  for (const fragment of bad.says) {
    assert.ok(line.includes(fragment), `${label}: "${line}" must contain ${fragment}`);
  }
}

for (const bad of BAD_CONFIGS) {
  Deno.test(`${bad.name} is one located line with exit 2 from login, exec and validate, and no network call`, async () => {
    const calls = await withEmulator(bad.yaml, async (sb) => {
      const [login, exec, validate] = await Promise.all([
        sb.run(["auth", "login"]),
        sb.run(["auth", "exec", "--", "true"]),
        sb.run(["auth", "validate"]),
      ]);
      assertNames(assertOneLine(login, "auth login"), bad, "auth login");
      assertNames(assertOneLine(exec, "auth exec"), bad, "auth exec");

      assert.equal(validate.code, 2, validate.stderr);
      assertNoStack(validate.stderr, "auth validate");
      const errors = validate.stderr.split("\n").filter((l) => l.startsWith("error: "));
      assert.equal(errors.length, 1, validate.stderr);
      assertNames(errors[0], bad, "auth validate");
    });
    assert.equal(calls, 0, "the emulator was called");
  });
}

Deno.test("auth validate lists every problem, one located line each", async () => {
  const yaml = `auth:
  providers:
    gh:
      kind: github/oidcc
  identities:
    base:
      kind: aws/user
    a:
      kind: aws/assume-rol
      via: { identity: base }
      principal: { assume_role: ${ROLE} }
    b:
      kind: aws/assume-role
      via: { identity: c }
      principal: { assume_role: ${ROLE} }
    c:
      kind: aws/assume-role
      via: { identity: b }
      principal: { assume_role: ${ROLE} }
    d:
      kind: aws/assume-role
      via: { identity: bse }
      principle: { assume_role: ${ROLE} }
`;
  const calls = await withEmulator(yaml, async (sb) => {
    const result = await sb.run(["auth", "validate"]);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, "");
    assertNoStack(result.stderr, "auth validate");
    const lines = result.stderr.trimEnd().split("\n");
    const errors = lines.filter((l) => l.startsWith("error: "));
    assert.equal(lines.length, errors.length + 1, "only error lines and one summary line");
    assert.match(lines[lines.length - 1], /5 problem/);
    const expected = [
      "atmos.yaml:4:13: auth.providers.gh.kind: unknown provider kind",
      "atmos.yaml:9:13: auth.identities.a.kind: unknown identity kind",
      "atmos.yaml:14:24: auth.identities.b.via.identity: identity chain has a cycle: b -> c -> b",
      'atmos.yaml:22:24: auth.identities.d.via.identity: unknown identity "bse"',
      'atmos.yaml:23:7: auth.identities.d.principle: unknown identity field "principle"',
    ];
    for (const want of expected) {
      assert.equal(
        errors.filter((l) => l.startsWith(`error: ${want}`)).length,
        1,
        `missing "${want}" in:\n${result.stderr}`,
      );
    }
    assert.equal(errors.length, expected.length, result.stderr);
  });
  assert.equal(calls, 0);
});

Deno.test("a self-referencing alias in a workflow manifest and deep nesting in a stack manifest are one located line", async () => {
  const yaml = `workflows:
  base_path: wf
stacks:
  base_path: stacks
  included_paths: ["**/*"]
  name_pattern: "{stage}"
`;
  const deep = Array.from({ length: 101 }, (_, i) => `${"  ".repeat(i + 4)}k${i}:\n`).join("");
  await withEmulator(yaml, async (sb) => {
    await Deno.mkdir(`${sb.project}/wf`);
    await Deno.mkdir(`${sb.project}/stacks`);
    await Deno.writeTextFile(
      `${sb.project}/wf/bad.yaml`,
      "workflows:\n  deploy: &d\n    steps:\n      - command: echo hi\n    again: *d\n",
    );
    await Deno.writeTextFile(
      `${sb.project}/stacks/dev.yaml`,
      `vars:\n  stage: dev\ncomponents:\n  terraform:\n    vpc:\n      vars:\n${deep}`,
    );
    const workflow = assertOneLine(await sb.run(["workflow", "deploy", "-f", "bad"]), "workflow");
    assert.match(workflow, /^error: wf\/bad\.yaml:5:12: alias \*d refers to itself/);
    const stacks = assertOneLine(await sb.run(["describe", "stacks"]), "describe stacks");
    assert.match(stacks, /^error: stacks\/dev\.yaml:103:201: YAML is nested too deeply/);
  });
});

Deno.test("auth login with several problems in its chain shows the first and points at validate", async () => {
  const yaml = `auth:
  identities:
    x:
      kind: aws/assume-role
      default: true
      via: { identity: y }
      principle: { assume_role: ${ROLE} }
    y:
      kind: aws/usr
`;
  const calls = await withEmulator(yaml, async (sb) => {
    for (const args of [["auth", "login"], ["auth", "exec", "--", "true"]]) {
      const line = assertOneLine(await sb.run(args), args.join(" "));
      assert.ok(
        line.startsWith(
          'error: atmos.yaml:7:7: auth.identities.x.principle: unknown identity field "principle"',
        ),
        line,
      );
      assert.match(line, /1 more problem\(s\): run "atmos auth validate"/);
    }
  });
  assert.equal(calls, 0);
});

Deno.test("a config error in an --config file names that file", async () => {
  const calls = await withEmulator("auth: {}\n", async (sb) => {
    await Deno.writeTextFile(
      `${sb.project}/other.yaml`,
      "auth:\n  identities:\n    x: { kind: aws/usr }\n",
    );
    const result = await sb.run(["auth", "validate", "--config", "other.yaml"]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^error: other\.yaml:3:16: auth\.identities\.x\.kind: unknown/m);
  });
  assert.equal(calls, 0);
});

const GOOD_YAML = `auth:
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
      principal: { assume_role: ${ROLE} }
`;

const BAD_COMMAND_LINES: { args: string[]; says: string[] }[] = [
  {
    args: ["auth", "login", "-i", "prd-admin"],
    says: ['unknown identity "prd-admin"', 'did you mean "prod-admin"?'],
  },
  {
    args: ["auth", "login", "prd-admin"],
    says: ['unknown identity "prd-admin"', 'did you mean "prod-admin"?'],
  },
  {
    args: ["auth", "exec", "-i", "prd-admin", "--", "true"],
    says: ['unknown identity "prd-admin"', 'did you mean "prod-admin"?'],
  },
  {
    args: ["auth", "exec", "--identity=prd-admin", "--", "true"],
    says: ['unknown identity "prd-admin"', 'did you mean "prod-admin"?'],
  },
  {
    args: ["auth", "env", "--format", "yaml"],
    says: ['invalid value "yaml" for --format', "bash, json, dotenv, env, github"],
  },
  {
    args: ["auth", "env", "--format=xml", "-i", "prod-admin"],
    says: ['invalid value "xml" for --format'],
  },
  {
    args: ["auth", "list", "--format", "yaml"],
    says: ['invalid value "yaml" for --format', "table, tree, json"],
  },
  { args: ["auth", "env", "--format"], says: ["flag --format needs a value"] },
  {
    args: ["auth", "lgoin"],
    says: ['unknown command "lgoin" for "atmos auth"', 'did you mean "login"?'],
  },
  { args: ["auht", "list"], says: ['unknown command "auht"', 'did you mean "auth"?'] },
  {
    args: ["auth", "list", "--fromat", "json"],
    says: ['unknown flag "--fromat"', 'did you mean "--format"?'],
  },
  {
    args: ["auth", "exec", "--identiy", "prod-admin", "--", "true"],
    says: ['unknown flag "--identiy"', 'did you mean "--identity"?'],
  },
  { args: ["auth", "list", "-z"], says: ["unknown shorthand flag 'z'"] },
  { args: ["auth", "exec"], says: ["no command given"] },
  { args: ["auth", "exec", "-i", "prod-admin"], says: ["no command given"] },
  { args: ["auth", "list", "extra"], says: ['unexpected argument "extra"'] },
  { args: ["auth", "login", "a", "b"], says: ["too many arguments"] },
  {
    args: ["version", "--format", "xml"],
    says: ['invalid value "xml" for --format', "json, yaml"],
  },
  { args: ["auth", "env", "--identity="], says: ["--identity needs a name"] },
  { args: ["auth", "login", "--identity=off"], says: ["authentication is disabled"] },
  {
    args: ["auth", "list", "--config", "missing.yaml"],
    says: ['config file "missing.yaml" not found'],
  },
];

Deno.test("bad command lines are one line each with exit 2 and no network call", async () => {
  const calls = await withEmulator(GOOD_YAML, async (sb) => {
    // Four at a time: each is a separate atmos process.
    for (let i = 0; i < BAD_COMMAND_LINES.length; i += 4) {
      await Promise.all(
        BAD_COMMAND_LINES.slice(i, i + 4).map(async (bad) => {
          const label = `atmos ${bad.args.join(" ")}`;
          const line = assertOneLine(await sb.run(bad.args), label);
          for (const fragment of bad.says) {
            assert.ok(line.includes(fragment), `${label}: "${line}" must contain ${fragment}`);
          }
        }),
      );
    }
  });
  assert.equal(calls, 0, "the emulator was called");
});

Deno.test("a runtime failure is one line with exit 1, and ATMOS_LOGS_LEVEL=Debug adds the stack", async () => {
  const emu = await startEmulator();
  // Keys the emulator never issued: STS refuses them.
  const unknownKey = "AKIAUNKNOWNKEY123456";
  const unknownSecret = "unknownSecretValue/0123456789abcdefghij";
  const sb = await createSandbox(GOOD_YAML, {
    endpoint: emu.url,
    env: { BASE_AK: unknownKey, BASE_SK: unknownSecret },
  });
  try {
    const plain = await sb.run(["auth", "login"]);
    assert.equal(plain.code, 1, plain.stderr);
    const lines = plain.stderr.split("\n");
    assert.equal(lines.length, 2, plain.stderr);
    assert.match(lines[0], /^error: .*"base".*InvalidClientTokenId/);
    assertNoStack(plain.stderr, "auth login");
    assert.equal(emu.calls("GetSessionToken"), 1);

    const debug = await sb.run(["auth", "login"], { env: { ATMOS_LOGS_LEVEL: "Debug" } });
    assert.equal(debug.code, 1);
    assert.ok(debug.stderr.includes(lines[0]), "the same error line is printed");
    assert.match(debug.stderr, /^\s+at .*lib\/auth\//m, "a stack trace at debug level");
    for (const text of [plain.stdout, plain.stderr, debug.stdout, debug.stderr]) {
      assert.ok(!text.includes(unknownSecret), "the secret key is never printed");
    }
  } finally {
    await sb.cleanup();
    await emu.stop();
  }
});

Deno.test("a config error at debug level still starts with the one located line", async () => {
  const bad = BAD_CONFIGS.find((b) => b.name === "a via cycle")!;
  const calls = await withEmulator(bad.yaml, async (sb) => {
    const result = await sb.run(["auth", "login"], { env: { ATMOS_LOGS_LEVEL: "Debug" } });
    assert.equal(result.code, 2);
    const first = result.stderr.split("\n").find((l) => l.startsWith("error: "));
    assert.ok(first, result.stderr);
    assertNames(first, bad, "debug");
  });
  assert.equal(calls, 0);
});
