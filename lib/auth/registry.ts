/**
 * The kinds registry: the one table that maps `kind:` strings to implementations. Adding a
 * kind is one file plus one line here.
 *
 * Each kind's module is imported only when a configuration names it ({@linkcode loadKinds}):
 * a warm `auth exec` with IAM users and roles never loads the IAM Identity Center or OIDC code
 * (~2.5 ms of module loading). What must be known before loading — the names, and which
 * identity kinds start a chain themselves — lives in the table.
 *
 * @module
 */
import type { IdentityKind, ProviderKind } from "./kind.ts";

interface ProviderEntry {
  readonly kind: string;
  /** Identity kinds of the identities this provider discovers (`auto_provision_identities`). */
  readonly provisions?: readonly string[];
  load(): Promise<ProviderKind>;
}

interface IdentityEntry {
  readonly kind: string;
  /** Standalone kinds have no `via` and start a chain themselves. */
  readonly standalone: boolean;
  load(): Promise<IdentityKind>;
}

const PROVIDERS: readonly ProviderEntry[] = [
  {
    kind: "github/oidc",
    load: async () => (await import("./providers/github_oidc.ts")).githubOidc,
  },
  {
    kind: "aws/iam-identity-center",
    provisions: ["aws/permission-set"],
    load: async () => (await import("./providers/aws_sso.ts")).awsIamIdentityCenter,
  },
];

const IDENTITIES: readonly IdentityEntry[] = [
  {
    kind: "aws/user",
    standalone: true,
    load: async () => (await import("./identities/aws_user.ts")).awsUser,
  },
  {
    kind: "aws/assume-role",
    standalone: false,
    load: async () => (await import("./identities/aws_assume_role.ts")).awsAssumeRole,
  },
  {
    kind: "aws/ambient",
    standalone: true,
    load: async () => (await import("./identities/aws_ambient.ts")).awsAmbient,
  },
  {
    kind: "ambient",
    standalone: true,
    load: async () => (await import("./identities/ambient.ts")).ambient,
  },
  {
    kind: "aws/permission-set",
    standalone: false,
    load: async () => (await import("./identities/aws_permission_set.ts")).awsPermissionSet,
  },
];

const providers = new Map<string, ProviderKind>();
const identities = new Map<string, IdentityKind>();

/** The `auth:` entries whose kinds are loaded (only their `kind` is read). */
export interface KindNames {
  providers?: Record<string, { kind?: unknown } | null | undefined>;
  identities?: Record<string, { kind?: unknown } | null | undefined>;
}

/**
 * Imports the kinds `auth` names (and the identity kinds its providers discover). Unknown
 * names are skipped: validation reports them.
 */
export async function loadKinds(auth: KindNames | undefined): Promise<void> {
  const wantedProviders = kindsOf(auth?.providers);
  const wantedIdentities = kindsOf(auth?.identities);
  for (const entry of PROVIDERS) {
    if (wantedProviders.has(entry.kind)) {
      for (const kind of entry.provisions ?? []) wantedIdentities.add(kind);
    }
  }
  await Promise.all([
    ...PROVIDERS.filter((e) => wantedProviders.has(e.kind) && !providers.has(e.kind)).map(
      async (e) => providers.set(e.kind, checked(e.kind, await e.load())),
    ),
    ...IDENTITIES.filter((e) => wantedIdentities.has(e.kind) && !identities.has(e.kind)).map(
      async (e) => identities.set(e.kind, checked(e.kind, await e.load())),
    ),
  ]);
}

/**
 * The provider kind named `kind`: `undefined` when no such kind exists.
 *
 * @throws {Error} when the kind exists but {@linkcode loadKinds} did not load it (a bug).
 */
export function findProviderKind(kind: unknown): ProviderKind | undefined {
  return find(kind, providers, PROVIDERS, "provider");
}

/**
 * The identity kind named `kind`: `undefined` when no such kind exists.
 *
 * @throws {Error} when the kind exists but {@linkcode loadKinds} did not load it (a bug).
 */
export function findIdentityKind(kind: unknown): IdentityKind | undefined {
  return find(kind, identities, IDENTITIES, "identity");
}

/** True for identity kinds that have no `via` and start a chain themselves. */
export function isStandaloneIdentityKind(kind: unknown): boolean {
  return IDENTITIES.some((e) => e.kind === kind && e.standalone);
}

/** The kind lists the structural validator needs. */
export function kindLists(): {
  providerKinds: string[];
  identityKinds: string[];
  standaloneIdentityKinds: string[];
} {
  return {
    providerKinds: PROVIDERS.map((e) => e.kind),
    identityKinds: IDENTITIES.map((e) => e.kind),
    standaloneIdentityKinds: IDENTITIES.filter((e) => e.standalone).map((e) => e.kind),
  };
}

function kindsOf(
  entries: Record<string, { kind?: unknown } | null | undefined> | undefined,
): Set<string> {
  const out = new Set<string>();
  for (const entry of Object.values(entries ?? {})) {
    if (typeof entry?.kind === "string") out.add(entry.kind);
  }
  return out;
}

function checked<K extends { kind: string }>(kind: string, loaded: K): K {
  if (loaded.kind !== kind) {
    throw new Error(`Internal error: the module registered as "${kind}" is "${loaded.kind}"`);
  }
  return loaded;
}

function find<K>(
  kind: unknown,
  loaded: Map<string, K>,
  entries: readonly { kind: string }[],
  what: string,
): K | undefined {
  if (typeof kind !== "string") return undefined;
  const found = loaded.get(kind);
  if (found !== undefined || !entries.some((e) => e.kind === kind)) return found;
  throw new Error(`Internal error: ${what} kind "${kind}" was used before it was loaded`);
}
