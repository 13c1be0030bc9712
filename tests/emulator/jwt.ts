/**
 * The emulator's OIDC issuer key: RS256 JWT signing and verification, and its JWKS.
 *
 * Hand-written over WebCrypto (RSASSA-PKCS1-v1_5 / SHA-256): the allowed dependencies have no JOSE
 * library, and RS256 compact JWS is a few lines.
 *
 * @module
 */

import { fromBase64Url, toBase64Url, utf8 } from "./crypto_util.ts";

const ALGORITHM = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;

/** An RSA key pair that signs and checks the emulator's JWTs. */
export interface OidcSigner {
  /** Key ID placed in JWT headers and the JWKS. */
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public key as a JWK (with kid, alg, use). */
  publicJwk: JsonWebKey & { kid: string; alg: string; use: string };
}

/** JWT claims as a plain object. */
export type JwtClaims = Record<string, unknown>;

/** Why a JWT was refused. */
export class JwtError extends Error {
  /** `invalid` for bad shape/signature/claims, `expired` when `exp` has passed. */
  readonly reason: "invalid" | "expired";

  constructor(reason: "invalid" | "expired", message: string) {
    super(message);
    this.name = "JwtError";
    this.reason = reason;
  }
}

/** Generates a fresh 2048-bit RSA signing key. */
export async function createOidcSigner(): Promise<OidcSigner> {
  const pair = await crypto.subtle.generateKey(
    { ...ALGORITHM, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ["sign", "verify"],
  ) as CryptoKeyPair;
  const jwk = await crypto.subtle.exportKey("jwk", pair.publicKey);
  const kid = crypto.randomUUID();
  return {
    kid,
    privateKey: pair.privateKey,
    publicKey: pair.publicKey,
    publicJwk: { kty: jwk.kty, n: jwk.n, e: jwk.e, kid, alg: "RS256", use: "sig" },
  };
}

/** Signs claims as a compact RS256 JWT. */
export async function signJwt(signer: OidcSigner, claims: JwtClaims): Promise<string> {
  const header = { alg: "RS256", typ: "JWT", kid: signer.kid };
  const input = `${toBase64Url(JSON.stringify(header))}.${toBase64Url(JSON.stringify(claims))}`;
  const signature = await crypto.subtle.sign(
    ALGORITHM,
    signer.privateKey,
    utf8(input) as BufferSource,
  );
  return `${input}.${toBase64Url(new Uint8Array(signature))}`;
}

function parseJson(part: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(fromBase64Url(part)));
  } catch {
    throw new JwtError("invalid", `${what} is not base64url JSON`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new JwtError("invalid", `${what} is not a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Verifies an RS256 JWT signed by `signer` and returns its claims. Checks the header (alg, kid),
 * the signature, `exp` (must be in the future), `nbf`, `aud` (must be present) and, when given,
 * `iss`.
 */
export async function verifyJwt(
  signer: OidcSigner,
  token: string,
  expectedIssuer?: string,
  nowMs: number = Date.now(),
): Promise<JwtClaims> {
  const parts = token.split(".");
  if (parts.length !== 3) throw new JwtError("invalid", "token is not a compact JWS");
  const header = parseJson(parts[0], "JWT header");
  if (header.alg !== "RS256") throw new JwtError("invalid", "JWT alg is not RS256");
  if (header.kid !== undefined && header.kid !== signer.kid) {
    throw new JwtError("invalid", "JWT kid is not a key of this issuer");
  }
  let signature: Uint8Array;
  try {
    signature = fromBase64Url(parts[2]);
  } catch {
    throw new JwtError("invalid", "JWT signature is not base64url");
  }
  const ok = await crypto.subtle.verify(
    ALGORITHM,
    signer.publicKey,
    signature as BufferSource,
    utf8(`${parts[0]}.${parts[1]}`) as BufferSource,
  );
  if (!ok) throw new JwtError("invalid", "JWT signature does not verify");
  const claims = parseJson(parts[1], "JWT payload");
  const now = nowMs / 1000;
  if (typeof claims.exp !== "number") throw new JwtError("invalid", "JWT has no numeric exp");
  if (claims.exp <= now) throw new JwtError("expired", "JWT has expired");
  if (typeof claims.nbf === "number" && claims.nbf > now + 60) {
    throw new JwtError("invalid", "JWT is not valid yet");
  }
  const aud = claims.aud;
  const hasAud = typeof aud === "string" ? aud !== "" : Array.isArray(aud) && aud.length > 0;
  if (!hasAud) throw new JwtError("invalid", "JWT has no aud claim");
  if (expectedIssuer !== undefined && claims.iss !== expectedIssuer) {
    throw new JwtError("invalid", "JWT iss is not this issuer");
  }
  if (typeof claims.sub !== "string" || claims.sub === "") {
    throw new JwtError("invalid", "JWT has no sub claim");
  }
  return claims;
}
