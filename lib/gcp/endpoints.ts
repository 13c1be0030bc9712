/**
 * Where atmos's own Google calls go, and the same URLs written into the files children read so
 * they follow: gcloud's variables `CLOUDSDK_API_ENDPOINT_OVERRIDES_STS` and
 * `CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS` (base URLs: `<base>v1/token` and
 * `<base>v1/projects/-/serviceAccounts/<email>:generateAccessToken`) and
 * `CLOUDSDK_AUTH_TOKEN_HOST` (the full OAuth token URL). Token information is asked next to the
 * token endpoint (`…/tokeninfo`, as on `oauth2.googleapis.com`).
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import type { EnvGetter } from "../env.ts";

/** Google's STS base URL. */
export const DEFAULT_STS_BASE = "https://sts.googleapis.com/";
/** Google's IAM Credentials base URL. */
export const DEFAULT_IAM_BASE = "https://iamcredentials.googleapis.com/";
/** Google's OAuth token URL (user refresh). */
export const DEFAULT_TOKEN_HOST = "https://oauth2.googleapis.com/token";

/** The endpoints of one authentication, with the overrides that were set. */
export interface GcpEndpoints {
  /** STS base URL, ending in `/`. */
  readonly stsBase: string;
  /** IAM Credentials base URL, ending in `/`. */
  readonly iamBase: string;
  /** The OAuth token URL for `authorized_user` refreshes. */
  readonly tokenHost: string;
  /** True for each value that came from a variable (and goes into gcloud's configuration). */
  readonly overridden: {
    readonly sts: boolean;
    readonly iam: boolean;
    readonly tokenHost: boolean;
  };
}

/** The variables, by what they set. */
export const ENDPOINT_VARIABLES = {
  sts: "CLOUDSDK_API_ENDPOINT_OVERRIDES_STS",
  iam: "CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS",
  tokenHost: "CLOUDSDK_AUTH_TOKEN_HOST",
} as const;

/**
 * Google's endpoints, overridden by the variables.
 *
 * @throws {AtmosError} exit 2 when a variable is not an https URL (http only for loopback).
 */
export function gcpEndpoints(env: EnvGetter): GcpEndpoints {
  const sts = env.get(ENDPOINT_VARIABLES.sts) || undefined;
  const iam = env.get(ENDPOINT_VARIABLES.iam) || undefined;
  const tokenHost = env.get(ENDPOINT_VARIABLES.tokenHost) || undefined;
  return {
    stsBase: sts ? baseUrl(checkedUrl(sts, ENDPOINT_VARIABLES.sts)) : DEFAULT_STS_BASE,
    iamBase: iam ? baseUrl(checkedUrl(iam, ENDPOINT_VARIABLES.iam)) : DEFAULT_IAM_BASE,
    tokenHost: tokenHost
      ? checkedUrl(tokenHost, ENDPOINT_VARIABLES.tokenHost).href
      : DEFAULT_TOKEN_HOST,
    overridden: { sts: sts !== undefined, iam: iam !== undefined, tokenHost: !!tokenHost },
  };
}

/** The STS token-exchange URL, `<base>v1/token`. */
export function stsTokenUrl(endpoints: Pick<GcpEndpoints, "stsBase">): string {
  return `${endpoints.stsBase}v1/token`;
}

/** The generateAccessToken URL of a service account. */
export function impersonationUrl(iamBase: string, email: string): string {
  return `${iamBase}v1/projects/-/serviceAccounts/${email}:generateAccessToken`;
}

/** The service account an impersonation URL names, or undefined when it names none. */
export function impersonatedEmail(url: string): string | undefined {
  const m = /\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(url);
  return m ? decodeURIComponent(m[1]) : undefined;
}

/** The IAM Credentials base URL of an impersonation URL (everything before `v1/projects/`). */
export function iamBaseOf(url: string): string | undefined {
  const at = url.indexOf("v1/projects/-/serviceAccounts/");
  return at > 0 ? url.slice(0, at) : undefined;
}

/** The token-information URL next to a token URL (`…/token` → `…/tokeninfo`). */
export function tokenInfoUrl(tokenHost: string): string {
  const url = new URL(tokenHost);
  url.pathname = url.pathname.replace(/[^/]*$/, "tokeninfo");
  url.search = "";
  return url.href;
}

/** True for `127.x.x.x`, `[::1]` and `localhost`. */
export function isLoopbackHost(hostname: string): boolean {
  return /^(127(\.\d{1,3}){3}|\[::1\]|localhost)$/.test(hostname);
}

/**
 * Parses a URL atmos will call: https, or plain http to a loopback address (for testing).
 *
 * @throws {AtmosError} exit 2 naming `what` (never echoing the value's query, which may be a secret).
 */
export function checkedUrl(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AtmosError(`${what} is not a URL`, {
      exitCode: 2,
      hint: "use an https:// URL",
    });
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && isLoopbackHost(url.hostname))) {
    throw new AtmosError(`Refusing ${what}: it must use https`, {
      exitCode: 2,
      hint: "plain http is only accepted for loopback addresses",
    });
  }
  return url;
}

function baseUrl(url: URL): string {
  const text = `${url.origin}${url.pathname}`;
  return text.endsWith("/") ? text : `${text}/`;
}
