/**
 * `github/oidc`: fetches an OIDC identity token from the GitHub Actions token endpoint
 * (`ACTIONS_ID_TOKEN_REQUEST_URL` with `ACTIONS_ID_TOKEN_REQUEST_TOKEN`). The token feeds an
 * `aws/assume-role` identity (AssumeRoleWithWebIdentity). Ambient: never cached.
 *
 * @module
 */
import { AtmosError, type ConfigError } from "../../errors.ts";
import type { ProviderConfig } from "../../config/types.ts";
import { oidcCredentialSet } from "../credentials.ts";
import type { EnvGetter, IssueFn, ProviderKind } from "../kind.ts";
import { stringAt } from "../../config/values.ts";

/** Audience used when `spec.audience` is not set (what AWS STS expects by default). */
export const DEFAULT_AUDIENCE = "sts.amazonaws.com";

/** The `github/oidc` provider kind. */
export const githubOidc: ProviderKind = {
  kind: "github/oidc",
  ambient: true,
  fields: { spec: { audience: "string" } },
  validate(config: ProviderConfig, issue: IssueFn): ConfigError[] {
    const audience = config.spec?.audience;
    if (audience !== undefined && (typeof audience !== "string" || audience === "")) {
      return [issue(["spec", "audience"], "spec.audience must be a non-empty string")];
    }
    return [];
  },
  async authenticate(link, ctx) {
    const audience = stringAt(link.config.spec, "audience") ?? DEFAULT_AUDIENCE;
    const provider = { name: link.name, kind: "github/oidc" };
    const token = await actionsIdToken(ctx.env, audience, provider, ctx.debug);
    return oidcCredentialSet(token, jwtExpiry(token), audience);
  },
};

/**
 * An OIDC identity token for `audience` from the GitHub Actions token endpoint
 * (`ACTIONS_ID_TOKEN_REQUEST_URL` with the bearer `ACTIONS_ID_TOKEN_REQUEST_TOKEN`; https, or
 * http to a loopback address). `provider` names the provider in messages.
 *
 * @throws {AtmosError} exit 2 when the variables are missing or the URL is refused; exit 1 when
 *   the endpoint fails or returns no JWT.
 */
export async function actionsIdToken(
  env: EnvGetter,
  audience: string,
  provider: { name: string; kind: string },
  debug: (message: string) => void = () => {},
): Promise<string> {
  const name = provider.name;
  const url = env.get("ACTIONS_ID_TOKEN_REQUEST_URL");
  const requestToken = env.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN");
  if (!url || !requestToken) {
    throw new AtmosError(
      `Provider "${name}" (${provider.kind}) needs ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN`,
      {
        exitCode: 2,
        hint: "run inside GitHub Actions with `permissions: id-token: write`",
      },
    );
  }
  const target = checkedUrl(url, name);
  target.searchParams.set("audience", audience);
  debug(`${provider.kind} "${name}": requesting an OIDC token from ${target.origin}`);
  let response: Response;
  try {
    response = await fetch(target, {
      headers: { authorization: `bearer ${requestToken}`, accept: "application/json" },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new AtmosError(
      `Cannot get an OIDC token for provider "${name}": ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new AtmosError(
      `Cannot get an OIDC token for provider "${name}": the token endpoint answered HTTP ${response.status}`,
      { hint: "check that the workflow has `permissions: id-token: write`" },
    );
  }
  const body = await response.json().catch(() => undefined) as { value?: unknown } | undefined;
  const token = body?.value;
  if (typeof token !== "string" || token.split(".").length !== 3) {
    throw new AtmosError(
      `Cannot get an OIDC token for provider "${name}": the token endpoint returned no JWT`,
    );
  }
  return token;
}

/** Only https URLs are allowed, except plain http to a loopback address (for local testing). */
function checkedUrl(raw: string, provider: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AtmosError(`ACTIONS_ID_TOKEN_REQUEST_URL for provider "${provider}" is not a URL`, {
      exitCode: 2,
    });
  }
  const loopback = /^(127(\.\d{1,3}){3}|\[::1\]|localhost)$/.test(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new AtmosError(
      `Refusing ACTIONS_ID_TOKEN_REQUEST_URL for provider "${name}": it must use https`,
      { exitCode: 2, hint: "plain http is only accepted for loopback addresses" },
    );
  }
  return url;
}

/** Reads `exp` from a JWT payload; undefined when absent or unreadable. */
export function jwtExpiry(jwt: string): Date | undefined {
  try {
    const payload = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, "=")));
    return typeof claims.exp === "number" ? new Date(claims.exp * 1000) : undefined;
  } catch {
    return new Date(0);
  }
}
