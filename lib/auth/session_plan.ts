/**
 * Session plans: what a warm `auth exec` or `auth shell` needs to start its child, kept after
 * each login and renewal so that later runs skip the manager, the kinds and the validation of
 * the `auth:` section (most of a warm run's start-up, see README "Benchmarks").
 *
 * A plan is written only by a process that has just validated the whole `auth:` section and
 * authenticated the identity (login, renewal). It is used only when all of this still holds:
 *
 * - its key matches: a SHA-256 of atmos's version, the config dir, the realm, the identity, the
 *   command line that re-invokes atmos and the `auth:` section exactly as loaded now (tags such
 *   as `!env` already resolved). Any edit to the section, a new `!env` value, another realm or
 *   another atmos gives another key, so the plan of an unvalidated section is never used;
 * - the identity is named exactly as configured (not case-insensitively, not a discovered one)
 *   and every link before it is still configured under the same name;
 * - the identity's output still reads a fresh session (5 minutes or more left) from its files,
 *   exactly as the manager's cache check does (checksums included): after a logout, a
 *   corrupted file or an expiry the plan is passed over and the full path runs.
 *
 * A plan holds what the session hands a child — file pointers and variables to remove (the
 * identity's own `env:` is read from the configuration each time, as it may hold `!env` values)
 * — and the paths (not the values) of the configuration's secrets, so
 * the child's environment is scrubbed of them as on the full path. Never a credential: plans
 * sit in `<config>/atmos/cache/sessions/` (0600 files, 0700 directory), next to the
 * credentials they point at, and the newest 200 are kept.
 *
 * @module
 */
import { VERSION } from "../version.ts";
import type { AuthConfig, IdentityConfig, ProviderConfig } from "../config/types.ts";
import type { FileWriter } from "../fs/writer.ts";
import type { Session } from "./session.ts";
import type { OutputLink } from "./output.ts";
import type { KindRegistry } from "./registry/mod.ts";
import { FRESHNESS_BUFFER_MS, isFresh } from "./credentials.ts";
import { identityEnvironment } from "./identity_env.ts";

/** How many plans are kept (the newest). */
export const MAX_PLANS = 200;

/** What a plan's key is made of. */
export interface PlanInputs {
  /** `<config>/atmos`. */
  configDir: string;
  /** The realm, empty when none. */
  realm: string;
  /** The identity, exactly as configured. */
  identity: string;
  /** The configuration's own `auth:` section, as loaded (tags resolved). */
  auth: AuthConfig | undefined;
  /** The argv that re-invokes this atmos with the same configuration. */
  atmosCommand?: readonly string[];
}

/** One link before the target, nearest first, by name. */
export interface PlanLink {
  role: "provider" | "identity";
  name: string;
}

/** What a plan file holds. */
export interface SessionPlan {
  version: 1;
  key: string;
  identity: string;
  /** The output that reads the identity's files, and the chain's directory for it. */
  output: string;
  dir: string;
  upstream: PlanLink[];
  /**
   * The session as handed to children, without the identity's own `env:` entries (read from the
   * configuration each time) and without expiry and principal (read from the files).
   */
  session: Omit<Session, "expiration" | "principal" | "source">;
  /** Paths below `auth:` whose values are secrets children must not receive. */
  secretPaths: string[][];
}

/** The directory of the plans. */
export function plansDir(configDir: string): string {
  return `${configDir}/cache/sessions`;
}

/** The plan key (hex SHA-256) for `inputs`. */
export async function planKey(inputs: PlanInputs): Promise<string> {
  const text = JSON.stringify([
    VERSION,
    inputs.configDir,
    inputs.realm,
    inputs.identity,
    inputs.atmosCommand ?? null,
    inputs.auth ?? null,
  ]);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The paths below `auth` (e.g. `["identities", "base", "credentials", "secret_access_key"]`)
 * whose string values are among `secrets`.
 */
export function secretPathsIn(
  auth: AuthConfig | undefined,
  secrets: readonly string[],
): string[][] {
  const wanted = new Set(secrets.filter((s) => s !== ""));
  const out: string[][] = [];
  const walk = (value: unknown, path: string[]) => {
    if (typeof value === "string") {
      if (wanted.has(value)) out.push(path);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, String(i)]));
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
    }
  };
  if (wanted.size > 0) walk(auth, []);
  return out;
}

/** The string values at `paths` below `auth` (paths that no longer hold a string are skipped). */
export function valuesAt(auth: AuthConfig | undefined, paths: readonly string[][]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    let node: unknown = auth;
    for (const key of path) {
      node = node !== null && typeof node === "object"
        ? (node as Record<string, unknown>)[key]
        : undefined;
    }
    if (typeof node === "string") out.push(node);
  }
  return out;
}

