/**
 * Structural validation of the `auth:` section (atmos-auth.md §2, §3.1, §7): field types,
 * kinds, `via` rules, references, cycles, unknown keys, realm, keyring and log settings.
 * Every problem is a located {@linkcode ConfigError}; kind-specific checks belong to the auth
 * layer, which can build the same errors with {@linkcode configIssue}.
 *
 * @module
 */

import type { ConfigError } from "../errors.ts";
import { configIssue } from "./issue.ts";
import type { LoadedConfig } from "./load.ts";
import { isRecord } from "./merge.ts";
import { didYouMean } from "./suggest.ts";
import { typeName } from "./fields.ts";
import { envNameProblem } from "../env.ts";
import {
  caseCollisions,
  type ChainProblem,
  findName,
  identityNameProblem,
  nameList,
  providerNameProblem,
  ViaGraph,
} from "./names.ts";

/** The kinds the auth layer implements. An empty list disables that kind check. */
export interface KindTables {
  providerKinds: string[];
  identityKinds: string[];
  /** Identity kinds that authenticate on their own and must not have `via` (e.g. `aws/user`). */
  standaloneIdentityKinds: string[];
}

type Path = (string | number)[];

/** Keys allowed directly under `auth:`. */
export const AUTH_KEYS = [
  "realm",
  "logs",
  "keyring",
  "console",
  "providers",
  "identities",
  "integrations",
];

/** Keys allowed on a provider. */
export const PROVIDER_KEYS = [
  "kind",
  "region",
  "start_url",
  "url",
  "username",
  "password",
  "driver",
  "provider_type",
  "download_browser_driver",
  "browser_type",
  "browser_executable_path",
  "auto_provision_identities",
  "session",
  "console",
  "default",
  "spec",
  "tags",
];

/** Keys allowed on an identity. */
export const IDENTITY_KEYS = [
  "kind",
  "default",
  "required",
  "via",
  "principal",
  "credentials",
  "spec",
  "alias",
  "env",
  "session",
  "provider",
  "emulator",
  "tags",
];

/** Accepted `auth.logs.level` values (exact spelling, as Atmos's validator). */
export const LOG_LEVELS = ["Debug", "Info", "Warn", "Error"];

/** Accepted `auth.keyring.type` values. */
export const KEYRING_TYPES = ["system", "file", "memory"];

/** Keys allowed under `auth.logs`. */
export const LOGS_KEYS = ["level", "file"];
/** Keys allowed under `auth.keyring`. */
export const KEYRING_KEYS = ["type", "spec"];
/** Keys allowed under `auth.keyring.spec`. */
export const KEYRING_SPEC_KEYS = ["path", "password_env"];
/** Keys allowed under `auth.console`. */
export const CONSOLE_KEYS = ["isolated"];
/** Keys allowed under a `via` (exactly one of them, non-empty). */
export const VIA_KEYS = ["provider", "identity"];
/** Keys of one `env` list entry of an identity. */
export const ENV_ENTRY_KEYS = ["key", "value"];
/** Keys allowed under a provider's `session`. */
export const SESSION_KEYS = ["duration"];
/** Keys allowed under an identity's `session`. */
export const IDENTITY_SESSION_KEYS = ["duration", "refresh"];
/**
 * `session.refresh` of an identity: `files` (default) renews the credential files in the
 * background; `process` makes AWS clients ask atmos (`credential_process`) when they need to.
 */
export const REFRESH_MODES = ["files", "process"];
/** Keys allowed under a provider's `console`. */
export const PROVIDER_CONSOLE_KEYS = ["session_duration"];

/** Provider keys whose value is a string. */
export const PROVIDER_STRINGS = [
  "region",
  "start_url",
  "url",
  "username",
  "password",
  "driver",
  "provider_type",
  "browser_type",
  "browser_executable_path",
];
/** Provider keys whose value is true or false. */
export const PROVIDER_BOOLEANS = [
  "default",
  "auto_provision_identities",
  "download_browser_driver",
];
/** Identity keys whose value is a string. */
export const IDENTITY_STRINGS = ["alias", "provider", "emulator"];
/** Identity keys whose value is true or false. */
export const IDENTITY_BOOLEANS = ["default", "required"];
/** Identity keys whose value is a map (checked by the identity's kind). */
export const IDENTITY_MAPS = ["spec", "principal", "credentials"];

