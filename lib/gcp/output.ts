/**
 * The Google credential output: each identity gets an ADC JSON its clients refresh by
 * themselves and a private gcloud config dir (see `files.ts`), under
 * `<config>/atmos/[<realm>/]gcp/<root>/`. Children get pointers and ids only —
 * `GOOGLE_APPLICATION_CREDENTIALS`, `CLOUDSDK_CONFIG`, `CLOUDSDK_ACTIVE_CONFIG_NAME`, project,
 * region and zone — never a token (Atmos puts one in `GOOGLE_OAUTH_ACCESS_TOKEN`; atmos does
 * not).
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import type { FileWriter } from "../fs/writer.ts";
import type {
  ChildEnv,
  ConsoleRequest,
  CredentialOutput,
  OutputContext,
  OutputLink,
  WhoamiFacts,
} from "../auth/output.ts";
import type { CredentialSet } from "../auth/credentials.ts";
import { gcpCredentialSet, isGcpSet } from "./credential_set.ts";
import { gcpPaths, originUnchanged, readGcpFiles, removeGcpFiles, writeGcpFiles } from "./files.ts";
import { chainProject, chainZone } from "./link.ts";
import { GCLOUD_CONFIGURATION } from "./gcloud_config.ts";

/** Variables a Google child gets besides the credential pointers, replaced for every child. */
export const CONTEXT_VARIABLES: readonly string[] = [
  "GOOGLE_CLOUD_PROJECT",
  "GCLOUD_PROJECT",
  "CLOUDSDK_CORE_PROJECT",
  "GOOGLE_CLOUD_REGION",
  "CLOUDSDK_COMPUTE_REGION",
  "GOOGLE_CLOUD_ZONE",
  "CLOUDSDK_COMPUTE_ZONE",
];

/**
 * The variables a chain's federation reads its OIDC token from (`token_source.environment_variable`):
 * children read the token from the identity's file, never from a variable.
 */
export function subjectVariables(link: OutputLink): string[] {
  return link.upstream.flatMap(({ config }) => {
    const source = config.spec?.token_source as Record<string, unknown> | undefined;
    const name = source?.environment_variable;
    return typeof name === "string" && name !== "" ? [name] : [];
  });
}

/** The Google output. */
export const gcpOutput: CredentialOutput = {
  name: "gcp",
  persistent: true,
  isolates: true,
  consoleName: "Google Cloud console",
  files(link) {
    const paths = gcpPaths(link.dir, link.identity);
    return { credentials: paths.adc, gcloud_config: paths.configDir };
  },
  async write(writer: FileWriter, link: OutputLink, creds: CredentialSet) {
    if (!isGcpSet(creds) || !creds.endpoints) {
      throw new AtmosError(
        `Internal error: identity "${link.identity}" produced ${creds.type} credentials for Google files`,
      );
    }
    await writeGcpFiles(writer, gcpPaths(link.dir, link.identity), {
      plan: creds.plan,
      endpoints: creds.endpoints,
      subjectToken: creds.subject?.write ? creds.subject.token : undefined,
      project: chainProject(link),
      region: link.region,
      zone: chainZone(link),
      record: {
        expiration: creds.expiration?.toISOString(),
        principal: creds.principal,
        origin: creds.origin,
      },
    });
  },
  readCached(link) {
    const written = readGcpFiles(gcpPaths(link.dir, link.identity));
    if (!written || !originUnchanged(written.record.origin)) return undefined;
    const expiration = written.record.expiration ? new Date(written.record.expiration) : undefined;
    return gcpCredentialSet({
      plan: written.plan,
      origin: written.record.origin,
      project: chainProject(link),
      principal: written.record.principal,
      // Only logins atmos checked count: a record always has the checked token's expiry.
      expiration: expiration && !Number.isNaN(expiration.getTime()) ? expiration : new Date(0),
      region: link.region,
    });
  },
  remove(link, writer) {
    return removeGcpFiles(gcpPaths(link.dir, link.identity), writer);
  },
  env(link): ChildEnv {
    const paths = gcpPaths(link.dir, link.identity);
    const set: Record<string, string> = {
      GOOGLE_APPLICATION_CREDENTIALS: paths.adc,
      CLOUDSDK_CONFIG: paths.configDir,
      CLOUDSDK_ACTIVE_CONFIG_NAME: GCLOUD_CONFIGURATION,
    };
    const project = chainProject(link);
    if (project) {
      set.GOOGLE_CLOUD_PROJECT = project;
      set.GCLOUD_PROJECT = project;
      set.CLOUDSDK_CORE_PROJECT = project;
    }
    if (link.region) {
      set.GOOGLE_CLOUD_REGION = link.region;
      set.CLOUDSDK_COMPUTE_REGION = link.region;
    }
    const zone = chainZone(link);
    if (zone) {
      set.GOOGLE_CLOUD_ZONE = zone;
      set.CLOUDSDK_COMPUTE_ZONE = zone;
    }
    return { set, unset: [...CONTEXT_VARIABLES, ...subjectVariables(link)] };
  },
  async whoami(link: OutputLink, ctx: OutputContext): Promise<WhoamiFacts> {
    const { whoami } = await import("./whoami.ts");
    return await whoami(link, ctx);
  },
  async checkConsole(request: ConsoleRequest) {
    const { consoleProblem } = await import("./console.ts");
    const problem = consoleProblem(request);
    if (problem) throw problem;
  },
  async console(link: OutputLink, request: ConsoleRequest) {
    const { consoleUrl } = await import("./console.ts");
    return consoleUrl(request.destination, chainProject(link));
  },
};
