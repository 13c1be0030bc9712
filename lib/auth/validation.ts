/**
 * Which configuration problems stop an authenticating command. One rule (README "How this
 * differs from Atmos"): every command that reads `auth:` checks the whole section — its shape,
 * kinds, references, cycles and each kind's own fields — before any network call, and refuses
 * to run with any problem in it (exit 2). A broken identity elsewhere in the file is still a
 * broken file: `auth validate` lists every problem; other commands show the first, with a count.
 *
 * @module
 */
import { ConfigError } from "../errors.ts";
import { configIssue } from "../config/issue.ts";
import { validateAuth } from "../config/validate_auth.ts";
import type { AuthView } from "./auth_view.ts";
import type { KindRegistry } from "./registry/mod.ts";
import type { IssueFn, KindFields } from "./kind.ts";
import { checkFields } from "../config/fields.ts";

/** Every problem of the `auth:` section, in file and line order: structural, then per kind. */
export function authProblems(view: AuthView, registry: KindRegistry): ConfigError[] {
  const loaded = view.loaded;
  const errors = [...validateAuth(loaded, registry.kindLists())];
  // Entries with structural problems are not checked further; a problem with the shape of the
  // section itself stops here.
  const broken = new Set<string>();
  for (const error of errors) {
    const entry = entryOf(error.configPath);
    if (!entry) return sortByLocation(errors);
    broken.add(entry);
  }
  errors.push(...reservedRootProblems(view, registry));
  for (const [name, config] of Object.entries(view.auth.providers ?? {})) {
    const kind = registry.provider(config.kind);
    if (!kind || broken.has(entryKey("providers", name))) continue;
    const issue = located(loaded, ["auth", "providers", name]);
    const typed = fieldProblems(config, kind.fields, ["spec"], issue);
    errors.push(...typed);
    if (typed.length === 0) errors.push(...kind.validate(config, issue));
  }
  for (const [name, config] of Object.entries(view.auth.identities ?? {})) {
    const kind = registry.identity(config.kind);
    if (!kind || broken.has(entryKey("identities", name))) continue;
    const issue = located(loaded, ["auth", "identities", name]);
    const typed = fieldProblems(config, kind.fields, ["spec", "principal", "credentials"], issue);
    errors.push(...typed);
    if (typed.length === 0) errors.push(...kind.validate(config, issue));
  }
  return sortByLocation(dedupe(errors));
}

/**
 * Unknown keys and wrong types in an entry's closed sections; a section the kind does not list
 * takes no fields. The kind's own checks run only when these pass, so they see typed values.
 */
function fieldProblems(
  config: object,
  fields: KindFields,
  sections: readonly (keyof KindFields)[],
  issue: IssueFn,
): ConfigError[] {
  return sections.flatMap((section) =>
    checkFields(
      (config as Record<string, unknown>)[section],
      fields[section] ?? {},
      section,
      (sub, message, hint) => issue([section, ...sub], message, hint),
    )
  );
}

/**
 * A provider named like a standalone kind's fixed directory (`aws-user`) would share that
 * directory with every chain of that kind (and log them out with it).
 */
function reservedRootProblems(view: AuthView, registry: KindRegistry): ConfigError[] {
  const reserved = new Set(registry.fixedRootDirs().map((dir) => dir.toLowerCase()));
  return Object.keys(view.auth.providers ?? {})
    .filter((name) => reserved.has(name.toLowerCase()))
    .map((name) =>
      configIssue(
        view.loaded,
        ["auth", "providers", name],
        `provider name "${name}" is reserved: it is the directory of ${
          registry.fixedRootDirs().join(", ")
        } chains`,
        "rename the provider",
      )
    );
}

function located(loaded: AuthView["loaded"], at: (string | number)[]): IssueFn {
  return (sub, message, hint) => configIssue(loaded, [...at, ...sub], message, hint);
}

/** Throws the first problem (with how many more there are), when there is any. */
export function throwFirst(problems: readonly ConfigError[]): void {
  if (problems.length === 0) return;
  const first = problems[0];
  if (problems.length === 1) throw first;
  throw new ConfigError(first.message, {
    location: first.location,
    configPath: first.configPath,
    hint: [first.hint, `${problems.length - 1} more problem(s): run "atmos auth validate"`]
      .filter(Boolean).join("; "),
  });
}

/** `providers\0<name>` / `identities\0<name>` for a path below one entry, else undefined. */
function entryOf(path: readonly (string | number)[]): string | undefined {
  const [section, table, name] = path;
  if (section !== "auth" || (table !== "providers" && table !== "identities")) return undefined;
  return name === undefined ? undefined : entryKey(table, String(name));
}

function entryKey(table: string, name: string): string {
  return `${table}\0${name}`;
}

function sortByLocation(errors: ConfigError[]): ConfigError[] {
  const key = (e: ConfigError) =>
    [e.location?.file ?? "", e.location?.line ?? 0, e.location?.column ?? 0] as const;
  return [...errors].sort((a, b) => {
    const [fa, la, ca] = key(a);
    const [fb, lb, cb] = key(b);
    return fa.localeCompare(fb) || la - lb || ca - cb;
  });
}

function dedupe(errors: ConfigError[]): ConfigError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.configPath.join("\0")}|${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