/**
 * The realms {@linkcode validateRealm} accepts, as one regular expression (for the JSON
 * Schema; a test keeps the two in agreement).
 */
export const REALM_PATTERN = /^(?!.*[-_]{2})[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$/;

/**
 * Returns why `name` is not a valid realm, or `undefined` when it is valid:
 * `^[a-z0-9_-]+$`, at most 64 characters, no leading/trailing `-`/`_`, no `--`, `__`, `-_`, `_-`.
 */
export function validateRealm(name: string): string | undefined {
  if (name === "") return "realm must not be empty";
  if (name.length > 64) return `realm "${name}" is longer than 64 characters`;
  if (/[\\/]|\.\./.test(name)) {
    return `realm "${name}" must not contain "/", "\\" or ".."`;
  }
  if (!/^[a-z0-9_-]+$/.test(name)) {
    return `realm "${name}" may contain only lowercase letters, digits, "-" and "_"`;
  }
  if (/^[-_]|[-_]$/.test(name)) return `realm "${name}" must not start or end with "-" or "_"`;
  if (/--|__|-_|_-/.test(name)) {
    return `realm "${name}" must not contain "--", "__", "-_" or "_-"`;
  }
  return undefined;
}

/** Validates the `auth:` section structurally; returns every problem found (empty when valid). */
export function validateAuth(loaded: LoadedConfig, kinds: KindTables): ConfigError[] {
  const issues: ConfigError[] = [];
  const add = (path: Path, message: string, hint?: string) => {
    issues.push(configIssue(loaded, path, message, hint));
  };
  const auth: unknown = loaded.config.auth;
  if (auth === undefined || auth === null) return issues;
  if (!isRecord(auth)) {
    add(["auth"], `"auth" must be a map, not ${typeName(auth)}`);
    return issues;
  }
  checkUnknownKeys(add, ["auth"], auth, AUTH_KEYS, "auth setting");
  checkRealm(add, auth.realm);
  checkLogs(add, auth.logs);
  checkKeyring(add, auth.keyring);
  checkConsole(add, auth.console);

  const providers = tableOf(add, auth, "providers");
  const identities = tableOf(add, auth, "identities");
  checkCaseCollisions(add, "providers", providers);
  checkCaseCollisions(add, "identities", identities);
  const graph = new ViaGraph(
    { providers, identities },
    (kind) => typeof kind === "string" && kinds.standaloneIdentityKinds.includes(kind),
  );
  for (const [name, provider] of Object.entries(providers)) {
    checkProvider(add, name, provider, kinds);
  }
  for (const [name, identity] of Object.entries(identities)) {
    checkIdentity(add, name, identity, kinds, graph, providers, identities);
  }
  for (const cycle of graph.cycles()) reportChainProblem(add, cycle, providers, identities);
  return issues;
}

type Add = (path: Path, message: string, hint?: string) => void;

function checkRealm(add: Add, realm: unknown) {
  if (realm === undefined || realm === null) return;
  if (typeof realm !== "string") {
    add(["auth", "realm"], `"realm" must be a string, not ${typeName(realm)}`);
    return;
  }
  const problem = validateRealm(realm);
  if (problem) add(["auth", "realm"], problem, "use lowercase letters, digits, single - or _");
}

function checkLogs(add: Add, logs: unknown) {
  const path = ["auth", "logs"];
  if (!checkMap(add, path, logs, "logs")) return;
  const value = logs as Record<string, unknown>;
  checkUnknownKeys(add, path, value, LOGS_KEYS, "logs setting");
  if (value.level !== undefined && value.level !== null && value.level !== "") {
    checkOneOf(add, [...path, "level"], value.level, LOG_LEVELS, "log level");
  }
  checkString(add, [...path, "file"], value.file);
}

/** Reports `value` unless it is one of `allowed`, with a near-name suggestion. */
function checkOneOf(
  add: Add,
  path: Path,
  value: unknown,
  allowed: string[],
  what: string,
) {
  if (typeof value === "string" && allowed.includes(value)) return;
  const shown = typeof value === "string" ? `"${value}"` : typeName(value);
  const suggestion = typeof value === "string" ? didYouMean(value, allowed) : "";
  add(path, `invalid ${what} ${shown}${suggestion}`, `must be one of: ${allowed.join(", ")}`);
}

function checkKeyring(add: Add, keyring: unknown) {
  const path = ["auth", "keyring"];
  if (!checkMap(add, path, keyring, "keyring")) return;
  const value = keyring as Record<string, unknown>;
  checkUnknownKeys(add, path, value, KEYRING_KEYS, "keyring setting");
  if (value.type !== undefined && value.type !== null) {
    checkOneOf(add, [...path, "type"], value.type, KEYRING_TYPES, "keyring type");
  }
  const specPath = [...path, "spec"];
  if (!checkMap(add, specPath, value.spec, "spec")) return;
  const spec = value.spec as Record<string, unknown>;
  checkUnknownKeys(add, specPath, spec, KEYRING_SPEC_KEYS, "keyring spec setting");
  checkString(add, [...specPath, "path"], spec.path);
  checkString(add, [...specPath, "password_env"], spec.password_env);
}

function checkConsole(add: Add, console: unknown) {
  const path = ["auth", "console"];
  if (!checkMap(add, path, console, "console")) return;
  const value = console as Record<string, unknown>;
  checkUnknownKeys(add, path, value, CONSOLE_KEYS, "console setting");
  checkBoolean(add, [...path, "isolated"], value.isolated);
}

function tableOf(
  add: Add,
  auth: Record<string, unknown>,
  key: "providers" | "identities",
): Record<string, unknown> {
  const value = auth[key];
  if (value === undefined || value === null) return {};
  if (isRecord(value)) return value;
  add(["auth", key], `"${key}" must be a map of name to settings, not ${typeName(value)}`);
  return {};
}

function checkCaseCollisions(add: Add, key: string, table: Record<string, unknown>) {
  for (const [first, ...others] of caseCollisions(table)) {
    for (const name of others) {
      add(
        ["auth", key, name],
        `"${name}" differs from "${first}" only by case`,
        "names are case-insensitive; rename or remove one",
      );
    }
  }
}

/** Reports a name that cannot be written safely, at the name itself. */
function checkName(add: Add, path: Path, shown: string, problem: string | undefined, hint: string) {
  if (problem) add(path, `${shown} ${problem}`, hint);
}

function checkProvider(add: Add, name: string, provider: unknown, kinds: KindTables) {
  const path = ["auth", "providers", name];
  checkName(
    add,
    path,
    `provider name "${name}"`,
    providerNameProblem(name),
    "a provider name is a directory name: use letters, digits, '-', '_' or '.'",
  );
  if (!isRecord(provider)) {
    add(path, `provider "${name}" must be a map with at least "kind", not ${typeName(provider)}`);
    return;
  }
  checkUnknownKeys(add, path, provider, PROVIDER_KEYS, "provider field");
  checkKind(add, path, provider.kind, kinds.providerKinds, "provider");
  for (const key of PROVIDER_STRINGS) checkString(add, [...path, key], provider[key]);
  // Any cloud's region ends up in host names: one DNS label, whatever the provider's kind.
  const region = provider.region;
  if (typeof region === "string" && region !== "" && !/^[A-Za-z0-9-]+$/.test(region)) {
    add(
      [...path, "region"],
      `invalid region "${region}"`,
      "a region has letters, digits and -, e.g. us-east-1",
    );
  }
  for (const key of PROVIDER_BOOLEANS) checkBoolean(add, [...path, key], provider[key]);
  checkMap(add, [...path, "spec"], provider.spec, "spec");
  checkStringMap(add, [...path, "session"], provider.session, SESSION_KEYS);
  checkStringMap(add, [...path, "console"], provider.console, PROVIDER_CONSOLE_KEYS);
  checkTags(add, [...path, "tags"], provider.tags);
}

function checkIdentity(
  add: Add,
  name: string,
  identity: unknown,
  kinds: KindTables,
  graph: ViaGraph,
  providers: Record<string, unknown>,
  identities: Record<string, unknown>,
) {
  const path = ["auth", "identities", name];
  checkName(
    add,
    path,
    `identity name "${name}"`,
    identityNameProblem(name),
    "use letters, digits and '-', '_', '.', '/' or '@'",
  );
  if (!isRecord(identity)) {
    add(path, `identity "${name}" must be a map with at least "kind", not ${typeName(identity)}`);
    return;
  }
  checkUnknownKeys(add, path, identity, IDENTITY_KEYS, "identity field");
  const kindOk = checkKind(add, path, identity.kind, kinds.identityKinds, "identity");
  for (const key of IDENTITY_STRINGS) checkString(add, [...path, key], identity[key]);
  for (const key of IDENTITY_BOOLEANS) checkBoolean(add, [...path, key], identity[key]);
  for (const key of IDENTITY_MAPS) checkMap(add, [...path, key], identity[key], key);
  checkStringMap(add, [...path, "session"], identity.session, IDENTITY_SESSION_KEYS);
  const refresh = isRecord(identity.session) ? identity.session.refresh : undefined;
  if (refresh !== undefined && refresh !== null && typeof refresh === "string") {
    checkOneOf(add, [...path, "session", "refresh"], refresh, REFRESH_MODES, "refresh mode");
  }
  checkTags(add, [...path, "tags"], identity.tags);
  checkEnv(add, [...path, "env"], identity.env);
  // Without a via, `provider:` is the via (the walk below checks it).
  if (
    typeof identity.provider === "string" && identity.via !== undefined && identity.via !== null
  ) {
    const lookup = graph.lookupProvider(identity.provider);
    if (!("found" in lookup)) {
      reportReference(add, [...path, "provider"], identity.provider, "provider", lookup, {
        providers,
        identities,
      });
    }
  }

  const kind = kindOk ? identity.kind as string : undefined;
  const standalone = kind !== undefined && kinds.standaloneIdentityKinds.includes(kind);
  const via = identity.via;
  if (via !== undefined && via !== null && standalone) {
    add(
      [...path, "via"],
      `kind "${kind}" is standalone and must not have "via"`,
      "remove via from this identity",
    );
    return;
  }
  if (isRecord(via)) checkUnknownKeys(add, [...path, "via"], via, VIA_KEYS, "via field");
  const problem = graph.localProblem(name);
  // An unknown kind is reported already; whether it needs a via is unknown too.
  if (problem && !(problem.type === "no-via" && kind === undefined)) {
    reportChainProblem(add, problem, providers, identities);
  }
}

/** Reports one problem of the via walk at the configuration path it comes from. */
function reportChainProblem(
  add: Add,
  problem: ChainProblem,
  providers: Record<string, unknown>,
  identities: Record<string, unknown>,
) {
  if (problem.type === "not-a-map") return; // reported with the identity itself
  const located = describeChainProblem(problem, { providers, identities });
  add(located.path, located.message, located.hint);
}

/**
 * The located error for one problem of the via walk (the chain builder throws the same error
 * `auth validate` reports).
 */
export function chainProblemError(
  problem: ChainProblem,
  tables: { providers: Record<string, unknown>; identities: Record<string, unknown> },
  issue: (path: Path, message: string, hint?: string) => ConfigError,
): ConfigError {
  const located = describeChainProblem(problem, tables);
  return issue(located.path, located.message, located.hint);
}

interface LocatedProblem {
  path: Path;
  message: string;
  hint?: string;
}

function describeChainProblem(
  problem: ChainProblem,
  tables: { providers: Record<string, unknown>; identities: Record<string, unknown> },
): LocatedProblem {
  if (problem.type === "cycle") {
    return {
      path: ["auth", "identities", problem.names[0], "via", "identity"],
      message: `identity chain has a cycle: ${problem.names.join(" -> ")}`,
      hint: "one identity in the chain must use via.provider or be standalone",
    };
  }
  const path = ["auth", "identities", problem.from];
  const identity = tables.identities[problem.from];
  const via = isRecord(identity) ? identity.via : undefined;
  switch (problem.type) {
    case "not-a-map":
      return {
        path,
        message: `identity "${problem.from}" must be a map with at least "kind", not ${
          typeName(identity)
        }`,
      };
    case "no-via":
      return {
        path,
        message: `identity "${problem.from}" needs via.provider or via.identity`,
        hint: `kind "${
          (identity as Record<string, unknown>).kind
        }" authenticates from a provider or another identity`,
      };
    case "both-via":
      return {
        path: [...path, "via"],
        message: "both via.provider and via.identity are set; keep one",
      };
    case "bad-via": {
      if (!isRecord(via)) {
        return {
          path: [...path, "via"],
          message: `"via" must be a map with provider or identity, not ${typeName(via)}`,
        };
      }
      const key = via.provider !== undefined && via.provider !== null ? "provider" : "identity";
      return {
        path: [...path, "via", key],
        message: `via.${key} must be a string, not ${typeName(via[key])}`,
      };
    }
    default: {
      const at = isRecord(via) ? [...path, "via", problem.key] : [...path, "provider"];
      const lookup = problem.type === "ambiguous"
        ? { ambiguous: problem.candidates ?? [] }
        : { missing: true as const };
      return { path: at, ...describeReference(problem.ref, problem.key, lookup, tables) };
    }
  }
}

function reportReference(
  add: Add,
  path: Path,
  target: string,
  what: "provider" | "identity",
  lookup: { ambiguous: readonly string[] } | { missing: true },
  tables: { providers: Record<string, unknown>; identities: Record<string, unknown> },
) {
  const described = describeReference(target, what, lookup, tables);
  add(path, described.message, described.hint);
}

function describeReference(
  target: string,
  what: "provider" | "identity",
  lookup: { ambiguous: readonly string[] } | { missing: true },
  tables: { providers: Record<string, unknown>; identities: Record<string, unknown> },
): { message: string; hint?: string } {
  if ("ambiguous" in lookup) {
    return {
      message: `${what} "${target}" is ambiguous: it matches ${
        lookup.ambiguous.map((n) => `"${n}"`).join(" and ")
      } ignoring case`,
      hint: "write the name exactly as it is configured, or rename one of them",
    };
  }
  const table = what === "provider" ? tables.providers : tables.identities;
  const other = what === "provider" ? tables.identities : tables.providers;
  const otherWhat = what === "provider" ? "identity" : "provider";
  const hint = findName(other, target) !== undefined
    ? `"${target}" is ${
      otherWhat === "identity" ? "an identity" : "a provider"
    }; use via.${otherWhat}`
    : listHint(`known ${what === "provider" ? "providers" : "identities"}`, Object.keys(table));
  return {
    message: `unknown ${what} "${target}"${didYouMean(target, Object.keys(table))}`,
    hint,
  };
}

function checkKind(
  add: Add,
  path: Path,
  kind: unknown,
  known: string[],
  what: "provider" | "identity",
): boolean {
  if (kind === undefined || kind === null) {
    add(path, `${what} kind is required`, listHint(`add kind: one of`, known));
    return false;
  }
  if (typeof kind !== "string" || kind.trim() === "") {
    const got = typeof kind === "string" ? "an empty string" : typeName(kind);
    add([...path, "kind"], `kind must be a non-empty string, not ${got}`);
    return false;
  }
  if (known.length > 0 && !known.includes(kind)) {
    add(
      [...path, "kind"],
      `unknown ${what} kind "${kind}"${didYouMean(kind, known)}`,
      listHint(`supported ${what} kinds`, known),
    );
    return false;
  }
  return true;
}

function checkEnv(add: Add, path: Path, env: unknown) {
  if (env === undefined || env === null) return;
  if (Array.isArray(env)) {
    env.forEach((entry, i) => {
      if (!isRecord(entry)) {
        add(
          [...path, i],
          `env entries must be maps with "key" and "value", not ${typeName(entry)}`,
        );
        return;
      }
      checkUnknownKeys(add, [...path, i], entry, ENV_ENTRY_KEYS, "env entry field");
      if (typeof entry.key !== "string" || entry.key === "") {
        add([...path, i, "key"], `env entry needs a non-empty string "key"`);
      } else {
        checkEnvName(add, [...path, i, "key"], entry.key);
      }
      if (!isScalar(entry.value)) {
        add(
          [...path, i, "value"],
          `env entry needs a string "value", not ${typeName(entry.value)}`,
        );
      } else {
        checkEnvValue(add, [...path, i, "value"], entry.value);
      }
    });
    return;
  }
  if (isRecord(env)) {
    for (const [key, value] of Object.entries(env)) {
      checkEnvName(add, [...path, key], key);
      if (!isScalar(value)) {
        add([...path, key], `env value for "${key}" must be a string, not ${typeName(value)}`);
      } else {
        checkEnvValue(add, [...path, key], value);
      }
    }
    return;
  }
  add(path, `"env" must be a list of {key, value} or a map, not ${typeName(env)}`);
}

/** A child's variable name must be one the operating system accepts. */
function checkEnvName(add: Add, path: Path, name: string) {
  const problem = envNameProblem(name);
  if (problem) add(path, `env: "${name}" ${problem}`, "use a name such as STAGE or TF_VAR_x");
}

/** No program can receive a NUL in its environment. */
function checkEnvValue(add: Add, path: Path, value: unknown) {
  if (typeof value === "string" && value.includes("\0")) {
    add(path, "env value holds a NUL character", "remove it: no program can receive one");
  }
}

/** A map of string settings such as `session: { duration: 1h }`. */
function checkStringMap(add: Add, path: Path, value: unknown, keys: string[]) {
  const name = String(path[path.length - 1]);
  if (!checkMap(add, path, value, name)) return;
  const map = value as Record<string, unknown>;
  checkUnknownKeys(add, path, map, keys, `${name} setting`);
  for (const key of keys) checkString(add, [...path, key], map[key]);
}

function checkTags(add: Add, path: Path, tags: unknown) {
  if (tags === undefined || tags === null) return;
  if (!Array.isArray(tags)) {
    add(path, `"tags" must be a list of strings, not ${typeName(tags)}`);
    return;
  }
  tags.forEach((tag, i) => {
    if (typeof tag !== "string") add([...path, i], `tags must be strings, not ${typeName(tag)}`);
  });
}

/** Reports a non-map; returns true when `value` is a map to look into (absent → false). */
function checkMap(add: Add, path: Path, value: unknown, name: string): boolean {
  if (value === undefined || value === null) return false;
  if (isRecord(value)) return true;
  add(path, `"${name}" must be a map, not ${typeName(value)}`);
  return false;
}

function checkString(add: Add, path: Path, value: unknown) {
  if (value === undefined || value === null || typeof value === "string") return;
  add(path, `"${path[path.length - 1]}" must be a string, not ${typeName(value)}`);
}

function checkBoolean(add: Add, path: Path, value: unknown) {
  if (value === undefined || value === null || typeof value === "boolean") return;
  add(path, `"${path[path.length - 1]}" must be true or false, not ${typeName(value)}`);
}

function checkUnknownKeys(
  add: Add,
  path: Path,
  value: Record<string, unknown>,
  allowed: string[],
  what: string,
) {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue;
    add(
      [...path, key],
      `unknown ${what} "${key}"${didYouMean(key, allowed)}`,
      listHint("allowed", allowed),
    );
  }
}

function listHint(label: string, names: string[]): string | undefined {
  if (names.length === 0) return undefined;
  return `${label}: ${nameList(names)}`;
}

function isScalar(value: unknown): boolean {
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean";
}
