/**
 * Atmos's selection flags of `atmos auth list`: `--providers[=a,b]` (only providers, or only
 * those), `--identities[=a,b]` (only identities, or only those; mutually exclusive with
 * `--providers`), and `--tags a,b` (entries carrying any of the tags).
 *
 * @module
 */
import { UsageError } from "../../errors.ts";
import type { FlagSpec, Invocation } from "../command.ts";
import type { AuthConfig } from "../../config/types.ts";

/** What `auth list` renders: the (filtered) auth section and its identity names. */
export interface AuthView {
  auth: AuthConfig;
  identityNames(): string[];
}

/** Marks `--providers`/`--identities` given without names ("all of them"). */
const ALL = "\u0000all";

/** The selection flags. */
export const LIST_FILTER_FLAGS: FlagSpec[] = [
  {
    name: "providers",
    type: "string",
    description: "show only providers (=a,b: only these)",
    optionalValue: ALL,
    valueName: "names",
    complete: "provider",
  },
  {
    name: "identities",
    type: "string",
    description: "show only identities (=a,b: only these)",
    optionalValue: ALL,
    valueName: "names",
    complete: "identity",
  },
  {
    name: "tags",
    type: "string",
    description: "show only providers and identities with any of these tags (a,b)",
    valueName: "tags",
  },
];

/**
 * The auth section narrowed by the selection flags.
 *
 * @throws {UsageError} when both `--providers` and `--identities` are given, or a name is unknown.
 */
export function filterAuth(auth: AuthConfig, inv: Invocation): AuthView {
  const providersFlag = inv.flags.providers as string | undefined;
  const identitiesFlag = inv.flags.identities as string | undefined;
  if (providersFlag !== undefined && identitiesFlag !== undefined) {
    throw new UsageError("--providers and --identities are mutually exclusive", {
      hint: 'run "atmos auth list --help"',
    });
  }
  const tags = split(inv.flags.tags as string | undefined);
  let providers = { ...(auth.providers ?? {}) };
  let identities = { ...(auth.identities ?? {}) };
  if (providersFlag !== undefined) {
    identities = {};
    providers = pick(providers, providersFlag, "provider");
  }
  if (identitiesFlag !== undefined) {
    providers = {};
    identities = pick(identities, identitiesFlag, "identity");
  }
  if (tags.length > 0) {
    const tagged = (entry: { tags?: string[] }) => (entry.tags ?? []).some((t) => tags.includes(t));
    providers = Object.fromEntries(Object.entries(providers).filter(([, p]) => tagged(p)));
    identities = Object.fromEntries(Object.entries(identities).filter(([, i]) => tagged(i)));
  }
  const view: AuthConfig = { ...auth, providers, identities };
  return { auth: view, identityNames: () => Object.keys(identities).sort() };
}

function pick<T>(entries: Record<string, T>, flag: string, what: string): Record<string, T> {
  if (flag === ALL) return entries;
  const out: Record<string, T> = {};
  for (const name of split(flag)) {
    if (!(name in entries)) {
      throw new UsageError(`${what} not found: "${name}"`, {
        hint: `configured: ${Object.keys(entries).sort().join(", ") || "none"}`,
      });
    }
    out[name] = entries[name];
  }
  return out;
}

function split(value: string | undefined): string[] {
  return (value ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
}
