/**
 * The files of one Google identity, under its chain's directory
 * `<config>/atmos/[<realm>/]gcp/<root>/` (Atmos's layout, one set per identity):
 *
 * ```
 * adc/<identity>/application_default_credentials.json   the ADC JSON (GOOGLE_APPLICATION_CREDENTIALS)
 * adc/<identity>/gcloud_credentials.json                gcloud's credential file, when it differs
 * adc/<identity>/subject_token                          a federated JWT atmos had to write
 * adc/<identity>/atmos_session.json                     expiry, principal, origin (no secret)
 * config/<identity>/active_config                       "atmos"               (CLOUDSDK_CONFIG)
 * config/<identity>/configurations/config_atmos         project, region, credentials, endpoints
 * ```
 *
 * Every file is written 0600 (directories 0700) through the sandboxed writer, atomically, under
 * the identity's lock; the session record last, so a reader never sees half a login.
 *
 * @module
 */
import { join } from "../fs/path.ts";
import { identitySegment } from "../fs/layout.ts";
import type { FileWriter } from "../fs/writer.ts";
import { type AdcJson, gcloudAuth, type GcpPlan, planOf, renderAdc } from "./adc.ts";
import type { FileOrigin } from "./credential_set.ts";
import { GCLOUD_CONFIGURATION, gcloudConfiguration } from "./gcloud_config.ts";
import type { GcpEndpoints } from "./endpoints.ts";

/** Where one identity's files live. */
export interface GcpPaths {
  /** `adc/<identity>`. */
  adcDir: string;
  adc: string;
  gcloudCredentials: string;
  subjectToken: string;
  session: string;
  /** `config/<identity>`: the gcloud config dir (`CLOUDSDK_CONFIG`). */
  configDir: string;
  activeConfig: string;
  configuration: string;
}

/**
 * The files of `identity` in the chain directory `dir` (the name as one path segment, see
 * `identitySegment`: `<account>/<permission set>` names included).
 */
export function gcpPaths(dir: string, identity: string): GcpPaths {
  const segment = identitySegment(identity);
  const adcDir = join(dir, "adc", segment);
  const configDir = join(dir, "config", segment);
  return {
    adcDir,
    adc: join(adcDir, "application_default_credentials.json"),
    gcloudCredentials: join(adcDir, "gcloud_credentials.json"),
    subjectToken: join(adcDir, "subject_token"),
    session: join(adcDir, "atmos_session.json"),
    configDir,
    activeConfig: join(configDir, "active_config"),
    configuration: join(configDir, "configurations", `config_${GCLOUD_CONFIGURATION}`),
  };
}

/** atmos's record of a login: nothing secret. */
export interface SessionRecord {
  expiration?: string;
  principal?: string;
  origin?: FileOrigin;
}

/** Everything one identity's files are made of. */
export interface GcpFiles {
  plan: GcpPlan;
  endpoints: GcpEndpoints;
  /** A JWT to write to `subject_token` (the plan's base then reads it from there). */
  subjectToken?: string;
  project?: string;
  region?: string;
  zone?: string;
  record: SessionRecord;
}

/** Writes an identity's files. */
export async function writeGcpFiles(
  writer: FileWriter,
  paths: GcpPaths,
  files: GcpFiles,
): Promise<void> {
  await writer.withLock(paths.session, async () => {
    let plan = files.plan;
    if (files.subjectToken !== undefined) {
      await writer.writeAtomic(paths.subjectToken, files.subjectToken, 0o600);
      plan = withSourceFile(plan, paths.subjectToken);
    } else {
      await writer.remove(paths.subjectToken);
    }
    const iamBase = files.endpoints.iamBase;
    const adc = renderAdc(plan, iamBase);
    await writer.writeAtomic(paths.adc, json(adc), 0o600);
    const gcloud = gcloudAuth(plan, iamBase);
    let credentialFile = paths.adc;
    if (json(gcloud.credentials) !== json(adc)) {
      credentialFile = paths.gcloudCredentials;
      await writer.writeAtomic(paths.gcloudCredentials, json(gcloud.credentials), 0o600);
    } else {
      await writer.remove(paths.gcloudCredentials);
    }
    await writer.writeAtomic(paths.activeConfig, GCLOUD_CONFIGURATION, 0o600);
    const overridden = files.endpoints.overridden;
    await writer.writeAtomic(
      paths.configuration,
      gcloudConfiguration({
        project: files.project,
        region: files.region,
        zone: files.zone,
        credentialFile,
        impersonate: gcloud.impersonate,
        tokenHost: overridden.tokenHost ? files.endpoints.tokenHost : undefined,
        iamEndpoint: overridden.iam ? iamBase : undefined,
      }),
      0o600,
    );
    await writer.writeAtomic(paths.session, json(files.record), 0o600);
  });
}

/** What was written for an identity, read back with no network call; undefined when absent. */
export interface WrittenGcp {
  plan: GcpPlan;
  record: SessionRecord;
}

/** Reads an identity's record and ADC back (undefined when either is missing or unreadable). */
export function readGcpFiles(paths: GcpPaths): WrittenGcp | undefined {
  try {
    const record = JSON.parse(Deno.readTextFileSync(paths.session)) as SessionRecord;
    const plan = planOf(JSON.parse(Deno.readTextFileSync(paths.adc)), paths.adc);
    return { plan, record };
  } catch {
    return undefined;
  }
}

/**
 * Removes an identity's files (its `adc/` and `config/` directories, gcloud's own files in the
 * latter included); without a writer only reports what exists.
 */
export async function removeGcpFiles(paths: GcpPaths, writer?: FileWriter): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of [paths.adcDir, paths.configDir]) {
    const exists = await Deno.lstat(dir).then(() => true, () => false);
    if (!exists) continue;
    if (writer) await writer.remove(dir, { recursive: true });
    removed.push(dir);
  }
  return removed;
}

/** True when the file a base was read from still has the size and time recorded. */
export function originUnchanged(origin: FileOrigin | undefined): boolean {
  if (!origin) return true;
  try {
    const info = Deno.statSync(origin.path);
    return info.size === origin.size && (info.mtime?.getTime() ?? 0) === origin.mtimeMs;
  } catch {
    return false;
  }
}

/** The plan with its `external_account` base reading the subject token from `path`. */
export function withSourceFile(plan: GcpPlan, path: string): GcpPlan {
  if (plan.base.type !== "external_account") return plan;
  return { ...plan, base: { ...plan.base, credential_source: { file: path } } as AdcJson };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
