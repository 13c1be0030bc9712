/**
 * The Atmos AWS credential-file layout (`pkg/auth/cloud/aws/files.go`):
 * `<config>/atmos/[<realm>/]aws/<rootProvider>/credentials` holds one `[<identity>]` section per
 * identity with a `; atmos: expiration=<RFC 3339>` comment above it, and `config` beside it holds
 * `[profile <identity>]` (or `[default]`) with the region. Every change is a read-modify-write
 * under the file's lock, written atomically with mode 0600.
 *
 * Damaged state is never trusted (README "Credential files and caching"): files are read with
 * botocore's own rules (`ini_botocore.ts`), since every AWS client a child runs does; a section
 * with a missing or multi-line key, or whose `; atmos: checksum=` line (written above atmos's own
 * sections, beside Atmos's `; atmos: expiration=` line) does not match, is not read back; and a
 * file botocore cannot parse is moved aside to `<file>.corrupt-<time>` before the next write
 * (said in one line), then written anew.
 *
 * This module reads (a warm `auth exec` or `auth credential-process` checks the session it hands
 * on with it, and loads nothing else of AWS); `files_write.ts` changes the files.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { type BotocoreIni, optionsOf, parseBotocoreIni } from "./ini_botocore.ts";
import { CHECKSUM_COMMENT, checksumOf } from "./checksum.ts";
import type { AwsCredentials } from "./types.ts";

/** Prints one line for the user (a damaged file moved aside). */
export type Notice = (text: string) => void;

/** Where one root provider's credential files live. */
export interface AwsFilePaths {
  /** `<configDir>/[<realm>/]aws/<rootProvider>` */
  dir: string;
  /** The shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`). */
  credentials: string;
  /** The config file (`AWS_CONFIG_FILE`). */
  config: string;
}

const EXPIRATION_COMMENT = /^\s*[;#]\s*atmos:\s*expiration=(\S+)\s*$/;

/** The credential and config files in a chain's AWS directory. */
export function awsFilesIn(dir: string): AwsFilePaths {
  return { dir, credentials: join(dir, "credentials"), config: join(dir, "config") };
}

/**
 * Sessions of identities in `credential_process` mode (`session.refresh: process`): kept out of
 * the credentials file, because an SDK prefers a profile's static keys there to its
 * `credential_process` (so the two cannot share a profile). Same format as `credentials`.
 */
export function sessionsFile(paths: AwsFilePaths): string {
  return join(paths.dir, "sessions");
}

/** The config-file section name for a profile: `default` or `profile <name>`. */
export function configSectionName(profile: string): string {
  return profile === "default" ? "default" : `profile ${profile}`;
}

/**
 * Reads a profile back, as an AWS client would. Returns `undefined` when either file is one
 * botocore cannot parse (every client would fail on it), or the credentials file, the section,
 * its access key ID or secret is missing, a key spans lines, or the section's checksum line does
 * not match its keys (a section without one — written by Atmos or an older atmos — is read as
 * it is). `expiration` comes from the `; atmos: expiration=` comment; `region` is the `region`
 * argument when given (like `AWS_REGION` for the SDKs), else the config file's. Expired
 * credentials are returned as they are: the caller decides.
 */
export function readAwsCredentials(
  paths: AwsFilePaths,
  profile: string,
  region?: string,
  options: { process?: boolean } = {},
): AwsCredentials | undefined {
  const credentials = readIni(options.process ? sessionsFile(paths) : paths.credentials);
  if (!credentials?.ok || !credentials.sections.has(profile)) return undefined;
  const config = readIni(paths.config);
  if (config && !config.ok) return undefined;
  const section = optionsOf(credentials, profile);
  const accessKeyId = section.get("aws_access_key_id") ?? "";
  const secretAccessKey = section.get("aws_secret_access_key") ?? "";
  const sessionToken = section.get("aws_session_token") ?? "";
  const keys: [string, string][] = [
    ["aws_access_key_id", accessKeyId],
    ["aws_secret_access_key", secretAccessKey],
  ];
  if (sessionToken) keys.push(["aws_session_token", sessionToken]);
  // A key continued on an indented line is not one a client can use.
  if (!accessKeyId || !secretAccessKey || keys.some(([, value]) => value.includes("\n"))) {
    return undefined;
  }
  const comments = credentials.sections.get(profile)!.comments;
  const written = commentValue(comments, CHECKSUM_COMMENT);
  if (written !== undefined && written !== checksumOf(keys)) return undefined;
  const creds: AwsCredentials = { accessKeyId, secretAccessKey };
  if (sessionToken) creds.sessionToken = sessionToken;
  const expiration = expirationOf(comments);
  if (expiration) creds.expiration = expiration;
  const resolvedRegion = region ||
    (config?.ok ? optionsOf(config, configSectionName(profile)).get("region") : undefined);
  if (resolvedRegion) creds.region = resolvedRegion;
  return creds;
}

/** Formats a date as RFC 3339 in UTC without milliseconds: `2026-08-20T18:04:05Z`. */
export function formatRfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The first comment line of `comments` matching `pattern`, its captured value. */
function commentValue(comments: readonly string[], pattern: RegExp): string | undefined {
  for (const line of comments) {
    const match = pattern.exec(line);
    if (match) return match[1];
  }
  return undefined;
}

function expirationOf(comments: readonly string[]): Date | undefined {
  const value = commentValue(comments, EXPIRATION_COMMENT);
  if (value === undefined) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** The file parsed with botocore's rules, or `undefined` when it does not exist. */
function readIni(path: string): BotocoreIni | undefined {
  const bytes = readBytesOrUndefined(path);
  return bytes === undefined ? undefined : parseBotocoreIni(bytes);
}

/**
 * The file's bytes, or `undefined` when it does not exist. Synchronous: a small file, read on
 * every warm run, where the async op costs ~0.2 ms more.
 */
export function readBytesOrUndefined(path: string): Uint8Array | undefined {
  try {
    return Deno.readFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
