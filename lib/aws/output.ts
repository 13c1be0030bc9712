/**
 * The AWS credential output: each identity link's session is a `[<identity>]` section of
 * `<dir>/credentials` (with its expiry in a comment) and `[profile <identity>]` with the region
 * in `<dir>/config`, where `<dir>` is `<config>/atmos/[<realm>/]aws/<root>`. Children get
 * `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE` and `AWS_PROFILE` — never a key.
 *
 * @module
 */
import { AtmosError, UsageError } from "../errors.ts";
import type { IdentityConfig } from "../config/types.ts";
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
import { awsCredentialSet, isAwsSet } from "./credential_set.ts";
import {
  type AwsFilePaths,
  awsFilesIn,
  readAwsCredentials,
  removeAwsProfile,
  writeAwsCredentials,
} from "./files.ts";
import { chainEndpoint, DEFAULT_REGION } from "./link.ts";
import { CREDENTIAL_VARIABLES } from "./variables.ts";
import { chainSpec } from "../config/values.ts";

/** Shortest and longest console session AWS accepts, in seconds. */
export const CONSOLE_SECONDS = { min: 900, max: 43200 };

/** The secret fields of an identity's inline `credentials:` (e.g. read with `!env`). */
const SECRET_KEYS = ["access_key_id", "secret_access_key", "session_token"];

/** The credential and config files of a link's chain. */
export function awsPaths(link: OutputLink): AwsFilePaths {
  return awsFilesIn(link.dir);
}

/** The AWS credential-file output. */
export const awsFilesOutput: CredentialOutput = {
  name: "aws",
  persistent: true,
  isolates: true,
  consoleName: "AWS console",
  files(link) {
    const { credentials, config } = awsPaths(link);
    return { credentials, config };
  },
  async write(writer: FileWriter, link: OutputLink, creds: CredentialSet, ctx?: OutputContext) {
    if (!isAwsSet(creds)) {
      throw new AtmosError(
        `Internal error: identity "${link.identity}" produced ${creds.type} credentials for AWS files`,
      );
    }
    await writeAwsCredentials(writer, awsPaths(link), link.identity, {
      ...creds.aws,
      region: link.region ?? creds.aws.region,
    }, ctx?.notice);
  },
  readCached(link) {
    let aws;
    try {
      aws = readAwsCredentials(awsPaths(link), link.identity);
    } catch {
      return undefined;
    }
    // Only sessions atmos wrote count: a session token and an expiry comment.
    if (!aws || !aws.sessionToken || !aws.expiration) return undefined;
    return awsCredentialSet(aws);
  },
  async remove(link, writer) {
    const paths = awsPaths(link);
    const label = `${paths.credentials} [${link.identity}]`;
    if (!writer) return this.readCached(link) ? [label] : [];
    return await removeAwsProfile(writer, paths, link.identity) ? [label] : [];
  },
  env(link): ChildEnv {
    const paths = awsPaths(link);
    const set: Record<string, string> = {
      AWS_SHARED_CREDENTIALS_FILE: paths.credentials,
      AWS_CONFIG_FILE: paths.config,
      AWS_PROFILE: link.identity,
      AWS_SDK_LOAD_CONFIG: "1",
      AWS_EC2_METADATA_DISABLED: "true",
    };
    if (link.region) {
      set.AWS_REGION = link.region;
      set.AWS_DEFAULT_REGION = link.region;
    }
    return { set, unset: CREDENTIAL_VARIABLES };
  },
  secretsIn(config: IdentityConfig) {
    const values: string[] = [];
    for (const key of SECRET_KEYS) {
      const value = config.credentials?.[key];
      if (typeof value === "string" && value.length >= 8) values.push(value);
    }
    return values;
  },
  async whoami(link: OutputLink, ctx: OutputContext): Promise<WhoamiFacts> {
    const creds = readAwsCredentials(awsPaths(link), link.identity);
    if (!creds) return { details: {} };
    const [{ resolveEndpoint }, { getCallerIdentity }] = await Promise.all([
      import("./endpoints.ts"),
      import("./sts.ts"),
    ]);
    const region = link.region ?? creds.region ?? DEFAULT_REGION;
    const endpoint = resolveEndpoint("STS", region, chainEndpoint(link), ctx.env);
    const caller = await getCallerIdentity({ region, endpoint, credentials: creds });
    return { principal: caller.arn, details: { account: caller.account } };
  },
  async checkConsole(request: ConsoleRequest) {
    const { consoleDestination } = await import("./federation.ts");
    destinationOrThrow(consoleDestination, request.destination);
    const seconds = request.durationSeconds;
    if (seconds !== undefined && (seconds < CONSOLE_SECONDS.min || seconds > CONSOLE_SECONDS.max)) {
      throw new UsageError(`invalid console duration "${request.duration ?? seconds}"`, {
        hint: "use a duration from 15m to 12h, e.g. 1h",
      });
    }
  },
  async console(link: OutputLink, request: ConsoleRequest, ctx: OutputContext) {
    const { consoleDestination, getSigninToken, loginUrl, resolveSigninEndpoint } = await import(
      "./federation.ts"
    );
    destinationOrThrow(consoleDestination, request.destination);
    const creds = readAwsCredentials(awsPaths(link), link.identity);
    if (!creds) throw new AtmosError(`no credentials found for "${link.identity}"`);
    const endpoint = resolveSigninEndpoint(chainSpec(link, "signin_endpoint_url"), ctx.env);
    const token = await getSigninToken(endpoint, creds, request.durationSeconds);
    return loginUrl(endpoint, {
      signinToken: token,
      destination: consoleDestination(request.destination, link.region)!,
      issuer: request.issuer,
    });
  },
};

function destinationOrThrow(
  consoleDestination: (value: string | undefined) => string | undefined,
  destination: string | undefined,
): void {
  if (consoleDestination(destination) === undefined) {
    throw new UsageError(`invalid --destination "${destination}"`, {
      hint: "use a service alias such as s3, ec2 or iam, or an https:// console URL",
    });
  }
}
