/**
 * Entra token minting: the resource a scope names, JWT-shaped access tokens (`oid`, `tid`,
 * `appid`, `scp`/`roles`, `aud` per resource), ID tokens whose `iss` is the issuer of the tenant's
 * discovery document (MSAL Python compares them), `client_info`, rotating refresh tokens, and
 * Entra's error shape (`AADSTS…` codes).
 *
 * @module
 */

import { randomBytes, toBase64Url } from "./crypto_util.ts";
import { signJwt } from "./jwt.ts";
import { entraSetting, entraSigner, isFamilyClient } from "./entra_state.ts";
import { recordSecret } from "./state.ts";
import type { EmulatorState } from "./state.ts";
import type { AzureTokenInfo, AzureUserTokens } from "./types.ts";

/** Scopes of OpenID Connect itself (they name no resource). */
const OIDC_SCOPES = new Set(["openid", "profile", "offline_access", "email"]);

/** Microsoft Graph's resource id: the audience when only OIDC scopes are asked for. */
export const GRAPH_RESOURCE = "00000003-0000-0000-c000-000000000000";

/** An Entra error answer. */
export class EntraError extends Error {
  /** `error` is the OAuth error, `code` the AADSTS number; `status` defaults to 400. */
  constructor(
    readonly error: string,
    readonly code: number,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }

