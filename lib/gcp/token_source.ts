/**
 * The subject token of a `gcp/workload-identity-federation` provider, from its `token_source`
 * as Atmos reads it — `environment` (a variable), `file` (a path) or `url` (an HTTP GET answering
 * `{"value": <jwt>}`); without `token_source`, `ACTIONS_ID_TOKEN_REQUEST_URL` selects `url`, with
 * the provider's audience and `ACTIONS_ID_TOKEN_REQUEST_TOKEN` as the bearer — and the
 * `credential_source` that lets clients get it again by themselves:
 *
 * - `file`: the user's file itself;
 * - `url`: the same URL and bearer header, so clients fetch a fresh JWT on every refresh (what
 *   google-github-actions/auth writes; the request token then sits in a 0600 file);
 * - `environment`: a JWT in a variable has no file form, so atmos writes it to the identity's
 *   `subject_token` file (0600), re-written on every login.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import type { EnvGetter } from "../env.ts";
import { checkedUrl, isLoopbackHost } from "./endpoints.ts";
import { fetchText, tokenIn } from "./credential_source.ts";

/** `spec.token_source`. */
export interface TokenSourceSpec {
  type?: string;
  environment_variable?: string;
  file_path?: string;
  url?: string;
  request_token?: string;
  audience?: string;
  allowed_hosts?: string[];
}

/** A subject token and how clients get it again. */
export interface ResolvedSubject {
  token: string;
  /** The `credential_source` for the `external_account` file (`{file: ""}`: atmos writes it). */
  credentialSource: Record<string, unknown>;
  /** True when atmos must write `token` to a file of its own. */
  write: boolean;
}

/** True for GitHub Actions' OIDC hosts (`token.actions.githubusercontent.com` and regional ones). */
export function isGitHubActionsHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === "token.actions.githubusercontent.com" ||
    h.endsWith(".actions.githubusercontent.com");
}

/**
 * Gets the subject token of a provider.
 *
 * @param audience the provider's STS audience (the GitHub Actions token's default `aud`).
 */
export async function resolveSubject(
  spec: TokenSourceSpec | undefined,
  audience: string,
  env: EnvGetter,
  provider: string,
): Promise<ResolvedSubject> {
  // As in Atmos: no token_source means GitHub Actions when it is there; a token_source without
  // a type reads a variable.
  const type = spec
    ? spec.type ?? "environment"
    : env.get("ACTIONS_ID_TOKEN_REQUEST_URL")
    ? "url"
    : undefined;
  if (type === undefined) {
    throw new AtmosError(
      `Provider "${provider}" (gcp/workload-identity-federation) has no token_source`,
      {
        exitCode: 2,
        hint:
          "set spec.token_source (environment, file or url), or run in GitHub Actions with `permissions: id-token: write`",
      },
    );
  }
  if (type === "file") {
    const path = spec?.file_path ?? "";
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      throw new AtmosError(
        `Cannot read the token file of provider "${provider}" (${path}): ${
          (error as Error).message
        }`,
      );
    }
    return {
      token: tokenIn(text, {}, `the token file ${path}`),
      credentialSource: { file: path },
      write: false,
    };
  }
  if (type === "environment") {
    const name = spec?.environment_variable ?? "";
    const token = (env.get(name) ?? "").trim();
    if (token === "") {
      throw new AtmosError(`The variable ${name} of provider "${provider}" is empty`, {
        exitCode: 2,
        hint: `put the OIDC token in ${name}, or use a file or url token_source`,
      });
    }
    return { token, credentialSource: { file: "" }, write: true };
  }
  return await fromUrl(spec, audience, env, provider);
}

async function fromUrl(
  spec: TokenSourceSpec | undefined,
  audience: string,
  env: EnvGetter,
  provider: string,
): Promise<ResolvedSubject> {
  const fromEnv = !spec?.url;
  const raw = spec?.url || env.get("ACTIONS_ID_TOKEN_REQUEST_URL") || "";
  const what = fromEnv
    ? `ACTIONS_ID_TOKEN_REQUEST_URL for provider "${provider}"`
    : `the token_source url of provider "${provider}"`;
  if (raw === "") {
    throw new AtmosError(`Provider "${provider}" has no token URL`, {
      exitCode: 2,
      hint:
        "set spec.token_source.url, or run in GitHub Actions with `permissions: id-token: write`",
    });
  }
  const url = checkedUrl(raw, what);
  const host = url.hostname;
  if (fromEnv && !isGitHubActionsHost(host) && !isLoopbackHost(host)) {
    throw new AtmosError(`Refusing ${what}: ${host} is not a GitHub Actions OIDC host`, {
      exitCode: 2,
      hint: "set spec.token_source.url (and allowed_hosts) for another OIDC issuer",
    });
  }
  const allowed = spec?.allowed_hosts ?? [];
  if (!fromEnv && allowed.length > 0 && !hostAllowed(url, allowed)) {
    throw new AtmosError(`Refusing ${what}: ${host} is not in token_source.allowed_hosts`, {
      exitCode: 2,
    });
  }
  const tokenAudience = spec?.audience ?? (fromEnv ? audience : undefined);
  if (tokenAudience) url.searchParams.set("audience", tokenAudience);
  const bearer = spec?.request_token || env.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
  const headers: Record<string, string> = bearer ? { Authorization: `Bearer ${bearer}` } : {};
  const format = { type: "json", subject_token_field_name: "value" };
  const token = tokenIn(await fetchText(url, headers), format, `the answer of ${url.origin}`);
  return {
    token,
    credentialSource: { url: url.href, headers, format },
    write: false,
  };
}

function hostAllowed(url: URL, allowed: readonly string[]): boolean {
  return allowed.some((entry) => {
    const value = entry.trim().toLowerCase();
    return value !== "" &&
      (value === url.host.toLowerCase() || value === url.hostname.toLowerCase());
  });
}
