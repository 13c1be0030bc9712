/**
 * `auto_provision_identities`: after an IAM Identity Center login, list every account
 * (`ListAccounts`) and its permission sets (`ListAccountRoles`) into identities named
 * `<account name>/<permission set>`, and keep them in
 * `<config>/atmos/auth/<provider>/provisioned-identities.json` (0600) so later runs see them
 * without a network call. Discovery runs a few requests at a time with a minimum spacing;
 * throttled (HTTP 429) requests are retried by the client with backoff. The limiter is
 * hand-written (instead of `p-limit`) because it also spaces request starts.
 *
 * @module
 */
import { join } from "../fs/path.ts";
import type { IdentityConfig } from "../config/types.ts";
import type { FileWriter } from "../fs/writer.ts";
import { allPages, listAccountRoles, listAccounts, type SsoTarget } from "./sso.ts";

/** Requests in flight at once during discovery. */
export const DISCOVERY_CONCURRENCY = 4;
/** Minimum time between the starts of two discovery requests (at most 10 per second). */
export const DISCOVERY_SPACING_MS = 100;

/** The kind of every discovered identity. */
export const PROVISIONED_KIND = "aws/permission-set";

/** The discovered identities of one provider, as stored. */
export interface ProvisionedFile {
  auth: { identities: Record<string, IdentityConfig> };
  _metadata: {
    provisioned_at: string;
    provider: string;
    start_url: string;
    region: string;
    counts: { accounts: number; roles: number; identities: number };
  };
}

/** `<configDir>/auth/<provider>/provisioned-identities.json`; undefined for unsafe names. */
export function provisionedPath(configDir: string, provider: string): string | undefined {
  // deno-lint-ignore no-control-regex
  if (!/^[^\\/\x00-\x1f]+$/.test(provider) || provider === "." || provider === "..") {
    return undefined;
  }
  return join(configDir, "auth", provider, "provisioned-identities.json");
}

/**
 * Lists every account and permission set the token can use and returns the file to store.
 * Identity names are `<account name>/<role>`; an account without a unique name uses its ID.
 */
export async function discoverIdentities(
  target: SsoTarget,
  accessToken: string,
  portal: { provider: string; startUrl: string; region: string },
  now: Date,
): Promise<ProvisionedFile> {
  const limit = limiter(DISCOVERY_CONCURRENCY, DISCOVERY_SPACING_MS);
  const accounts = await allPages((next) => limit(() => listAccounts(target, accessToken, next)));
  const roles = await Promise.all(
    accounts.map((account) =>
      allPages((next) =>
        limit(() => listAccountRoles(target, accessToken, account.accountId, next))
      )
    ),
  );
  const nameCounts = new Map<string, number>();
  for (const account of accounts) {
    nameCounts.set(account.accountName, (nameCounts.get(account.accountName) ?? 0) + 1);
  }
  const identities: Record<string, IdentityConfig> = {};
  let roleCount = 0;
  accounts.forEach((account, i) => {
    const unique = account.accountName !== "" && nameCounts.get(account.accountName) === 1;
    const label = unique ? account.accountName : account.accountId;
    for (const role of [...new Set(roles[i])].sort()) {
      roleCount++;
      identities[`${label}/${role}`] = {
        kind: PROVISIONED_KIND,
        provider: portal.provider,
        via: { provider: portal.provider },
        principal: {
          name: role,
          account: { name: account.accountName, id: account.accountId },
        },
      };
    }
  });
  return {
    auth: { identities },
    _metadata: {
      provisioned_at: now.toISOString(),
      provider: portal.provider,
      start_url: portal.startUrl,
      region: portal.region,
      counts: {
        accounts: accounts.length,
        roles: roleCount,
        identities: Object.keys(identities).length,
      },
    },
  };
}

/** Stores discovered identities (0600). */
export async function writeProvisioned(
  writer: FileWriter,
  path: string,
  file: ProvisionedFile,
): Promise<void> {
  await writer.writeAtomic(path, JSON.stringify(file, null, 2) + "\n", 0o600);
}

/**
 * Reads stored identities synchronously (config loading is synchronous there). Returns `{}`
 * when the file is missing, unreadable, or was made for another start URL or region.
 */
export function readProvisioned(
  path: string,
  portal: { provider: string; startUrl: string; region: string },
): Record<string, IdentityConfig> {
  let file: Partial<ProvisionedFile>;
  try {
    file = JSON.parse(Deno.readTextFileSync(path));
  } catch {
    return {};
  }
  const meta = file._metadata;
  if (meta?.start_url !== portal.startUrl || meta?.region !== portal.region) return {};
  const identities = file.auth?.identities;
  if (!identities || typeof identities !== "object") return {};
  const valid: Record<string, IdentityConfig> = {};
  for (const [name, config] of Object.entries(identities)) {
    if (config?.kind !== PROVISIONED_KIND || !config.principal) continue;
    // Always bound to the provider that discovered them, whatever the file says.
    valid[name] = { ...config, provider: portal.provider, via: { provider: portal.provider } };
  }
  return valid;
}

/**
 * A limiter: at most `concurrency` tasks at once, and task starts at least `spacingMs` apart.
 */
export function limiter(
  concurrency: number,
  spacingMs: number,
  clock: { now(): number; sleep(ms: number): Promise<void> } = realClock,
): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  let nextStart = 0;
  const queue: Array<() => void> = [];
  // A finishing task hands its slot straight to the next queued one.
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else active--;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((resolve) => queue.push(resolve));
    else active++;
    try {
      const now = clock.now();
      const wait = nextStart - now;
      nextStart = Math.max(nextStart, now) + spacingMs;
      if (wait > 0) await clock.sleep(wait);
      return await task();
    } finally {
      release();
    }
  };
}

const realClock = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};