/** Writes `plan` (0600, temp file and rename) and keeps the newest {@linkcode MAX_PLANS}. */
export async function writePlan(
  writer: FileWriter,
  configDir: string,
  plan: SessionPlan,
): Promise<void> {
  const dir = plansDir(configDir);
  await writer.mkdir(dir, 0o700);
  await writer.writeAtomic(`${dir}/${plan.key}.json`, `${JSON.stringify(plan)}\n`, 0o600);
  const entries: { name: string; mtime: number }[] = [];
  for (const entry of Deno.readDirSync(dir)) {
    if (!entry.isFile || !/^[0-9a-f]{64}\.json$/.test(entry.name)) continue;
    const mtime = Deno.statSync(`${dir}/${entry.name}`).mtime?.getTime() ?? 0;
    entries.push({ name: entry.name, mtime });
  }
  entries.sort((a, b) => b.mtime - a.mtime);
  for (const old of entries.slice(MAX_PLANS)) await writer.remove(`${dir}/${old.name}`);
}

/** Where a planned session was found, or why not (for the debug log). */
export type PlanLookup =
  | { session: Session; secretPaths: string[][] }
  | { session?: undefined; reason: string };

/**
 * The session of `inputs.identity` from its plan and its output's files, without the manager:
 * see the module doc for every condition. Reads files only.
 */
export async function plannedSession(
  inputs: PlanInputs & { registry: KindRegistry; now: number },
): Promise<PlanLookup> {
  const key = await planKey(inputs);
  let text: string;
  try {
    text = Deno.readTextFileSync(`${plansDir(inputs.configDir)}/${key}.json`);
  } catch {
    return { reason: "no plan for this configuration" };
  }
  const plan = parsePlan(text);
  if (!plan || plan.key !== key || plan.identity !== inputs.identity) {
    return { reason: "the plan file is not one of ours" };
  }
  const config = inputs.auth?.identities?.[inputs.identity];
  if (!config || !Object.hasOwn(inputs.auth!.identities!, inputs.identity)) {
    return { reason: "the identity is not configured under this name" };
  }
  const upstream: OutputLink["upstream"][number][] = [];
  for (const link of plan.upstream) {
    const table = link.role === "provider" ? inputs.auth?.providers : inputs.auth?.identities;
    const linkConfig = table && Object.hasOwn(table, link.name) ? table[link.name] : undefined;
    if (!linkConfig) return { reason: `"${link.name}" is no longer configured` };
    upstream.push({ name: link.name, config: linkConfig as ProviderConfig | IdentityConfig });
  }
  const output = await inputs.registry.output(plan.output);
  if (!output?.persistent) return { reason: `no output "${plan.output}" keeps files` };
  // The link as the manager reads the target's cache (lib/auth/chain_auth.ts).
  const creds = output.readCached({
    identity: inputs.identity,
    config: config as IdentityConfig,
    upstream,
    dir: plan.dir,
    atmosCommand: inputs.atmosCommand,
  });
  if (!creds || !isFresh(creds, inputs.now, FRESHNESS_BUFFER_MS)) {
    return { reason: "the files hold no fresh session" };
  }
  return {
    session: {
      ...plan.session,
      // The identity's own `env:` comes from the configuration (it may hold values read by
      // `!env`); the plan keeps only what the output set, which wins as on the full path.
      env: {
        set: { ...identityEnvironment(config as IdentityConfig), ...plan.session.env.set },
        unset: plan.session.env.unset,
      },
      expiration: creds.expiration,
      principal: creds.principal,
      source: "cache",
    },
    secretPaths: plan.secretPaths,
  };
}

/** A plan file's content, or `undefined` when it is not a plan of this version. */
export function parsePlan(text: string): SessionPlan | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const p = value as SessionPlan;
  const s = p?.session;
  const ok = p?.version === 1 && isString(p.key) && isString(p.identity) &&
    isString(p.output) && isString(p.dir) &&
    Array.isArray(p.upstream) &&
    p.upstream.every((l) =>
      (l?.role === "provider" || l?.role === "identity") && isString(l.name)
    ) &&
    Array.isArray(p.secretPaths) &&
    p.secretPaths.every((path) => Array.isArray(path) && path.every(isString)) &&
    s !== null && typeof s === "object" && isString(s.identity) && isString(s.kind) &&
    isString(s.output) && isString(s.root) && typeof s.isolated === "boolean" &&
    (s.region === undefined || isString(s.region)) &&
    isStringMap(s.files) && s.env !== null && typeof s.env === "object" &&
    isStringMap(s.env.set) && Array.isArray(s.env.unset) && s.env.unset.every(isString);
  return ok ? p : undefined;
}

function isString(value: unknown): value is string {
  return typeof value === "string";
}

function isStringMap(value: unknown): value is Record<string, string> {
  return value !== null && typeof value === "object" && !Array.isArray(value) &&
    Object.values(value).every(isString);
}
