/**
 * XML bodies in the exact shape real STS (Query protocol, 2011-06-15) returns.
 *
 * @module
 */

import type { IssuedKey } from "./state.ts";
import type { StsFault } from "./sts_fault.ts";

/** The STS XML namespace. */
export const STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

/** A tree of XML elements: strings are text, objects are child elements in order. */
export type XmlNode = string | { [name: string]: XmlNode };

/** Escapes text for XML element content. */
export function escapeXml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&apos;");
}

function renderNode(node: XmlNode): string {
  if (typeof node === "string") return escapeXml(node);
  let out = "";
  for (const [name, child] of Object.entries(node)) {
    out += `<${name}>${renderNode(child)}</${name}>`;
  }
  return out;
}

/** Formats ms since the epoch as STS does: ISO 8601 in UTC without fractional seconds. */
export function formatExpiration(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The `<Credentials>` element for temporary keys. */
export function credentialsNode(key: IssuedKey): XmlNode {
  return {
    AccessKeyId: key.accessKeyId,
    SecretAccessKey: key.secretAccessKey,
    SessionToken: key.sessionToken ?? "",
    Expiration: formatExpiration(key.expiresAtMs ?? 0),
  };
}

/** A successful `<{Action}Response>` document with the given result children. */
export function successXml(action: string, result: XmlNode, requestId: string): string {
  return `<${action}Response xmlns="${STS_NAMESPACE}">\n` +
    `  <${action}Result>${renderNode(result)}</${action}Result>\n` +
    `  <ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>\n` +
    `</${action}Response>\n`;
}

/** An `<ErrorResponse>` document for a fault. */
export function errorXml(fault: StsFault, requestId: string): string {
  return `<ErrorResponse xmlns="${STS_NAMESPACE}">\n` +
    `  <Error><Type>${fault.type}</Type><Code>${escapeXml(fault.code)}</Code>` +
    `<Message>${escapeXml(fault.message)}</Message></Error>\n` +
    `  <RequestId>${escapeXml(requestId)}</RequestId>\n` +
    `</ErrorResponse>\n`;
}
