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
