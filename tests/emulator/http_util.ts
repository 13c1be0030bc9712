/**
 * Small HTTP helpers shared by the Google and Entra handlers: JSON answers, form bodies and
 * bearer tokens.
 *
 * @module
 */

/** A JSON response. */
export function json(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(value), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** The parameters of a form-encoded body merged over the query string (the body wins). */
export async function formParams(request: Request): Promise<URLSearchParams> {
  const params = new URLSearchParams(new URL(request.url).search);
  const text = await request.text();
  for (const [name, value] of new URLSearchParams(text)) params.set(name, value);
  return params;
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get("authorization") ?? "";
  const m = /^bearer\s+(\S+)$/i.exec(header.trim());
  return m?.[1];
}

/** The `client_id:client_secret` pair of an `Authorization: Basic` header, or undefined. */
export function basicCredentials(request: Request): { id: string; secret: string } | undefined {
  const header = request.headers.get("authorization") ?? "";
  const m = /^basic\s+(\S+)$/i.exec(header.trim());
  if (!m) return undefined;
  let decoded: string;
  try {
    decoded = atob(m[1]);
  } catch {
    return undefined;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return {
    id: decodeURIComponent(decoded.slice(0, colon)),
    secret: decodeURIComponent(decoded.slice(colon + 1)),
  };
}

/** `YYYY-MM-DDTHH:MM:SSZ`: RFC 3339 without fractional seconds (Python google-auth rejects them). */
export function rfc3339Seconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
