/**
 * Endpoint resolution for the AWS services atmos calls itself.
 *
 * Order: a configured `spec.endpoint_url` → `AWS_ENDPOINT_URL_<SERVICE>` → `AWS_ENDPOINT_URL`
 * → the public regional endpoint. Only endpoint settings are read from the environment, never
 * credentials or `~/.aws` files.
 *
 * @module
 */

import type { EnvGetter } from "../env.ts";

/**
 * Returns the base URL for an AWS service.
 *
 * @param service The SDK service id in upper snake case, e.g. `STS`, `SSO`, `SSO_OIDC`.
 * @param region The region the call is made in.
 * @param configured An endpoint from configuration (`spec.endpoint_url`), which wins.
 * @param env Environment lookup for `AWS_ENDPOINT_URL*`.
 */
export function resolveEndpoint(
  service: string,
  region: string,
  configured: string | undefined,
  env: EnvGetter,
): string {
  const explicit = configured || env.get(`AWS_ENDPOINT_URL_${service}`) ||
    env.get("AWS_ENDPOINT_URL");
  if (explicit) return explicit.replace(/\/+$/, "");
  const host = service.toLowerCase().replace(/_/g, "-");
  if (service === "SSO") return `https://portal.sso.${region}.amazonaws.com`;
  if (service === "SSO_OIDC") return `https://oidc.${region}.amazonaws.com`;
  return `https://${host}.${region}.amazonaws.com`;
}
