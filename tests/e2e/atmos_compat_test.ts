/**
 * End-to-end tests of the compatibility gaps Atmos's own fixtures showed (issue 13, items 1–5),
 * each on a fixture under `testdata/atmos_compat/` shaped like the Atmos fixture it stands for:
 * custom commands merged into built-ins, one broken command not taking the others down,
 * `!include` of HCL files and with queries, and Atmos's flags on our commands.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { createSandbox, type Sandbox } from "./harness.ts";
import { copyTree } from "./stack_support.ts";

/** A sandbox whose project is a copy of `testdata/atmos_compat/<name>`. */
async function compatSandbox(name: string): Promise<Sandbox> {
  const sb = await createSandbox("");
  await Deno.remove(sb.project, { recursive: true });
  const fixture = fileURLToPath(new URL(`./testdata/atmos_compat/${name}`, import.meta.url));
  await copyTree(fixture, sb.project);
  return sb;
}

Deno.test("a custom terraform command merges into the built-in: terraform provision runs, terraform itself still works", async () => {
  const sb = await compatSandbox("flag_inheritance");
  try {
    const provision = await sb.run(["terraform", "provision", "mock", "-s", "dev"]);
    assert.equal(provision.code, 0, provision.stderr);
    assert.equal(provision.stdout, "Provisioning component: mock\nIn stack: dev\n");

    const help = await sb.run(["terraform", "provision", "--help"]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^ {2}atmos terraform provision \[component\]/m);
    assert.match(help.stdout, /^ {2}-s, --stack string +Stack name \(required\)$/m);
    const parent = await sb.run(["terraform", "--help"]);
    assert.match(parent.stdout, /^ {2}provision +Provision a terraform component$/m);

    // The built-in terraform is untouched.
    const plan = await sb.run(["terraform", "plan", "mock", "-s", "dev", "--dry-run"]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /terraform .*plan/);

    // The other commands of the file work (they were all rejected before).
    const info = await sb.run(["echo", "info", "--verbose"]);
    assert.equal(info.code, 0, info.stderr);
    assert.equal(info.stdout, "Info: basic line\nVerbose: more detail\n");
    const show = await sb.run(["show", "component", "mock", "-s", "dev"]);
    assert.equal(show.code, 0, show.stderr);
    assert.equal(show.stdout, "Component: mock stage=dev\n");
  } finally {
    await sb.cleanup();
  }
});

Deno.test("a custom command with steps named like a built-in fails alone, with file:line:col", async () => {
  const sb = await compatSandbox("flag_inheritance");
  try {
    await Deno.writeTextFile(
      join(sb.project, "clash.yaml"),
      `commands:
  - name: terraform
    commands:
      - name: plan
        steps: ["echo my plan"]
  - name: workflow
    steps: ["echo mine"]
`,
    );
    const config = ["--config", "atmos.yaml", "--config", "clash.yaml"];
    const plan = await sb.run([...config, "terraform", "plan", "mock", "-s", "dev", "--dry-run"]);
    assert.equal(plan.code, 2);
    assert.equal(plan.stdout, "");
    assert.match(
      plan.stderr,
      /^error: clash\.yaml:4:15: commands\.\d+\.commands\.\d+\.name: custom command "terraform plan" collides with the built-in "atmos terraform plan" \(rename the custom command\)$/m,
    );
    const workflow = await sb.run([...config, "workflow", "deploy"]);
    assert.equal(workflow.code, 2);
    assert.match(
      workflow.stderr,
      /^error: clash\.yaml:6:11: commands\.\d+\.name: custom command "workflow" has steps, but "atmos workflow" is a built-in command \(rename the custom command, or remove its steps to add subcommands under the built-in\)$/m,
    );
    // Everything else still works: terraform's other subcommands, the merged provision, the rest.
    const apply = await sb.run([...config, "terraform", "apply", "mock", "-s", "dev", "--dry-run"]);
    assert.equal(apply.code, 0, apply.stderr);
    const provision = await sb.run([...config, "terraform", "provision", "mock", "-s", "dev"]);
    assert.equal(provision.code, 0, provision.stderr);
    const info = await sb.run([...config, "echo", "info"]);
    assert.equal(info.code, 0, info.stderr);
    assert.equal(info.stdout, "Info: basic line\n");
  } finally {
    await sb.cleanup();
  }
});

