/**
 * The JSON Schema of atmos.yaml: the committed file is the generated one, it is a valid
 * draft-07 schema (ajv, strict mode), every fixture atmos.yaml under tests/ is valid against it
 * exactly as far as atmos's own validator says, and its closed sections refuse the same
 * unknown keys the validator refuses.
 */
import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { Ajv } from "ajv";
import { loadConfig, type LoadedConfig } from "../../lib/config/load.ts";
import {
  CONSOLE_KEYS,
  KEYRING_KEYS,
  KEYRING_SPEC_KEYS,
  LOGS_KEYS,
  REALM_PATTERN,
  validateAuth,
  validateRealm,
} from "../../lib/config/validate_auth.ts";
import { registry } from "../../lib/auth/registry/mod.ts";
import { ConfigError } from "../../lib/errors.ts";
import { brokenCommands, parseCommands } from "../../lib/commands/schema.ts";
import { workflowsDir } from "../../lib/workflow/files.ts";
import { STACKS_FIELDS, stackSettings, WORKFLOWS_FIELDS } from "../../lib/stack/settings.ts";
import { atmosSchemaTables, atmosSchemaText } from "../../lib/cli/commands/schema_run.ts";
import { buildAtmosSchema } from "../../lib/config/schema/build.ts";
import { createSandbox, ROOT } from "../e2e/harness.ts";

const SCHEMA_FILE = join(ROOT, "lib", "config", "schema", "atmos.schema.json");

function validator() {
  const ajv = new Ajv({ strict: true, allErrors: true, allowUnionTypes: true });
  return ajv.compile(JSON.parse(Deno.readTextFileSync(SCHEMA_FILE)));
}

/** Every atmos.yaml (and atmos.yml, .atmos.yaml) under tests/. */
function fixtures(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) walk(path);
      else if (["atmos.yaml", "atmos.yml", ".atmos.yaml"].includes(entry.name)) found.push(path);
    }
  };
  walk(join(ROOT, "tests"));
  return found.sort();
}

async function load(file: string): Promise<LoadedConfig> {
  const env: Record<string, string> = { HOME: "/nonexistent-home" };
  return await loadConfig({ cwd: dirname(file), env: { get: (n) => env[n] }, configFiles: [file] });
}

/** The merged configuration as a document (without the loader's own `base_path_abs`). */
function documentOf(loaded: LoadedConfig): unknown {
  const { base_path_abs: _, ...config } = loaded.config;
  return JSON.parse(JSON.stringify(config));
}

/** Dotted paths of the schema's errors (`auth.providers.sso.regoin`). */
function schemaErrorPaths(errors: { instancePath: string; params: Record<string, unknown> }[]) {
  return errors.map((e) => {
    const parts = e.instancePath.split("/").slice(1).map((p) =>
      p.replaceAll("~1", "/").replaceAll("~0", "~")
    );
    const extra = e.params.additionalProperty ?? e.params.missingProperty;
    return [...parts, ...(typeof extra === "string" ? [extra] : [])].join(".");
  });
}

/** Dotted paths of the validators' issues (auth: all of them; custom commands: the first). */
function validatorPaths(loaded: LoadedConfig): string[] {
  const issues = validateAuth(loaded, registry.kindLists());
  try {
    issues.push(...brokenCommands(parseCommands(loaded)).map((c) => c.error!).slice(0, 1));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    issues.push(error);
  }
  return issues.map((issue) => issue.location?.path ?? issue.message.split(": ")[0]);
}

