/**
 * The AWS sign-in federation endpoint: `getSigninToken` turns role session credentials into a
 * sign-in token, and the login URL opens the console with it. The token grants console access
 * for up to 12 hours: it is secret, like the credentials it was made from.
 *
 * Hand-written: one GET and one URL, no SDK covers it.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import type { AwsCredentials } from "./types.ts";
import type { EnvGetter } from "../env.ts";
import { describeNetworkError } from "./retry.ts";

/** The public sign-in endpoint (aws partition). */
export const DEFAULT_SIGNIN_ENDPOINT = "https://signin.aws.amazon.com";

/**
 * The sign-in endpoint: a configured `spec.signin_endpoint_url` → `AWS_ENDPOINT_URL_SIGNIN` →
 * `https://signin.aws.amazon.com`. Only `https`, or plain `http` to a loopback address (tests),
 * is accepted: the request carries session credentials.
 */
export function resolveSigninEndpoint(configured: string | undefined, env: EnvGetter): string {
  const raw = configured || env.get("AWS_ENDPOINT_URL_SIGNIN") || DEFAULT_SIGNIN_ENDPOINT;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AtmosError(`the sign-in endpoint "${raw}" is not a URL`, { exitCode: 2 });
  }
  const loopback = /^(127(\.\d{1,3}){3}|\[::1\]|localhost)$/.test(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new AtmosError(`refusing the sign-in endpoint ${url.origin}: it must use https`, {
      exitCode: 2,
      hint: "plain http is only accepted for loopback addresses",
    });
  }
  return raw.replace(/\/+$/, "");
}

/**
 * Calls `federation?Action=getSigninToken` with session credentials and returns the sign-in
 * token. `durationSeconds` is sent only when given (AWS refuses it for role-chained sessions).
 */
export async function getSigninToken(
  endpoint: string,
  creds: AwsCredentials,
  durationSeconds?: number,
): Promise<string> {
  if (!creds.sessionToken) {
    throw new AtmosError("the console needs session credentials; these have no session token", {
      exitCode: 2,
      hint: "use a role identity (aws/assume-role or aws/permission-set)",
    });
  }
  const url = new URL(`${endpoint}/federation`);
  url.searchParams.set("Action", "getSigninToken");
  if (durationSeconds !== undefined) url.searchParams.set("SessionDuration", `${durationSeconds}`);
  url.searchParams.set(
    "Session",
    JSON.stringify({
      sessionId: creds.accessKeyId,
      sessionKey: creds.secretAccessKey,
      sessionToken: creds.sessionToken,
    }),
  );
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    // Never show `url`: its query holds the credentials (so does the fetch error's text).
    throw new AtmosError(
      `Cannot reach the AWS sign-in endpoint ${url.origin}: ${describeNetworkError(error)}`,
    );
  }
  const text = await response.text();
  let token: unknown;
  try {
    token = JSON.parse(text)?.SigninToken;
  } catch {
    token = undefined;
  }
  if (!response.ok || typeof token !== "string" || token === "") {
    throw new AtmosError(
      `AWS sign-in refused the session credentials (HTTP ${response.status})`,
      {
        hint:
          "console sign-in needs role credentials (aws/assume-role or aws/permission-set), not an IAM user session; a --duration over 1h is refused for role-chained sessions",
      },
    );
  }
  return token;
}

/** The console login URL for a sign-in token. */
export function loginUrl(
  endpoint: string,
  params: { signinToken: string; destination: string; issuer: string },
): string {
  const url = new URL(`${endpoint}/federation`);
  url.searchParams.set("Action", "login");
  url.searchParams.set("Issuer", params.issuer);
  url.searchParams.set("Destination", params.destination);
  url.searchParams.set("SigninToken", params.signinToken);
  return url.toString();
}

/** Console start page when no destination is given. */
export const DEFAULT_DESTINATION = "https://console.aws.amazon.com/";

/** Short names for `--destination`, mapped to their console paths. */
export const CONSOLE_ALIASES: Readonly<Record<string, string>> = {
  acm: "acm/home",
  apigateway: "apigateway/main",
  athena: "athena/home",
  billing: "billing/home",
  cloudformation: "cloudformation/home",
  cloudfront: "cloudfront/v4/home",
  cloudtrail: "cloudtrail/home",
  cloudwatch: "cloudwatch/home",
  codebuild: "codesuite/codebuild/home",
  codepipeline: "codesuite/codepipeline/home",
  dynamodb: "dynamodbv2/home",
  ec2: "ec2/home",
  ecr: "ecr/home",
  ecs: "ecs/v2/home",
  eks: "eks/home",
  elasticache: "elasticache/home",
  iam: "iam/home",
  kms: "kms/home",
  lambda: "lambda/home",
  logs: "cloudwatch/home#logsV2:",
  organizations: "organizations/v2/home",
  rds: "rds/home",
  route53: "route53/v2/home",
  s3: "s3/home",
  secretsmanager: "secretsmanager/home",
  sns: "sns/v3/home",
  sqs: "sqs/v3/home",
  ssm: "systems-manager/home",
  sso: "singlesignon/home",
  stepfunctions: "states/home",
  vpc: "vpcconsole/home",
};

/**
 * The console URL for `--destination`: empty → the console home; an alias (`s3`, `ec2`, …) →
 * that service in `region`; an `https://` URL as it is.
 *
 * @returns `undefined` when the value is neither an alias nor an https URL.
 */
export function consoleDestination(value: string | undefined, region?: string): string | undefined {
  if (!value) return DEFAULT_DESTINATION;
  const alias = CONSOLE_ALIASES[value.toLowerCase()];
  if (alias) {
    const [path, fragment] = alias.split("#");
    const url = new URL(`https://console.aws.amazon.com/${path}`);
    if (region) url.searchParams.set("region", region);
    return fragment === undefined ? url.toString() : `${url}#${fragment}`;
  }
  return /^https:\/\/[^\s]+$/.test(value) && URL.canParse(value) ? value : undefined;
}