Deno.test("one malformed custom command does not take the others down: greet Neo says Hello, Neo", async () => {
  const sb = await compatSandbox("custom_commands");
  try {
    const greet = await sb.run(["greet", "Neo"]);
    assert.equal(greet.code, 0, greet.stderr);
    assert.equal(greet.stdout, "Hello, Neo\n");
    const status = await sb.run(["ops", "status"]);
    assert.equal(status.code, 0, status.stderr);
    assert.equal(status.stdout, "System status is OK\n");

    const broken = await sb.run(["deploy-component", "vpc", "-s", "dev", "--auto-approve"]);
    assert.equal(broken.code, 2);
    assert.equal(broken.stdout, "");
    assert.equal(
      broken.stderr,
      `error: .atmos.d/advanced.yaml:25:9: commands.0.steps.1: this step is a map, not a command: YAML reads an unquoted step containing ": " as key: value (quote the whole step: - 'echo "Auto-approve: $TF_AUTO_APPROVE"')\n`,
    );

    // The root help lists every command and warns about the broken one.
    const help = await sb.run(["--help"]);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^ {2}greet +Greet someone/m);
    assert.match(
      help.stdout,
      /^ {2}deploy-component +Deploy a component.* \(invalid definition\)$/m,
    );
    assert.match(
      help.stderr,
      /^WARN custom command "deploy-component" is invalid: \.atmos\.d\/advanced\.yaml:25:9: /m,
    );
  } finally {
    await sb.cleanup();
  }
});

Deno.test("!include of a .tfvars file gives a map: list stacks and describe component work on the native-terraform shape", async () => {
  const sb = await compatSandbox("native_terraform");
  try {
    const list = await sb.run(["list", "stacks"]);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(list.stdout, "dev\nproduction\n");
    const json = await sb.run(["list", "stacks", "--format", "json"]); // Atmos's flag
    assert.deepEqual(JSON.parse(json.stdout), ["dev", "production"]);

    const described = await sb.run([
      "describe",
      "component",
      "vpc",
      "-s",
      "dev",
      "--query",
      ".vars",
      "--format",
      "json",
    ]);
    assert.equal(described.code, 0, described.stderr);
    // The varfile's values (strings, numbers, bools, lists of objects, maps, a heredoc and an
    // escaped template) win over _defaults.yaml, as the include replaces `vars` in dev.yaml.
    assert.deepEqual(JSON.parse(described.stdout), {
      banner: "Welcome to dev\n(managed by atmos)\n",
      cidr_block: "10.0.0.0/16",
      enable_dns_hostnames: false,
      environment: "dev",
      literal: "costs ${price}",
      max_azs: 3,
      ratio: 0.5,
      subnets: [{ cidr: "10.0.1.0/24", public: true }, { cidr: "10.0.2.0/24", public: false }],
      tags: { Environment: "Development", Team: "platform" },
    });
  } finally {
    await sb.cleanup();
  }
});