  /** The JSON answer Entra sends. */
  toResponse(): Response {
    const timestamp = new Date().toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
    const traceId = crypto.randomUUID();
    const correlationId = crypto.randomUUID();
    return new Response(
      JSON.stringify({
        error: this.error,
        error_description: `AADSTS${this.code}: ${this.message} Trace ID: ${traceId} ` +
          `Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
        error_codes: [this.code],
        timestamp,
        trace_id: traceId,
        correlation_id: correlationId,
      }),
      { status: this.status, headers: { "content-type": "application/json; charset=utf-8" } },
    );
  }
}

/** What a `scope` parameter asks for. */
export interface ScopeRequest {
  /** The resource (`aud`), e.g. `https://management.core.windows.net/`. */
  audience: string;
  /** Permission names on the resource (`.default` kept as is). */
  permissions: string[];
  /** The scopes that name the resource, as the answer's `scope` echoes them. */
  resourceScopes: string[];
}

/** Splits a scope parameter into its one resource and permissions. */
export function parseScope(scope: string): ScopeRequest {
  const resourceScopes = scope.split(/\s+/).filter((s) => s !== "" && !OIDC_SCOPES.has(s));
  if (resourceScopes.length === 0) {
    return { audience: GRAPH_RESOURCE, permissions: ["openid", "profile"], resourceScopes: [] };
  }
  const split = resourceScopes.map((s) => {
    const slash = s.lastIndexOf("/");
    if (slash <= 0) {
      throw new EntraError(
        "invalid_scope",
        70011,
        `The provided value for the input parameter 'scope' is not valid. The scope ${s} is not valid.`,
      );
    }
    return { resource: s.slice(0, slash), permission: s.slice(slash + 1) };
  });
  const resources = new Set(split.map((s) => s.resource));
  if (resources.size > 1) {
    throw new EntraError(
      "invalid_request",
      28000,
      "Provided value for the input parameter scope is not valid because it contains more than one resource.",
    );
  }
  // `https://management.core.windows.net//.default` names `https://management.core.windows.net/`.
  const audience = split[0].resource;
  return { audience, permissions: split.map((s) => s.permission), resourceScopes };
}

/** The `iss` of tokens for a tenant segment, matching that tenant's discovery document. */
export function entraIssuer(state: EmulatorState, origin: string, tenant: string): string {
  return tenant === "adfs" ? `${origin}/adfs` : `${origin}/${state.entra.tenantId}/v2.0`;
}

function newOpaque(state: EmulatorState, prefix: string): string {
  const value = `${prefix}${toBase64Url(randomBytes(48))}`;
  recordSecret(state, value);
  return value;
}

/** A new device code, authorization code or refresh token (recorded as secret). */
export function newEntraSecret(state: EmulatorState, prefix: string): string {
  return newOpaque(state, prefix);
}

interface AccessTokenInput {
  info: Omit<AzureTokenInfo, "expiresAtMs">;
  origin: string;
  tenant: string;
  claims: Record<string, unknown>;
  lifetime: number;
}

async function mintAccessToken(state: EmulatorState, input: AccessTokenInput): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const token = await signJwt(await entraSigner(state), {
    aud: input.info.audience,
    iss: entraIssuer(state, input.origin, input.tenant),
    iat: Math.min(now, now + input.lifetime - 1),
    nbf: Math.min(now - 5, now + input.lifetime - 5),
    exp: now + input.lifetime,
    tid: state.entra.tenantId,
    oid: input.info.oid,
    sub: input.info.oid,
    appid: input.info.clientId,
    azp: input.info.clientId,
    uti: toBase64Url(randomBytes(16)),
    ver: "2.0",
    ...input.claims,
  });
  recordSecret(state, token);
  state.entra.tokens.set(token, { ...input.info, expiresAtMs: (now + input.lifetime) * 1000 });
  return token;
}

/** Issues an app-only access token (client credentials). */
export async function issueAppToken(
  state: EmulatorState,
  origin: string,
  tenant: string,
  app: { clientId: string; oid: string },
  scope: ScopeRequest,
): Promise<Record<string, unknown>> {
  const lifetime = entraSetting(state, "accessTokenLifetime");
  const accessToken = await mintAccessToken(state, {
    info: {
      kind: "app",
      oid: app.oid,
      clientId: app.clientId,
      tenantId: state.entra.tenantId,
      audience: scope.audience,
      grant: "client_credentials",
    },
    origin,
    tenant,
    claims: { idtyp: "app", roles: [] },
    lifetime,
  });
  return {
    token_type: "Bearer",
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
  };
}

/** Options of {@linkcode issueUserTokens}. */
export interface UserTokenRequest {
  origin: string;
  tenant: string;
  clientId: string;
  scope: ScopeRequest;
  grant: string;
  nonce?: string;
  /** Access token lifetime (default: the `accessTokenLifetime` option). */
  lifetime?: number;
}

/** Issues the user's access, refresh and ID tokens and `client_info`, as a user grant answers. */
export async function issueUserTokens(
  state: EmulatorState,
  request: UserTokenRequest,
): Promise<AzureUserTokens> {
  const user = state.entra.user;
  const lifetime = request.lifetime ?? entraSetting(state, "accessTokenLifetime");
  const family = isFamilyClient(request.clientId) ? "1" : undefined;
  const accessToken = await mintAccessToken(state, {
    info: {
      kind: "user",
      oid: user.oid,
      upn: user.upn,
      clientId: request.clientId,
      tenantId: state.entra.tenantId,
      audience: request.scope.audience,
      grant: request.grant,
    },
    origin: request.origin,
    tenant: request.tenant,
    claims: {
      idtyp: "user",
      upn: user.upn,
      unique_name: user.upn,
      name: user.name,
      scp: request.scope.permissions.join(" "),
    },
    lifetime,
  });
  const now = Math.floor(Date.now() / 1000);
  const idToken = await signJwt(await entraSigner(state), {
    aud: request.clientId,
    iss: entraIssuer(state, request.origin, request.tenant),
    iat: now,
    nbf: now - 5,
    exp: now + 3600,
    tid: state.entra.tenantId,
    oid: user.oid,
    sub: user.oid,
    preferred_username: user.upn,
    name: user.name,
    ver: "2.0",
    ...(request.nonce !== undefined ? { nonce: request.nonce } : {}),
  });
  recordSecret(state, idToken);
  const refreshToken = newOpaque(state, "0.rt.");
  state.entra.refreshTokens.set(refreshToken, {
    clientId: request.clientId,
    family,
    expiresAtMs: Date.now() + entraSetting(state, "refreshTokenLifetime") * 1000,
  });
  // The home tenant, as MSAL keys its cache: `adfs` for the ADFS shape, so az's entries stay put.
  const utid = request.tenant === "adfs" ? "adfs" : state.entra.tenantId;
  return {
    token_type: "Bearer",
    scope: request.scope.resourceScopes.join(" "),
    expires_in: lifetime,
    ext_expires_in: lifetime,
    access_token: accessToken,
    refresh_token: refreshToken,
    id_token: idToken,
    client_info: toBase64Url(JSON.stringify({ uid: user.oid, utid })),
    ...(family !== undefined ? { foci: family } : {}),
  };
}
