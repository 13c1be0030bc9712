import assert from "node:assert/strict";
import { ConfigError, formatErrorLine } from "../../lib/errors.ts";
import { loadConfig } from "../../lib/config/load.ts";
import { brokenCommands, parseCommands } from "../../lib/commands/schema.ts";
import { envOf, makeTree, removeTree } from "../config/helpers.ts";

async function commandsOf(files: Record<string, string>) {
  const root = await makeTree(files);
  try {
    const loaded = await loadConfig({ cwd: root, env: envOf({ HOME: root }) });
    return parseCommands(loaded);
  } finally {
    await removeTree(root);
  }
}

/** The error of the first broken command definition. */
async function errorOf(files: Record<string, string>): Promise<string> {
  const [broken] = brokenCommands(await commandsOf(files));
  assert.ok(broken?.error instanceof ConfigError, "expected a broken command");
  return formatErrorLine(broken.error);
}

Deno.test("parseCommands() reads arguments, flags, env, steps, identity and nested commands", async () => {
  const [deploy, tools] = await commandsOf({
    "atmos.yaml": `commands:
  - name: deploy
    description: Deploy
    identity: prod
    verbose: true
    arguments:
      - { name: component, description: C, required: true }
      - { name: stack, default: dev }
    flags:
      - { name: dry-run, type: bool, default: false, usage: Dry }
      - { name: region, shorthand: r, default: us-east-1 }
    env:
      - { key: A, value: "{{ .Arguments.component }}" }
      - { key: B, valueCommand: echo b }
    steps:
      - terraform plan
      - { type: atmos, command: version, name: v, env: { X: 1 }, working_directory: sub }
  - name: tools
    flags: [{ name: stack, shorthand: s }]
    commands:
      - name: show
        flags: [{ name: stack, shorthand: s }]
        env: { Z: z, Y: { valueCommand: echo y } }
        steps: [echo hi]
`,
  });
  assert.equal(deploy.identity, "prod");
  assert.equal(deploy.verbose, true);
  assert.deepEqual(deploy.arguments, [
    { name: "component", description: "C", required: true, default: undefined },
    { name: "stack", description: "", required: false, default: "dev" },
  ]);
  assert.deepEqual(
    deploy.flags.map((f) => [f.name, f.type, f.shorthand, f.default, f.description]),
    [
      ["dry-run", "bool", undefined, false, "Dry"],
      ["region", "string", "r", "us-east-1", ""],
    ],
  );
  assert.deepEqual(
    deploy.env.map((e) => [e.key, "value" in e ? e.value : `$(${e.valueCommand})`]),
    [
      ["A", "{{ .Arguments.component }}"],
      ["B", "$(echo b)"],
    ],
  );
  const [plan, version] = deploy.steps;
  assert.ok(plan.type === "shell" && version.type === "atmos");
  assert.deepEqual([plan.name, plan.command], ["step1", "terraform plan"]);
  assert.deepEqual([version.name, version.command, version.env], ["v", "version", { X: "1" }]);
  assert.equal(version.workingDirectory, "sub");
  // The nested command reuses its parent's --stack (same type) instead of declaring it again.
  assert.deepEqual(tools.commands[0].flags, []);
  assert.deepEqual(tools.commands[0].env.map((e) => e.key), ["Y", "Z"]);
});

Deno.test("parseCommands() locates problems in the file that defines the command", async () => {
  assert.equal(
    await errorOf({
      "atmos.yaml": "commands:\n  - name: mine\n    steps: [x]\n",
      ".atmos.d/more.yaml": "commands:\n  - name: other\n    steps: [{ command: x, retyr: 1 }]\n",
    }),
    '.atmos.d/more.yaml:3:34: commands.0.steps.0.retyr: unknown key "retyr"; did you mean "retry"? (keys of shell steps: name, type, command, env, working_directory, retry, output)',
  );
  assert.match(
    await errorOf({
      ".atmos.d/a.yaml": "commands:\n  - name: first\n    steps: [x]\n",
      "atmos.yaml": "commands:\n  - name: second\n    flags:\n      - { name: n, type: int }\n",
    }),
    /^atmos\.yaml:4:26: commands\.1\.flags\.0\.type: flag type "int" is not supported/,
  );
});

