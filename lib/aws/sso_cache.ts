/**
 * The IAM Identity Center token cache: one JSON file per portal (start URL + region) at
 * `<config>/atmos/aws-sso/sessions/<sha1(start_url|region)>.json`, mode 0600, with the field
 * names of the AWS SDK SSO cache (`accessToken`, `expiresAt`, `refreshToken`, `clientId`,
 * `clientSecret`, `registrationExpiresAt`, `region`, `startUrl`), keyed like Atmos so providers
 * that share a portal share one login. Not realm-scoped (as in Atmos).
 *
 * @module
 */
import { join } from "../fs/path.ts";
import type { FileWriter } from "../fs/writer.ts";
import { formatRfc3339 } from "./files.ts";
import { redactFields } from "../redact.ts";

/** The cached login of one portal. Tokens and the client secret are secret. */
export interface SsoTokenCache {
  startUrl: string;
  region: string;
  accessToken?: string;
  expiresAt?: Date;
  refreshToken?: string;
  clientId?: string;
  clientSecret?: string;
  registrationExpiresAt?: Date;
}

/** Fields of {@linkcode SsoTokenCache} that must never be shown. */
export const SSO_CACHE_SECRETS = ["accessToken", "refreshToken", "clientSecret"] as const;

/** `<configDir>/aws-sso/sessions`. */
export function ssoCacheDir(configDir: string): string {
  return join(configDir, "aws-sso", "sessions");
}

/** The cache file of a portal: `<configDir>/aws-sso/sessions/<sha1(start_url|region)>.json`. */
export async function ssoCachePath(
  configDir: string,
  startUrl: string,
  region: string,
): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-1",
    new TextEncoder().encode(`${startUrl}|${region}`),
  );
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  return join(ssoCacheDir(configDir), `${hex}.json`);
}

/**
 * Reads a cache file. Returns `undefined` when it is missing, unreadable, or belongs to another
 * start URL or region (a hash collision or a hand-edited file).
 */
export async function readSsoCache(
  path: string,
  startUrl: string,
  region: string,
): Promise<SsoTokenCache | undefined> {
  let raw: unknown;
  try {
    raw = JSON.parse(await Deno.readTextFile(path));
  } catch {
    return undefined;
  }
  if (typeof raw !== "object" || raw === null) return undefined;
  const value = raw as Record<string, unknown>;
  if (value.startUrl !== startUrl || value.region !== region) return undefined;
  return redactFields({
    startUrl,
    region,
    accessToken: text(value.accessToken),
    expiresAt: date(value.expiresAt),
    refreshToken: text(value.refreshToken),
    clientId: text(value.clientId),
    clientSecret: text(value.clientSecret),
    registrationExpiresAt: date(value.registrationExpiresAt),
  }, SSO_CACHE_SECRETS);
}

/** Writes a cache file atomically with mode 0600 (the caller holds the portal lock). */
export async function writeSsoCache(
  writer: FileWriter,
  path: string,
  cache: SsoTokenCache,
): Promise<void> {
  const file: Record<string, string> = { startUrl: cache.startUrl, region: cache.region };
  if (cache.accessToken) file.accessToken = cache.accessToken;
  if (cache.expiresAt) file.expiresAt = formatRfc3339(cache.expiresAt);
  if (cache.refreshToken) file.refreshToken = cache.refreshToken;
  if (cache.clientId) file.clientId = cache.clientId;
  if (cache.clientSecret) file.clientSecret = cache.clientSecret;
  if (cache.registrationExpiresAt) {
    file.registrationExpiresAt = formatRfc3339(cache.registrationExpiresAt);
  }
  await writer.writeAtomic(path, JSON.stringify(file, null, 2) + "\n", 0o600);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function date(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
}
