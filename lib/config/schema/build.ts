/**
 * The JSON Schema (draft-07) of atmos.yaml, generated from the tables the readers and
 * validators use — never written by hand, so it cannot drift from them:
 *
 * - `auth:` from the key lists of validate_auth.ts (closed: unknown keys are errors there, so
 *   `additionalProperties: false` here) and the kinds of the auth registry;
 * - `commands:` from the key tables of the custom-command validator (closed likewise);
 * - `stacks:` and `workflows:` from the field tables of their readers (open: other keys are
 *   allowed and ignored, as Atmos has many more).
 *
 * The schema is never stricter than atmos (a file atmos accepts is valid); atmos checks more
 * than the schema can say (references, `via` chains, cycles, kind-specific fields). YAML
 * `null` (a key with no value) is accepted wherever atmos treats it as absent.
 * `lib/config/schema/atmos.schema.json` is the committed output (`deno task schema` writes it,
 * `atmos schema` prints it; a test keeps them equal).
 *
 * @module
 */
import {
  AUTH_KEYS,
  CONSOLE_KEYS,
  ENV_ENTRY_KEYS,
  IDENTITY_BOOLEANS,
  IDENTITY_KEYS,
  IDENTITY_MAPS,
  IDENTITY_SESSION_KEYS,
  IDENTITY_STRINGS,
  KEYRING_KEYS,
  KEYRING_SPEC_KEYS,
  KEYRING_TYPES,
  type KindTables,
  LOG_LEVELS,
  LOGS_KEYS,
  PROVIDER_BOOLEANS,
  PROVIDER_CONSOLE_KEYS,
  PROVIDER_KEYS,
  PROVIDER_STRINGS,
  REALM_PATTERN,
  REFRESH_MODES,
  SESSION_KEYS,
  VIA_KEYS,
} from "../validate_auth.ts";
import { type FieldTable, type FieldType, isTable } from "../fields.ts";

/** A JSON Schema node (plain JSON). */
export type JsonSchema = { [key: string]: unknown };

/** The key tables of the custom-command validator (`commands:`). */
export interface CommandTables {
  /** Keys of a command. */
  command: readonly string[];
  /** Keys of an `arguments:` entry. */
  argument: readonly string[];
  /** Keys of a `flags:` entry. */
  flag: readonly string[];
  /** Values of a flag's `type`. */
  flagTypes: readonly string[];
  /** Keys of an entry of an `env:` list. */
  envEntry: readonly string[];
  /** Keys of `component_config`. */
  componentConfig: readonly string[];
  /** Keys of a map step. */
  step: readonly string[];
  /** Values of a step's `type`. */
  stepTypes: readonly string[];
  /** Command and flag names (regular expression source). */
  namePattern: string;
  /** A flag's `shorthand` (regular expression source). */
  shorthandPattern: string;
}

/** The fields of each kind's closed sections (`spec`, `principal`, `credentials`). */
export interface KindFieldTables {
  providers: Record<string, { spec?: FieldTable }>;
  identities: Record<
    string,
    { spec?: FieldTable; principal?: FieldTable; credentials?: FieldTable }
  >;
}

/** Everything the schema is generated from. */
export interface SchemaTables {
  kinds: KindTables;
  kindFields: KindFieldTables;
  stacks: FieldTable;
  workflows: FieldTable;
  commands: CommandTables;
}

const NULL = { type: "null" };
const STRING = { type: ["string", "null"] };
const BOOLEAN = { type: ["boolean", "null"] };
const MAP = { type: ["object", "null"] };
const STRINGS = { type: ["array", "null"], items: { type: "string" } };
const SCALAR = { type: ["string", "number", "boolean"] };

/** Builds the schema of atmos.yaml from the validators' and readers' tables. */
export function buildAtmosSchema(tables: SchemaTables): JsonSchema {
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "atmos.yaml",
    description:
      "Configuration of atmos (Deno): auth, custom commands, workflows and stacks settings. Other Atmos sections are allowed and ignored.",
    type: "object",
    properties: {
      base_path: { ...STRING, description: "base directory of the project (default: .)" },
      import: { type: ["string", "array", "null"], items: { type: "string" } },
      auth: authSchema(),
      commands: {
        ...listOf({ $ref: "#/definitions/command" }),
        description: "custom commands: atmos <name> runs their steps",
      },
      workflows: { ...fieldsSchema(tables.workflows), description: "workflow settings" },
      stacks: { ...fieldsSchema(tables.stacks), description: "stack manifests settings" },
    },
    definitions: {
      provider: {
        ...providerSchema(tables.kinds),
        allOf: perKind(tables.kindFields.providers, ["spec"]),
      },
      identity: {
        ...identitySchema(tables.kinds),
        allOf: perKind(tables.kindFields.identities, ["spec", "principal", "credentials"]),
      },
      command: commandSchema(tables.commands),
    },
  };
}