/** One path at or below the other. */
function related(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

Deno.test("lib/config/schema/atmos.schema.json is exactly what the tables generate", async () => {
  assert.equal(Deno.readTextFileSync(SCHEMA_FILE), await atmosSchemaText(), "run deno task schema");
});

Deno.test("atmos schema prints the committed schema", async () => {
  const sb = await createSandbox("");
  try {
    const result = await sb.run(["schema"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, Deno.readTextFileSync(SCHEMA_FILE));
  } finally {
    await sb.cleanup();
  }
});

Deno.test("the schema is a valid draft-07 schema (ajv strict mode)", () => {
  assert.equal(typeof validator(), "function");
});

Deno.test("every fixture atmos.yaml under tests/ is valid against the schema exactly when atmos accepts it", async () => {
  const validate = validator();
  const files = fixtures();
  assert.ok(files.length >= 15, `found ${files.length} fixtures`);
  let invalid = 0;
  for (const file of files) {
    const name = relative(ROOT, file);
    const loaded = await load(file);
    const valid = validate(documentOf(loaded));
    const issues = validatorPaths(loaded);
    if (issues.length === 0) {
      assert.ok(
        valid,
        `${name}: atmos accepts it, the schema does not: ${JSON.stringify(validate.errors)}`,
      );
      continue;
    }
    invalid++;
    assert.ok(!valid, `${name}: atmos reports ${issues.join(", ")}; the schema accepts it`);
    for (const path of schemaErrorPaths(validate.errors ?? [])) {
      assert.ok(
        issues.some((issue) => related(issue, path)),
        `${name}: the schema refuses ${path}; atmos reports only ${issues.join(", ")}`,
      );
    }
  }
  assert.ok(invalid >= 2, "the invalid fixtures were seen");
});

Deno.test("the schema refuses an unknown key in every closed auth section, as the validator does", () => {
  const validate = validator();
  const base = {
    providers: { p: { kind: "github/oidc" } },
    identities: { i: { kind: "aws/assume-role", via: { provider: "p" } } },
  };
  const sections: [string, (bogus: Record<string, unknown>) => unknown][] = [
    ["auth", (b) => ({ ...base, ...b })],
    ["auth.logs", (b) => ({ ...base, logs: { level: "Info", ...b } })],
    ["auth.keyring", (b) => ({ ...base, keyring: { type: "file", ...b } })],
    ["auth.keyring.spec", (b) => ({ ...base, keyring: { spec: { path: "/x", ...b } } })],
    ["auth.console", (b) => ({ ...base, console: { isolated: false, ...b } })],
    ["auth.providers.p", (b) => ({ ...base, providers: { p: { kind: "github/oidc", ...b } } })],
    [
      "auth.providers.p.session",
      (b) => ({
        ...base,
        providers: { p: { kind: "github/oidc", session: { duration: "1h", ...b } } },
      }),
    ],
    ["auth.identities.i", (b) => ({ ...base, identities: { i: { ...base.identities.i, ...b } } })],
    [
      "auth.identities.i.via",
      (b) => ({
        ...base,
        identities: { i: { kind: "aws/assume-role", via: { provider: "p", ...b } } },
      }),
    ],
  ];
  for (const [path, build] of sections) {
    const good = { auth: build({}) };
    const bad = { auth: build({ bogus_key: "x" }) };
    assert.ok(validate(good), `${path}: ${JSON.stringify(validate.errors)}`);
    assert.ok(!validate(bad), `${path}: the schema accepts bogus_key`);
    assert.deepEqual(schemaErrorPaths(validate.errors ?? []), [`${path}.bogus_key`]);
    const issues = validateAuth(loadedOf(bad), registry.kindLists()).map((i) =>
      i.location?.path ?? i.message
    );
    assert.ok(
      issues.some((i) => i.startsWith(`${path}.bogus_key`)),
      `${path}: ${issues.join("; ")}`,
    );
  }
  // The lists the nested sections come from are the validator's own.
  const properties = (section: string) =>
    Object.keys(
      section.split(".").reduce(
        (node: Record<string, unknown>, key) =>
          (node.properties as Record<string, Record<string, unknown>>)[key],
        JSON.parse(Deno.readTextFileSync(SCHEMA_FILE)) as Record<string, unknown>,
      ).properties as Record<string, unknown>,
    );
  assert.deepEqual(properties("auth.logs"), LOGS_KEYS);
  assert.deepEqual(properties("auth.keyring"), KEYRING_KEYS);
  assert.deepEqual(properties("auth.keyring.spec"), KEYRING_SPEC_KEYS);
  assert.deepEqual(properties("auth.console"), CONSOLE_KEYS);
});

/** A LoadedConfig over a plain document (no files). */
function loadedOf(config: Record<string, unknown>): LoadedConfig {
  return {
    config: { ...config },
    files: [],
    layers: [],
    basePath: "/",
    locate: () => undefined,
  } as unknown as LoadedConfig;
}

Deno.test("the schema's kinds are the registry's, and its realm pattern agrees with validateRealm", async () => {
  const schema = buildAtmosSchema(await atmosSchemaTables()) as {
    definitions: Record<string, { properties: { kind: { enum: string[] } } }>;
  };
  assert.deepEqual(
    schema.definitions.provider.properties.kind.enum,
    registry.kindLists().providerKinds,
  );
  assert.deepEqual(
    schema.definitions.identity.properties.kind.enum,
    registry.kindLists().identityKinds,
  );
  const samples = [
    "team-a",
    "a",
    "a1_b2",
    "x".repeat(64),
    "x".repeat(65),
    "",
    "Team",
    "-a",
    "a-",
    "_a",
    "a_",
    "a--b",
    "a__b",
    "a-_b",
    "a_-b",
    "a/b",
    "a..b",
    "a.b",
    "日本",
    "a b",
    "0",
    "9-9",
  ];
  for (const realm of samples) {
    assert.equal(REALM_PATTERN.test(realm), validateRealm(realm) === undefined, `realm "${realm}"`);
  }
});

Deno.test("the stacks and workflows readers read only keys their field tables list", () => {
  const read = new Set<string>();
  const recorder = (prefix: string, target: Record<string, unknown>): Record<string, unknown> =>
    new Proxy(target, {
      get(object, key) {
        if (typeof key === "string") read.add(`${prefix}.${key}`);
        const value = Reflect.get(object, key);
        return value && typeof value === "object" && !Array.isArray(value)
          ? recorder(`${prefix}.${String(key)}`, value as Record<string, unknown>)
          : value;
      },
    });
  const config = {
    stacks: recorder("stacks", { base_path: "stacks", included_paths: ["**/*"], inherit: {} }),
    workflows: recorder("workflows", { base_path: "workflows" }),
  };
  stackSettings(loadedOf(config), { get: () => undefined });
  workflowsDir(loadedOf(config), {});
  const listed = new Set<string>();
  const walk = (prefix: string, table: Record<string, unknown>) => {
    for (const [key, type] of Object.entries(table)) {
      listed.add(`${prefix}.${key}`);
      if (typeof type === "object") walk(`${prefix}.${key}`, type as Record<string, unknown>);
    }
  };
  walk("stacks", STACKS_FIELDS as Record<string, unknown>);
  walk("workflows", WORKFLOWS_FIELDS as Record<string, unknown>);
  const unlisted = [...read].filter((key) =>
    !listed.has(key) && !/\.(constructor|then|toJSON)$/.test(key)
  );
  assert.deepEqual(unlisted, []);
  assert.ok(read.has("stacks.base_path") && read.has("workflows.base_path"));
});

Deno.test("the schema refuses an unknown key in every part of a custom command, as the validator does", () => {
  const validate = validator();
  const command = (b: Record<string, unknown>, at: string) => ({
    name: "deploy",
    arguments: [{ name: "component", ...(at === "arguments.0" ? b : {}) }],
    flags: [{ name: "stack", shorthand: "s", ...(at === "flags.0" ? b : {}) }],
    env: [{ key: "A", value: "1", ...(at === "env.0" ? b : {}) }],
    steps: ["echo hi", { command: "echo {{ .Flags.stack }}", ...(at === "steps.1" ? b : {}) }],
    component_config: { component: "vpc", stack: "prod", ...(at === "component_config" ? b : {}) },
    ...(at === "" ? b : {}),
  });
  for (const at of ["", "arguments.0", "flags.0", "env.0", "steps.1", "component_config"]) {
    const path = ["commands.0", at].filter((p) => p !== "").join(".");
    assert.ok(
      validate({ commands: [command({}, at)] }),
      `${path}: ${JSON.stringify(validate.errors)}`,
    );
    const good = parseCommands(loadedOf({ commands: [command({}, at)] }));
    assert.deepEqual(good.map((c) => c.error), [undefined]);
    const bad = { commands: [command({ bogus_key: 1 }, at)] };
    assert.ok(!validate(bad), `${path}: the schema accepts bogus_key`);
    assert.ok(
      schemaErrorPaths(validate.errors ?? []).includes(`${path}.bogus_key`),
      `${path}: ${JSON.stringify(schemaErrorPaths(validate.errors ?? []))}`,
    );
    const [broken] = brokenCommands(parseCommands(loadedOf(bad)));
    assert.ok(broken?.error?.message.startsWith(`${path}.bogus_key: unknown key`));
  }
});
