/**
 * The subject token of an `external_account` credential, read the way Google's clients read
 * its `credential_source`: a `file`, or a `url` fetched with its `headers`; as plain text or as
 * JSON with `format.subject_token_field_name`. Executable and AWS sources are not read by
 * atmos (it never runs a program named in a credentials file).
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import { checkedUrl } from "./endpoints.ts";
import { GOOGLE_TIMEOUT_MS } from "./http.ts";

/** `credential_source.format`. */
export interface SourceFormat {
  type?: string;
  subject_token_field_name?: string;
}

/** Reads the subject token `source` names. */
export async function readSubjectToken(source: unknown, where: string): Promise<string> {
  if (typeof source !== "object" || source === null) {
    throw new AtmosError(`${where} has no credential_source`, { exitCode: 2 });
  }
  const s = source as Record<string, unknown>;
  const format =
    (typeof s.format === "object" && s.format !== null ? s.format : {}) as SourceFormat;
  if (typeof s.file === "string" && s.file !== "") {
    let text: string;
    try {
      text = await Deno.readTextFile(s.file);
    } catch (error) {
      throw new AtmosError(
        `Cannot read the subject token file ${s.file} of ${where}: ${(error as Error).message}`,
      );
    }
    return tokenIn(text, format, `the subject token file ${s.file}`);
  }
  if (typeof s.url === "string" && s.url !== "") {
    const headers = typeof s.headers === "object" && s.headers !== null
      ? s.headers as Record<string, string>
      : {};
    const text = await fetchText(
      checkedUrl(s.url, `the credential_source url of ${where}`),
      headers,
    );
    return tokenIn(text, format, "the subject token URL's answer");
  }
  throw new AtmosError(`${where}: atmos reads only file and url credential sources`, {
    exitCode: 2,
    hint: "executable and AWS sources work in the clients, not in atmos",
  });
}

/**
 * GETs `url` with `headers` and returns the body text.
 *
 * @throws {AtmosError} on a network failure or a non-2xx answer (the URL's query and the
 * headers, which hold a request token, are never shown).
 */
export async function fetchText(url: URL, headers: Record<string, string>): Promise<string> {
  const shown = `${url.origin}${url.pathname}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: "application/json", ...headers },
      signal: AbortSignal.timeout(GOOGLE_TIMEOUT_MS),
    });
  } catch (error) {
    throw new AtmosError(`Cannot get a subject token from ${shown}: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) {
    throw new AtmosError(
      `Cannot get a subject token from ${shown}: it answered HTTP ${response.status}`,
      { hint: "in GitHub Actions, the job needs `permissions: id-token: write`" },
    );
  }
  return text;
}

/** The token in `text`: the whole trimmed text, or the named field of its JSON. */
export function tokenIn(text: string, format: SourceFormat, what: string): string {
  let token: unknown = text.trim();
  if (format.type === "json") {
    const field = format.subject_token_field_name ?? "value";
    try {
      token = JSON.parse(text)[field];
    } catch {
      token = undefined;
    }
  }
  if (typeof token !== "string" || token.trim() === "") {
    throw new AtmosError(`${what} holds no subject token`);
  }
  return token.trim();
}
