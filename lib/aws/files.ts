/**
 * The Atmos AWS credential-file layout (`pkg/auth/cloud/aws/files.go`):
 * `<config>/atmos/[<realm>/]aws/<rootProvider>/credentials` holds one `[<identity>]` section per
 * identity with a `; atmos: expiration=<RFC 3339>` comment above it, and `config` beside it holds
 * `[profile <identity>]` (or `[default]`) with the region. Every change is a read-modify-write
 * under the file's lock, written atomically with mode 0600.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { credentialDir } from "../fs/layout.ts";
import type { FileWriter } from "../fs/writer.ts";
import {
  getSection,
  type IniDocument,
  parseIni,
  removeSection,
  setSection,
  stringifyIni,
} from "./ini.ts";
import type { AwsCredentials } from "./types.ts";
import { DEFAULT_REGION } from "./link.ts";

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

/**
 * Returns `<configDir>/[<realm>/]aws/<rootProvider>/{credentials,config}`. `configDir` is the
 * Atmos config dir (`<config>/atmos`). Throws {@linkcode ConfigError} when the provider or realm
 * is not a safe single path segment.
 */
export function awsFilePaths(
  configDir: string,
  rootProvider: string,
  realm?: string,
): AwsFilePaths {
  return awsFilesIn(credentialDir(configDir, "aws", rootProvider, realm));
}

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
 * Writes (or replaces) the `[<profile>]` section of the credentials file, with the expiration
 * comment, and the `[profile <profile>]` section of the config file with only `region`. Other
 * sections are left untouched. Each file is changed under its own lock and written with mode 0600.
 *
 * With `credentialProcess` (the command line an SDK runs to ask atmos), the session goes to the
 * sessions file (`sessionsFile`) instead, the profile's section leaves the credentials file, and the config
 * profile gets `credential_process` beside `region`.
 */
export async function writeAwsCredentials(
  writer: FileWriter,
  paths: AwsFilePaths,
  profile: string,
  creds: AwsCredentials,
  options: { credentialProcess?: string } = {},
): Promise<void> {
  const entries: Record<string, string> = {
    aws_access_key_id: creds.accessKeyId,
    aws_secret_access_key: creds.secretAccessKey,
  };
  if (creds.sessionToken) entries.aws_session_token = creds.sessionToken;
  const comment = creds.expiration
    ? `atmos: expiration=${formatRfc3339(creds.expiration)}`
    : undefined;
  const process = options.credentialProcess;
  await updateIniFile(writer, process ? sessionsFile(paths) : paths.credentials, (doc) => {
    setSection(doc, profile, entries, { comment });
    return true;
  });
  // The other file must not keep this profile's keys: in the credentials file they would win
  // over credential_process; in the sessions file they are a stale copy.
  const other = process ? paths.credentials : sessionsFile(paths);
  if (readTextOrUndefined(other) !== undefined) {
    await updateIniFile(writer, other, (doc) => removeSection(doc, profile));
  }
  const config: Record<string, string> = { region: creds.region || DEFAULT_REGION };
  if (process) config.credential_process = process;
  await updateIniFile(writer, paths.config, (doc) => {
    setSection(doc, configSectionName(profile), config);
    return true;
  });
}

/**
 * Reads a profile back. Returns `undefined` when the credentials file, the section, or its access
 * key ID or secret is missing. `expiration` comes from the `; atmos: expiration=` comment;
 * `region` is the `region` argument when given (like `AWS_REGION` for the SDKs), else the config
 * file's. Expired credentials are returned as they are: the caller decides.
 */
export function readAwsCredentials(
  paths: AwsFilePaths,
  profile: string,
  region?: string,
  options: { process?: boolean } = {},
): AwsCredentials | undefined {
  const text = readTextOrUndefined(options.process ? sessionsFile(paths) : paths.credentials);
  if (text === undefined) return undefined;
  const doc = parseIni(text);
  const section = getSection(doc, profile);
  if (!section?.aws_access_key_id || !section.aws_secret_access_key) return undefined;
  const creds: AwsCredentials = {
    accessKeyId: section.aws_access_key_id,
    secretAccessKey: section.aws_secret_access_key,
  };
  if (section.aws_session_token) creds.sessionToken = section.aws_session_token;
  const expiration = expirationOf(doc, profile);
  if (expiration) creds.expiration = expiration;
  const configText = region ? undefined : readTextOrUndefined(paths.config);
  const resolvedRegion = region ||
    (configText === undefined
      ? undefined
      : getSection(parseIni(configText), configSectionName(profile))?.region);
  if (resolvedRegion) creds.region = resolvedRegion;
  return creds;
}

/**
 * Removes the profile's sections from both files; a file left without sections is deleted.
 * Returns whether anything was removed.
 */
export async function removeAwsProfile(
  writer: FileWriter,
  paths: AwsFilePaths,
  profile: string,
): Promise<boolean> {
  const fromCredentials = await updateIniFile(
    writer,
    paths.credentials,
    (doc) => removeSection(doc, profile),
  );
  const fromSessions = readTextOrUndefined(sessionsFile(paths)) !== undefined &&
    await updateIniFile(writer, sessionsFile(paths), (doc) => removeSection(doc, profile));
  const fromConfig = await updateIniFile(
    writer,
    paths.config,
    (doc) => removeSection(doc, configSectionName(profile)),
  );
  return fromCredentials || fromSessions || fromConfig;
}

/** Formats a date as RFC 3339 in UTC without milliseconds: `2026-08-20T18:04:05Z`. */
export function formatRfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Read-modify-write of one INI file under its lock. `change` returns whether it changed the
 * document; unchanged documents are not written, a document left with no sections deletes the
 * file. Returns whether the file changed.
 */
async function updateIniFile(
  writer: FileWriter,
  path: string,
  change: (doc: IniDocument) => boolean,
): Promise<boolean> {
  return await writer.withLock(path, async () => {
    const text = readTextOrUndefined(path);
    const doc = parseIni(text ?? "");
    if (!change(doc)) return false;
    if (doc.sections.length === 0) {
      if (text !== undefined) await writer.remove(path);
    } else {
      await writer.writeAtomic(path, stringifyIni(doc), 0o600);
    }
    return true;
  });
}

function expirationOf(doc: IniDocument, profile: string): Date | undefined {
  const section = doc.sections.find((s) => s.name === profile);
  for (const line of section?.comments ?? []) {
    const match = EXPIRATION_COMMENT.exec(line.replace(/\r$/, ""));
    if (match === null) continue;
    const date = new Date(match[1]);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

/** Synchronous: a small file, read on every warm run, where the async op costs ~0.2 ms more. */
function readTextOrUndefined(path: string): string | undefined {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}