Deno.test("parseCommands() rejects reserved, duplicate and clashing flags", async () => {
  const flags = (list: string) => ({
    "atmos.yaml": `commands:\n  - name: c\n    flags: ${list}\n    steps: [x]\n`,
  });
  assert.match(await errorOf(flags("[{ name: identity }]")), /flag name "identity" is reserved/);
  assert.match(
    await errorOf(flags("[{ name: a, shorthand: h }]")),
    /shorthand "h" is reserved for --help/,
  );
  assert.match(await errorOf(flags("[{ name: a }, { name: a }]")), /duplicate flag "a"/);
  assert.match(
    await errorOf(flags("[{ name: a, shorthand: x }, { name: b, shorthand: x }]")),
    /duplicate shorthand "-x"/,
  );
  assert.match(await errorOf(flags("[{ name: a, shorthand: xy }]")), /must be one letter or digit/);
  assert.match(
    await errorOf({
      "atmos.yaml": `commands:
  - name: p
    flags: [{ name: s, type: bool }]
    commands:
      - { name: c, flags: [{ name: s }], steps: [x] }
`,
    }),
    /flag "--s" has type string but a parent command declares it as bool/,
  );
});

Deno.test("parseCommands() rejects env with both value and valueCommand, unsupported keys and odd arguments", async () => {
  const one = (body: string) => ({
    "atmos.yaml": `commands:\n  - name: c\n${body}    steps: [x]\n`,
  });
  assert.match(
    await errorOf(one("    env: [{ key: A, value: a, valueCommand: b }]\n")),
    /env A has both value and valueCommand/,
  );
  assert.match(
    await errorOf(one("    aliases: [x]\n")),
    /"aliases" is not supported by this atmos/,
  );
  assert.match(
    await errorOf(one("    idnetity: x\n")),
    /unknown key "idnetity"; did you mean "identity"\?/,
  );
  assert.match(
    await errorOf(one("    arguments: [{ name: a }, { name: b, required: true }]\n")),
    /required argument "b" follows an optional one/,
  );
  assert.match(
    await errorOf(one("    component_config: { component: x }\n")),
    /component_config: missing stack:/,
  );
});

Deno.test("parseCommands() keeps the other commands when one definition is broken", async () => {
  const commands = await commandsOf({
    "atmos.yaml": `commands:
  - name: greet
    steps: ["echo Hello"]
  - name: deploy-component
    description: Deploy
    steps:
      - echo "Auto-approve: $TF_AUTO_APPROVE"
  - name: ops
    commands:
      - name: status
        steps: [echo ok]
      - name: health
        steps: [{ type: markdown, content: x }]
  - name: greet
    steps: [echo again]
`,
  });
  assert.deepEqual(commands.map((c) => [c.name, c.error === undefined]), [
    ["greet", true],
    ["deploy-component", false],
    ["ops", true],
    ["greet", false],
  ]);
  assert.equal(commands[1].description, "Deploy");
  assert.equal(
    formatErrorLine(commands[1].error),
    `atmos.yaml:7:9: commands.1.steps.0: this step is a map, not a command: YAML reads an unquoted step containing ": " as key: value (quote the whole step: - 'echo "Auto-approve: $TF_AUTO_APPROVE"')`,
  );
  assert.deepEqual(commands[2].commands.map((c) => [c.name, c.error === undefined]), [
    ["status", true],
    ["health", false],
  ]);
  assert.match(
    formatErrorLine(commands[3].error),
    /^atmos\.yaml:14:11: .*duplicate command "greet"/,
  );
  assert.deepEqual(brokenCommands(commands).map((c) => c.name), [
    "deploy-component",
    "health",
    "greet",
  ]);
});
