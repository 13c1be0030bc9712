/**
 * Changes to the AWS credential files (layout and reading in `files.ts`): each is a
 * read-modify-write under the file's lock, written atomically with mode 0600, with the checksum
 * and expiration comments above atmos's own sections; a file botocore cannot parse is moved aside
 * to `<file>.corrupt-<time>` first (said in one line) and written anew.
 *
 * @module
 */

import type { FileWriter } from "../fs/writer.ts";
import { type IniDocument, parseIni, removeSection, setSection, stringifyIni } from "./ini.ts";
import { parseBotocoreIni } from "./ini_botocore.ts";
import { checksumComment } from "./checksum.ts";
import type { AwsCredentials } from "./types.ts";
import { DEFAULT_REGION } from "./link.ts";
import {
  type AwsFilePaths,
  configSectionName,
  formatRfc3339,
  type Notice,
  readBytesOrUndefined,
  sessionsFile,
} from "./files.ts";

/**
 * Writes (or replaces) the `[<profile>]` section of the credentials file, with the checksum and
 * expiration comments, and the `[profile <profile>]` section of the config file with only
 * `region`. Other sections are left untouched. Each file is changed under its own lock and
 * written with mode 0600; a damaged file is moved aside first, said through `notice`.
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
  options: { credentialProcess?: string; notice?: Notice } = {},
): Promise<void> {
  const notice = options.notice;
  const entries: [string, string][] = [
    ["aws_access_key_id", creds.accessKeyId],
    ["aws_secret_access_key", creds.secretAccessKey],
  ];
  if (creds.sessionToken) entries.push(["aws_session_token", creds.sessionToken]);
  // The checksum line first: Atmos's expiration line stays right above the header.
  const comment = [checksumComment(entries)];
  if (creds.expiration) comment.push(`atmos: expiration=${formatRfc3339(creds.expiration)}`);
  const process = options.credentialProcess;
  await updateIniFile(writer, process ? sessionsFile(paths) : paths.credentials, (doc) => {
    setSection(doc, profile, Object.fromEntries(entries), { comment });
    return true;
  }, notice);
  // The other file must not keep this profile's keys: in the credentials file they would win
  // over credential_process; in the sessions file they are a stale copy.
  const other = process ? paths.credentials : sessionsFile(paths);
  if (readBytesOrUndefined(other) !== undefined) {
    await updateIniFile(writer, other, (doc) => removeSection(doc, profile), notice);
  }
  const config: Record<string, string> = { region: creds.region || DEFAULT_REGION };
  if (process) config.credential_process = process;
  await updateIniFile(writer, paths.config, (doc) => {
    setSection(doc, configSectionName(profile), config);
    return true;
  }, notice);
}

/**
 * Removes the profile's sections from both files; a file left without sections is deleted.
 * Returns whether anything was removed.
 */
export async function removeAwsProfile(
  writer: FileWriter,
  paths: AwsFilePaths,
  profile: string,
  notice?: Notice,
): Promise<boolean> {
  const fromCredentials = await updateIniFile(
    writer,
    paths.credentials,
    (doc) => removeSection(doc, profile),
    notice,
  );
  const fromSessions = readBytesOrUndefined(sessionsFile(paths)) !== undefined &&
    await updateIniFile(writer, sessionsFile(paths), (doc) => removeSection(doc, profile), notice);
  const fromConfig = await updateIniFile(
    writer,
    paths.config,
    (doc) => removeSection(doc, configSectionName(profile)),
    notice,
  );
  return fromCredentials || fromSessions || fromConfig;
}

/**
 * Read-modify-write of one INI file under its lock. `change` returns whether it changed the
 * document; unchanged documents are not written, a document left with no sections deletes the
 * file. A file botocore cannot parse is first moved aside (`<file>.corrupt-<time>`, said through
 * `notice`) and the change applied to an empty document. Returns whether the file changed.
 */
async function updateIniFile(
  writer: FileWriter,
  path: string,
  change: (doc: IniDocument) => boolean,
  notice: Notice = () => {},
): Promise<boolean> {
  return await writer.withLock(path, async () => {
    let bytes = readBytesOrUndefined(path);
    let movedAside = false;
    const parsed = bytes === undefined ? undefined : parseBotocoreIni(bytes);
    if (bytes !== undefined && parsed?.ok === false) {
      const aside = `${path}.corrupt-${timeStamp(new Date())}`;
      await writer.writeAtomic(aside, bytes, 0o600);
      notice(
        `warning: ${path} could not be read (${parsed.problem}); moved it to ${aside} and wrote a new one`,
      );
      bytes = undefined;
      movedAside = true;
    }
    const text = bytes === undefined
      ? undefined
      : new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    const doc = parseIni(text ?? "");
    const changed = change(doc);
    if (!changed && !movedAside) return false;
    if (doc.sections.length > 0) await writer.writeAtomic(path, stringifyIni(doc), 0o600);
    else if (text !== undefined || movedAside) await writer.remove(path);
    return changed;
  });
}

/** `20261205T080000.123Z`: a file-name-safe UTC time. */
function timeStamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "");
}