Deno.test("an HCL syntax error or expression in an included .tfvars is one located line (exit 2)", async () => {
  const sb = await compatSandbox("native_terraform");
  try {
    const varfile = join(sb.project, "components/terraform/vpc/envs/dev.tfvars");
    await Deno.writeTextFile(varfile, 'cidr_block = "10.0.0.0/16"\ntags = {\n  a = [1, 2\n}\n');
    const broken = await sb.run(["describe", "component", "vpc", "-s", "dev"]);
    assert.equal(broken.code, 2);
    assert.equal(broken.stdout, "");
    assert.match(
      broken.stderr,
      /^error: components\/terraform\/vpc\/envs\/dev\.tfvars:4:1: HCL syntax error: .+ \(in the file included at stacks\/dev\.yaml:13:13\) \(included HCL files hold attributes such as name = "value"\)$/m,
    );
    assert.doesNotMatch(broken.stderr, /\n\s+at /); // no stack trace

    await Deno.writeTextFile(varfile, "cidr_block = var.base_cidr\n");
    const expression = await sb.run(["list", "stacks"]);
    assert.equal(expression.code, 2);
    assert.match(
      expression.stderr,
      /^error: stacks\/dev\.yaml:13:13: !include "\.\.\/components\/terraform\/vpc\/envs\/dev\.tfvars": HCL attribute "cidr_block" is an expression \(\$\{var\.base_cidr\}\), not a literal value/m,
    );
  } finally {
    await sb.cleanup();
  }
});

Deno.test("!include with a query: paths (.list_var[0], .map_var.a) and jq expressions on JSON, YAML and HCL files", async () => {
  const sb = await compatSandbox("include_function");
  try {
    const vars = async (component: string) => {
      const result = await sb.run([
        "describe",
        "component",
        component,
        "-s",
        "nonprod",
        "-q",
        ".vars",
        "--format",
        "json",
      ]);
      assert.equal(result.code, 0, result.stderr);
      return JSON.parse(result.stdout);
    };
    assert.deepEqual(await vars("component-1"), {
      stage: "nonprod",
      string_var: "abc",
      boolean_var: true,
      list_var: ["a", "b", "c"],
      map_var: { a: 1, b: 2, c: 3 },
      first_item: "a",
      map_value: 1,
      fallback: "default",
      count: 3,
      picked: ["b", "c"],
      note: "A plain text note.\nKept as a string.\n",
    });
    const whole = { string_var: "abc", boolean_var: true, list_var: ["a", "b", "c"] };
    for (const component of ["component-2", "component-3", "component-4"]) {
      assert.deepEqual(await vars(component), {
        ...whole,
        map_var: { a: 1, b: 2, c: 3 },
        stage: "nonprod",
      });
    }
    assert.deepEqual(await vars("component-5"), {
      instance_type: "t3.micro",
      region: "us-west-2",
      stage: "nonprod",
    });

    // describe --query takes the same jq expressions.
    const keys = await sb.run([
      "describe",
      "component",
      "component-1",
      "-s",
      "nonprod",
      "-q",
      ".vars.map_var | keys",
      "--format",
      "json",
    ]);
    assert.equal(keys.code, 0, keys.stderr);
    assert.deepEqual(JSON.parse(keys.stdout), ["a", "b", "c"]);

    // A query jq cannot run is one located line.
    await Deno.writeTextFile(
      join(sb.project, "stacks/deploy/broken.yaml"),
      "vars:\n  stage: broken\ncomponents:\n  terraform:\n    c:\n      vars:\n        x: !include config/vars.json .list_var[] | .nope\n",
    );
    const bad = await sb.run(["describe", "component", "c", "-s", "broken"]);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /^error: stacks\/deploy\/broken\.yaml:7:12: !include "config\/vars\.json" query "\.list_var\[\] \| \.nope": Cannot index string with string "nope" \(use a path like/m,
    );
  } finally {
    await sb.cleanup();
  }
});

