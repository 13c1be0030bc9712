/**
 * The encrypted file format of the file store: AES-256-GCM with a key derived from the password by
 * PBKDF2-SHA256, the store key bound as additional authenticated data.
 *
 * Hand-written on WebCrypto (crypto.subtle) because no allowed dependency offers password-based
 * file encryption, and WebCrypto provides every primitive needed.
 *
 * File content (JSON):
 * `{"v":1,"kdf":"PBKDF2-SHA256","iterations":600000,"salt":b64,"iv":b64,"ciphertext":b64}`
 *
 * @module
 */

/** PBKDF2 iterations for new files (OWASP 2023 recommendation for PBKDF2-HMAC-SHA256). */
export const PBKDF2_ITERATIONS = 600_000;

/** Fewest iterations accepted when reading, so a tampered file cannot weaken derivation much. */
const MIN_ITERATIONS = 100_000;
/** Most iterations accepted when reading, so a tampered file cannot stall the process. */
const MAX_ITERATIONS = 10_000_000;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const KDF_NAME = "PBKDF2-SHA256";

/** One encrypted file as stored on disk. */
export interface EncryptedFile {
  /** Format version, 1. */
  v: 1;
  /** Key derivation function, `PBKDF2-SHA256`. */
  kdf: typeof KDF_NAME;
  /** PBKDF2 iteration count. */
  iterations: number;
  /** PBKDF2 salt, standard base64 (16 bytes). */
  salt: string;
  /** AES-GCM IV, standard base64 (12 bytes). */
  iv: string;
  /** AES-GCM ciphertext with its 16-byte tag appended, standard base64. */
  ciphertext: string;
}

/** Derives an AES-256-GCM key from a password and salt (PBKDF2-SHA256). */
export async function deriveKey(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(password),
    "PBKDF2",
    false,
    ["deriveKey"],
  );
  return await crypto.subtle.deriveKey(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/** Returns a fresh random salt for a new file. */
export function newSalt(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(SALT_BYTES));
}

/**
 * Encrypts `plaintext` for the store entry `name` with a key derived from `salt`. A fresh random IV
 * is used on every call.
 */
export async function encryptEntry(
  key: CryptoKey,
  salt: Uint8Array,
  name: string,
  plaintext: string,
): Promise<EncryptedFile> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ciphertext = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: additionalData(name) },
    key,
    new TextEncoder().encode(plaintext),
  );
  return {
    v: 1,
    kdf: KDF_NAME,
    iterations: PBKDF2_ITERATIONS,
    salt: toBase64(salt),
    iv: toBase64(iv),
    ciphertext: toBase64(new Uint8Array(ciphertext)),
  };
}

/**
 * Decrypts an entry. Rejects (with a WebCrypto OperationError) when the key is wrong, the file was
 * modified, or the file belongs to another entry name.
 */
export async function decryptEntry(
  key: CryptoKey,
  file: EncryptedFile,
  name: string,
): Promise<string> {
  const plaintext = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(file.iv), additionalData: additionalData(name) },
    key,
    fromBase64(file.ciphertext),
  );
  return new TextDecoder("utf-8", { fatal: true }).decode(plaintext);
}

/** Parses and checks a file's JSON; undefined when it is not a valid version-1 file. */
export function parseEncryptedFile(text: string): EncryptedFile | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const file = value as Record<string, unknown>;
  if (file.v !== 1 || file.kdf !== KDF_NAME) return undefined;
  const iterations = file.iterations;
  if (
    typeof iterations !== "number" || !Number.isInteger(iterations) ||
    iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS
  ) return undefined;
  for (const field of ["salt", "iv", "ciphertext"]) {
    if (typeof file[field] !== "string" || !isBase64(file[field] as string)) return undefined;
  }
  if (fromBase64(file.salt as string).length !== SALT_BYTES) return undefined;
  if (fromBase64(file.iv as string).length !== IV_BYTES) return undefined;
  return file as unknown as EncryptedFile;
}

/** Returns the salt bytes of a parsed file. */
export function saltOf(file: EncryptedFile): Uint8Array<ArrayBuffer> {
  return fromBase64(file.salt);
}

function additionalData(name: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`atmos-store:v1:${name}`);
}

function isBase64(text: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(text) && text.length % 4 === 0;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
