/**
 * Reading (never verifying) the claims of JWTs atmos already trusts: Entra ID tokens and access
 * tokens it just received over TLS, and federated tokens it hands on. Used for names, ids and
 * expiry only.
 *
 * @module
 */

/** The payload of a JWT, or undefined when it is not one. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const claims = base64UrlJson(parts[1]);
  return claims && typeof claims === "object" && !Array.isArray(claims)
    ? claims as Record<string, unknown>
    : undefined;
}

/** `exp` of a JWT as a date, or undefined when absent or unreadable. */
export function jwtExpiration(token: string): Date | undefined {
  const exp = jwtClaims(token)?.exp;
  return typeof exp === "number" && Number.isFinite(exp) ? new Date(exp * 1000) : undefined;
}

/** Decodes base64url JSON (a JWT segment, MSAL's `client_info`); undefined when invalid. */
export function base64UrlJson(text: string): unknown {
  try {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, "="));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}