Deno.test("Atmos's auth flags work: validate --verbose, env -f env -o file, list --identities/--providers/--tags", async () => {
  const sb = await compatSandbox("auth");
  const secret = "EXAMPLESECRETACCESSKEY";
  try {
    const validate = await sb.run(["auth", "validate", "--verbose"]);
    assert.equal(validate.code, 0, validate.stderr);
    assert.equal(
      validate.stderr,
      [
        "✓ provider provider-oidc (github/oidc)",
        "✓ provider test-sso (aws/iam-identity-center)",
        "✓ identity oidc (aws/assume-role): chain provider-oidc → oidc",
        "✓ identity test-admin (aws/permission-set): chain test-sso → test-admin",
        "✓ identity test-role (aws/assume-role): chain test-sso → test-role",
        "✓ identity test-user (aws/user): chain test-user",
        "✓ Authentication configuration is valid",
        "",
      ].join("\n"),
    );
    const short = await sb.run(["auth", "validate", "-v"]);
    assert.equal(short.stderr, validate.stderr);

    const envFile = join(sb.home, "auth.env");
    const env = await sb.run(["auth", "env", "-i", "test-user", "-f", "env", "-o", envFile]);
    assert.equal(env.code, 0, env.stderr);
    assert.equal(env.stdout, "");
    const written = await Deno.readTextFile(envFile);
    assert.match(written, /^AWS_PROFILE=test-user$/m);
    assert.match(written, /^AWS_SHARED_CREDENTIALS_FILE=\/\S+\/credentials$/m);
    assert.equal((await Deno.stat(envFile)).mode! & 0o777, 0o600);

    const identities = await sb.run(["auth", "list", "--identities=oidc,test-user", "-f", "json"]);
    assert.equal(identities.code, 0, identities.stderr);
    const shown = JSON.parse(identities.stdout);
    assert.deepEqual(Object.keys(shown.identities), ["oidc", "test-user"]);
    assert.deepEqual(shown.providers, {});
    const providers = await sb.run(["auth", "list", "--providers", "-f", "json"]);
    assert.deepEqual(Object.keys(JSON.parse(providers.stdout).providers), [
      "provider-oidc",
      "test-sso",
    ]);
    assert.deepEqual(JSON.parse(providers.stdout).identities, {});
    const tagged = await sb.run(["auth", "list", "--tags", "ci", "-f", "json"]);
    const ci = JSON.parse(tagged.stdout);
    assert.deepEqual([Object.keys(ci.providers), Object.keys(ci.identities)], [
      ["provider-oidc"],
      ["oidc"],
    ]);
    const both = await sb.run(["auth", "list", "--providers", "--identities"]);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /--providers and --identities are mutually exclusive/);

    for (const out of [validate, env, identities, providers, tagged]) {
      assert.ok(!(out.stdout + out.stderr).includes(secret), "a configured secret was printed");
    }
    assert.ok(!written.includes(secret));
  } finally {
    await sb.cleanup();
  }
});

Deno.test("Atmos's global and per-command flags are accepted: real ones act, no-ops say so, unsupported ones stop with exit 2", async () => {
  const sb = await compatSandbox("auth");
  try {
    // -C and --logs-level act before anything reads the configuration.
    const elsewhere = await sb.run(
      ["-C", sb.project, "--logs-level", "Debug", "auth", "env", "-i", "test-user"],
      { cwd: sb.home },
    );
    assert.equal(elsewhere.code, 0, elsewhere.stderr);
    assert.match(elsewhere.stderr, /^DEBU config: /m);
    assert.match(elsewhere.stdout, /^export AWS_PROFILE=test-user$/m);

    const version = await sb.run(["version", "--format", "json"]);
    assert.equal(version.code, 0, version.stderr);
    assert.match(JSON.parse(version.stdout).version, /^\d+\.\d+\.\d+$/);

    const noColor = await sb.run(["auth", "list", "--no-color", "--mask"]);
    assert.equal(noColor.code, 0, noColor.stderr);
    assert.equal(
      noColor.stderr,
      "note: --no-color has no effect here: atmos prints no colours\n" +
        "note: --mask has no effect here: secrets never reach atmos's output, so there is nothing to mask\n",
    );

    const webflow = await sb.run(["auth", "login", "-i", "test-user", "--webflow"]);
    assert.equal(webflow.code, 2);
    assert.equal(
      webflow.stderr,
      'error: --webflow is not supported by this atmos: browser sign-in for aws/user is not supported (run "atmos auth login --help")\n',
    );
    const all = await sb.run(["terraform", "plan", "--all"]);
    assert.equal(all.code, 2);
    assert.match(all.stderr, /^error: --all is not supported by this atmos: /m);
  } finally {
    await sb.cleanup();
  }
});
