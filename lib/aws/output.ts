/**
 * The AWS credential output: each identity link's session is a `[<identity>]` section of
 * `<dir>/credentials` (with its expiry in a comment) and `[profile <identity>]` with the region
 * in `<dir>/config`, where `<dir>` is `<config>/atmos/[<realm>/]aws/<root>`. Children get
 * `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE` and `AWS_PROFILE` — never a key.
 *
 * What only writing, removal, whoami and the console need loads when they run: a warm
 * `auth exec` or `auth credential-process` reads the files and nothing more.
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
import { type AwsFilePaths, awsFilesIn, readAwsCredentials, sessionsFile } from "./files.ts";
import { CREDENTIAL_VARIABLES } from "./variables.ts";

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
    const [{ writeAwsCredentials }, { shellQuote }] = await Promise.all([
      import("./files_write.ts"),
      import("../exec/shell_words.ts"),
    ]);
    await writeAwsCredentials(writer, awsPaths(link), link.identity, {
      ...creds.aws,
      region: link.region ?? creds.aws.region,
    }, { credentialProcess: credentialProcessCommand(link, shellQuote), notice: ctx?.notice });
  },
  readCached(link) {
    let aws;
    try {
      aws = readAwsCredentials(awsPaths(link), link.identity, undefined, {
        process: processMode(link),
      });
    } catch {
      return undefined;
    }
    // Only sessions atmos wrote count: a session token and an expiry comment.
    if (!aws || !aws.sessionToken || !aws.expiration) return undefined;
    return awsCredentialSet(aws);
  },
  async remove(link, writer) {
    const paths = awsPaths(link);
    const file = processMode(link) ? sessionsFile(paths) : paths.credentials;
    const label = `${file} [${link.identity}]`;
    if (!writer) return this.readCached(link) ? [label] : [];
    const { removeAwsProfile } = await import("./files_write.ts");
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
  credentialProcess(creds: CredentialSet): string {
    if (!isAwsSet(creds)) throw new AtmosError(`Internal error: ${creds.type} credentials`);
    // https://docs.aws.amazon.com/sdkref/latest/guide/feature-process-credentials.html
    return JSON.stringify({
      Version: 1,
      AccessKeyId: creds.aws.accessKeyId,
      SecretAccessKey: creds.aws.secretAccessKey,
      SessionToken: creds.aws.sessionToken,
      Expiration: creds.aws.expiration?.toISOString(),
    });
  },
  async whoami(link: OutputLink, ctx: OutputContext): Promise<WhoamiFacts> {
    const creds = readAwsCredentials(awsPaths(link), link.identity, undefined, {
      process: processMode(link),
    });
    if (!creds) return { details: {} };
    const [{ resolveEndpoint }, { getCallerIdentity }, { chainEndpoint, DEFAULT_REGION }] =
      await Promise.all([import("./endpoints.ts"), import("./sts.ts"), import("./link.ts")]);
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
    const [{ consoleDestination, getSigninToken, loginUrl, resolveSigninEndpoint }, { chainSpec }] =
      await Promise.all([import("./federation.ts"), import("../config/values.ts")]);
    destinationOrThrow(consoleDestination, request.destination);
    const creds = readAwsCredentials(awsPaths(link), link.identity, undefined, {
      process: processMode(link),
    });
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

/** True for identities whose clients ask atmos (`session.refresh: process`). */
function processMode(link: OutputLink): boolean {
  return link.config.session?.refresh === "process";
}

/**
 * The `credential_process` line of an identity in process mode: this atmos, every word quoted
 * for the POSIX-shell-like splitting SDKs apply (botocore: shlex; the JS SDK: a shell; Go: a
 * shell), then `auth credential-process -i <identity>`.
 */
function credentialProcessCommand(
  link: OutputLink,
  shellQuote: (word: string) => string,
): string | undefined {
  if (!processMode(link)) return undefined;
  if (!link.atmosCommand) {
    throw new AtmosError(
      `Internal error: no atmos command line for the credential_process of "${link.identity}"`,
    );
  }
  // --cache-dir lets a warm call answer from the sessions file without loading the configuration.
  return [
    ...link.atmosCommand,
    "auth",
    "credential-process",
    "-i",
    link.identity,
    "--cache-dir",
    link.dir,
  ].map(shellQuote).join(" ");
}

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