/** A closed map whose keys are `keys`, each described by `describe` (which must know it). */
function closed(
  where: string,
  keys: readonly string[],
  describe: (key: string) => JsonSchema | undefined,
): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const key of keys) {
    const schema = describe(key);
    if (!schema) throw new Error(`the schema builder does not know ${where}.${key}: describe it`);
    properties[key] = schema;
  }
  return { type: ["object", "null"], additionalProperties: false, properties };
}

function stringMap(where: string, keys: readonly string[]): JsonSchema {
  return closed(where, keys, () => STRING);
}

function authSchema(): JsonSchema {
  const parts: Record<string, JsonSchema> = {
    realm: {
      ...STRING,
      pattern: REALM_PATTERN.source,
      description: "credential isolation namespace: a path segment below <config>/atmos",
    },
    logs: closed(
      "auth.logs",
      LOGS_KEYS,
      (key) => key === "level" ? { enum: [...LOG_LEVELS, "", null] } : STRING,
    ),
    keyring: closed(
      "auth.keyring",
      KEYRING_KEYS,
      (key) =>
        key === "type"
          ? { enum: [...KEYRING_TYPES, null], description: "credential store for long-lived keys" }
          : key === "spec"
          ? stringMap("auth.keyring.spec", KEYRING_SPEC_KEYS)
          : undefined,
    ),
    console: closed("auth.console", CONSOLE_KEYS, () => BOOLEAN),
    providers: {
      type: ["object", "null"],
      additionalProperties: { $ref: "#/definitions/provider" },
      description: "where the first credentials of a chain come from, by name",
    },
    identities: {
      type: ["object", "null"],
      additionalProperties: { $ref: "#/definitions/identity" },
      description: "identities to log in as, by name",
    },
    integrations: { description: "accepted and ignored" },
  };
  return {
    ...closed("auth", AUTH_KEYS, (key) => parts[key]),
    description: "cloud identities (atmos auth)",
  };
}

function kindSchema(kinds: string[], what: string): JsonSchema {
  return kinds.length > 0
    ? { type: "string", enum: kinds, description: `the ${what} kind` }
    : { type: "string", minLength: 1 };
}

function providerSchema(kinds: KindTables): JsonSchema {
  const parts: Record<string, JsonSchema> = {
    kind: kindSchema(kinds.providerKinds, "provider"),
    session: stringMap("provider.session", SESSION_KEYS),
    console: stringMap("provider.console", PROVIDER_CONSOLE_KEYS),
    spec: MAP,
    tags: STRINGS,
  };
  const describe = (key: string) =>
    parts[key] ??
      (PROVIDER_STRINGS.includes(key)
        ? STRING
        : PROVIDER_BOOLEANS.includes(key)
        ? BOOLEAN
        : undefined);
  return { ...closed("provider", PROVIDER_KEYS, describe), type: "object", required: ["kind"] };
}

function identitySchema(kinds: KindTables): JsonSchema {
  const parts: Record<string, JsonSchema> = {
    kind: kindSchema(kinds.identityKinds, "identity"),
    via: {
      ...stringMap("identity.via", VIA_KEYS),
      minProperties: 1,
      description: "the provider or identity this one authenticates through (exactly one)",
    },
    session: closed(
      "identity.session",
      IDENTITY_SESSION_KEYS,
      (key) =>
        key === "refresh"
          ? {
            enum: [...REFRESH_MODES, null],
            description:
              "files: renew the credential files in the background (default); process: AWS clients ask atmos (credential_process)",
          }
          : STRING,
    ),
    tags: STRINGS,
    env: {
      description: "variables given to commands run as this identity",
      anyOf: [
        NULL,
        {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ENV_ENTRY_KEYS,
            properties: Object.fromEntries(
              ENV_ENTRY_KEYS.map((
                key,
              ) => [key, key === "key" ? { type: "string", minLength: 1 } : SCALAR]),
            ),
          },
        },
        { type: "object", additionalProperties: SCALAR },
      ],
    },
  };
  const describe = (key: string) =>
    parts[key] ??
      (IDENTITY_STRINGS.includes(key)
        ? STRING
        : IDENTITY_BOOLEANS.includes(key)
        ? BOOLEAN
        : IDENTITY_MAPS.includes(key)
        ? MAP
        : undefined);
  return { ...closed("identity", IDENTITY_KEYS, describe), type: "object", required: ["kind"] };
}

