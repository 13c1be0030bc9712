/**
 * Entra discovery: `GET /<tenant>/v2.0/.well-known/openid-configuration`,
 * `GET /<tenant>/.well-known/openid-configuration` (what MSAL fetches for the ADFS shape,
 * `/adfs/.well-known/openid-configuration`), the signing keys `GET /<tenant>/discovery/v2.0/keys`
 * and instance discovery `GET /common/discovery/instance`. Every endpoint in a document is on the
 * origin the client asked (so https stays https).
 *
 * @module
 */

import { json } from "./http_util.ts";
import { entraSigner, resolveTenant } from "./entra_state.ts";
import { EntraError, entraIssuer } from "./entra_tokens.ts";
import { countCall } from "./state.ts";
import type { EmulatorState } from "./state.ts";

const CONFIG_PATH = /^\/([^/]+)(\/v2\.0)?\/\.well-known\/openid-configuration$/;
const KEYS_PATH = /^\/([^/]+)\/discovery(\/v2\.0)?\/keys$/;

/** True for a discovery route of Entra. */
export function isEntraDiscoveryPath(path: string): boolean {
  return CONFIG_PATH.test(path) || KEYS_PATH.test(path) || path === "/common/discovery/instance";
}

function unknownTenant(segment: string): Response {
  return new EntraError(
    "invalid_tenant",
    90002,
    `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are ` +
      "signing into the correct cloud.",
  ).toResponse();
}

function openIdConfiguration(state: EmulatorState, origin: string, segment: string): Response {
  const tenant = resolveTenant(state, segment);
  if (tenant === undefined) return unknownTenant(segment);
  const base = `${origin}/${segment}`;
  return json(200, {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: [
      "client_secret_post",
      "private_key_jwt",
      "client_secret_basic",
    ],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: entraIssuer(state, origin, tenant),
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${origin}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "nonce",
      "preferred_username",
      "name",
      "tid",
      "oid",
    ],
    tenant_region_scope: "NA",
    cloud_instance_name: new URL(origin).hostname,
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
  });
}

function instanceDiscovery(origin: string): Response {
  const host = new URL(origin).host;
  return json(200, {
    tenant_discovery_endpoint: `${origin}/common/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}

/** Answers an Entra discovery request. */
export async function handleEntraDiscovery(
  state: EmulatorState,
  request: Request,
): Promise<Response> {
  const url = new URL(request.url);
  const path = url.pathname;
  if (path === "/common/discovery/instance") {
    countCall(state, "entra.instance-discovery");
    return instanceDiscovery(url.origin);
  }
  const config = CONFIG_PATH.exec(path);
  if (config) {
    countCall(state, "entra.openid-configuration");
    return openIdConfiguration(state, url.origin, config[1]);
  }
  countCall(state, "entra.keys");
  const segment = KEYS_PATH.exec(path)![1];
  if (resolveTenant(state, segment) === undefined) return unknownTenant(segment);
  return json(200, { keys: [(await entraSigner(state)).publicJwk] });
}