function commandSchema(tables: CommandTables): JsonSchema {
  const name = { type: "string", pattern: tables.namePattern };
  const envValue = { type: ["string", "number", "boolean", "null"] };
  const parts: Record<string, JsonSchema> = {
    name: { ...name, description: "atmos <name> runs this command" },
    description: STRING,
    identity: { ...STRING, description: "identity for every step (--identity overrides it)" },
    working_directory: STRING,
    verbose: BOOLEAN,
    arguments: listOf({
      ...closed(
        "commands.arguments",
        tables.argument,
        (key) =>
          key === "name"
            ? { type: "string", pattern: "\\S" }
            : key === "required"
            ? BOOLEAN
            : key === "default"
            ? envValue
            : STRING,
      ),
      type: "object",
      required: ["name"],
    }),
    flags: listOf({
      ...closed(
        "commands.flags",
        tables.flag,
        (key) =>
          key === "name"
            ? name
            : key === "shorthand"
            ? { type: ["string", "null"], pattern: tables.shorthandPattern }
            : key === "type"
            ? { enum: [...tables.flagTypes, null] }
            : key === "required"
            ? BOOLEAN
            : key === "default"
            ? envValue
            : STRING,
      ),
      type: "object",
      required: ["name"],
    }),
    env: {
      description: "variables for the steps: NAME: value, or a list of {key, value|valueCommand}",
      anyOf: [
        NULL,
        {
          type: "object",
          additionalProperties: {
            anyOf: [envValue, {
              type: "object",
              properties: { value: envValue, valueCommand: STRING },
            }],
          },
        },
        listOf({
          ...closed(
            "commands.env",
            tables.envEntry,
            (key) =>
              key === "key"
                ? { type: "string", pattern: "\\S" }
                : key === "value"
                ? envValue
                : STRING,
          ),
          type: "object",
          required: ["key"],
        }),
      ],
    },
    steps: listOf({
      anyOf: [
        { type: "string" },
        {
          ...closed("commands.steps", tables.step, (key) => stepValue(key, tables, envValue)),
          type: "object",
        },
      ],
    }),
    component_config: {
      ...closed(
        "commands.component_config",
        tables.componentConfig,
        () => ({ type: "string", pattern: "\\S" }),
      ),
      required: [...tables.componentConfig],
    },
    commands: listOf({ $ref: "#/definitions/command" }),
  };
  return {
    ...closed("commands", tables.command, (key) => parts[key]),
    type: "object",
    required: ["name"],
  };
}

/** The schema of a step key's value (the validator checks each step type's keys). */
function stepValue(key: string, tables: CommandTables, envValue: JsonSchema): JsonSchema {
  const object = { type: ["object", "null"] };
  const values: Record<string, JsonSchema> = {
    type: { enum: [...tables.stepTypes, null] },
    command: { type: "string", pattern: "\\S" },
    env: { ...object, additionalProperties: envValue },
    vars: { ...object, additionalProperties: envValue },
    retry: object,
    matrix: object,
    fail: object,
    output: { type: ["string", "object", "null"] },
    options: listOf(envValue),
    needs: STRINGS,
    steps: { type: ["array", "null"] },
    export: { type: ["boolean", "null"] },
    password: { type: ["boolean", "null"] },
    max_concurrency: { type: ["integer", "null"], minimum: 0 },
    default: envValue,
  };
  return values[key] ?? STRING;
}

/**
 * One `if kind is K then its sections are closed tables` clause per kind; a section a kind does
 * not list takes no fields (as the validator says).
 */
function perKind(
  fields: Record<string, Record<string, FieldTable | undefined>>,
  sections: readonly string[],
): JsonSchema[] {
  return Object.entries(fields).map(([kind, tables]) => ({
    if: { properties: { kind: { const: kind } }, required: ["kind"] },
    then: {
      properties: Object.fromEntries(
        sections.map((section) => [section, closedFieldsSchema(tables[section] ?? {})]),
      ),
    },
  }));
}

function closedFieldsSchema(fields: FieldTable): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, type] of Object.entries(fields)) {
    properties[key] = isTable(type) ? closedFieldsSchema(type) : fieldSchema(type);
  }
  return { type: ["object", "null"], additionalProperties: false, properties };
}

function listOf(items: JsonSchema): JsonSchema {
  return { type: ["array", "null"], items };
}

function fieldsSchema(fields: FieldTable): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [key, type] of Object.entries(fields)) properties[key] = fieldSchema(type);
  return { type: ["object", "null"], properties };
}

function fieldSchema(type: FieldType): JsonSchema {
  if (isTable(type)) return fieldsSchema(type);
  if (typeof type === "object") return { enum: [...type.oneOf, null] };
  switch (type) {
    case "string":
      return STRING;
    case "boolean":
      return BOOLEAN;
    case "map":
      return MAP;
    case "integer":
      return { type: ["integer", "null"] };
    case "scalar":
      return { type: ["string", "number", "null"] };
    case "duration":
      return {
        type: ["string", "number", "null"],
        description: "a Go duration (1h30m) or seconds",
      };
    case "strings":
      return { type: ["array", "null"], items: { type: "string" } };
    case "string[]":
      // Readers take a single string where a list is expected.
      return { type: ["array", "string", "null"], items: { type: "string" } };
  }
}

/** The schema as the committed file holds it: 2-space JSON and a final newline. */
export function schemaText(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
