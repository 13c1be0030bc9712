/**
 * Encrypted file credential store: one 0600 file per key in a 0700 directory, each encrypted with
 * AES-256-GCM under a password-derived key (format in `file_cipher.ts`). Reads use Deno directly;
 * writes and deletes go through the sandboxed writer.
 *
 * @module
 */

import { join } from "../fs/path.ts";
import { AtmosError } from "../errors.ts";
import {
  decryptEntry,
  deriveKey,
  type EncryptedFile,
  encryptEntry,
  newSalt,
  parseEncryptedFile,
  PBKDF2_ITERATIONS,
  saltOf,
} from "./file_cipher.ts";
import { decodeSecret, encodeSecret } from "./secret.ts";
import type { CredentialStore, StoredSecret, StoreWriter } from "./types.ts";

/** File name suffix of store entries; other files in the directory (temporaries) are ignored. */
const ENTRY_SUFFIX = ".json";

/** Options for {@linkcode FileStore}. */
export interface FileStoreOptions {
  /** Directory holding the entries (created 0700 on first write). */
  dir: string;
  /** Returns the password; called at most once successfully, only when an entry is encrypted or decrypted. */
  password: () => Promise<string>;
  /** Writer for set/delete; without it the store is read-only. */
  writer?: StoreWriter;
  /** Why this backend replaced the requested one, for a debug log. */
  fallbackReason?: string;
}

/** A password-encrypted credential store in a directory. */
export class FileStore implements CredentialStore {
  /** Always `file`. */
  readonly kind = "file" as const;
  /** Why this backend replaced the requested one. */
  readonly fallbackReason?: string;
  /** The entries' directory. */
  readonly dir: string;
  #passwordSource: () => Promise<string>;
  #cachedPassword?: string;
  #writer?: StoreWriter;
  /** Derived keys by base64 salt, so each salt is derived once per process. */
  #keys = new Map<string, Promise<CryptoKey>>();

  constructor(options: FileStoreOptions) {
    this.dir = options.dir;
    this.#passwordSource = options.password;
    this.#writer = options.writer;
    this.fallbackReason = options.fallbackReason;
  }

  /** Reads and decrypts an entry; undefined when no file exists. */
  async get(key: string): Promise<StoredSecret | undefined> {
    const path = this.#entryPath(key);
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw new AtmosError(`Cannot read credential "${key}" from "${path}"`, { cause: error });
    }
    const file = parseEncryptedFile(text);
    if (!file) throw decryptFailure(key);
    let plaintext: string;
    try {
      plaintext = await decryptEntry(await this.#keyFor(file), file, key);
    } catch (error) {
      if (error instanceof AtmosError) throw error;
      throw decryptFailure(key);
    }
    return decodeSecret(key, plaintext);
  }

  /** Encrypts and writes an entry (fresh salt and IV), replacing any previous one atomically. */
  async set(key: string, value: StoredSecret): Promise<void> {
    const writer = this.#requireWriter(key);
    const path = this.#entryPath(key);
    const salt = newSalt();
    const file = await encryptEntry(
      await this.#deriveCached(salt),
      salt,
      key,
      encodeSecret(value),
    );
    await writer.mkdir(this.dir, 0o700);
    await writer.writeAtomic(path, JSON.stringify(file) + "\n", 0o600);
  }

  /** Removes an entry; true when it existed. Needs no password. */
  async delete(key: string): Promise<boolean> {
    const writer = this.#requireWriter(key);
    const path = this.#entryPath(key);
    try {
      await Deno.lstat(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false;
      throw new AtmosError(`Cannot delete credential "${key}" at "${path}"`, { cause: error });
    }
    await writer.remove(path);
    return true;
  }

  /** Lists stored keys, sorted. Needs no password. */
  async list(): Promise<string[]> {
    const keys: string[] = [];
    try {
      for await (const entry of Deno.readDir(this.dir)) {
        if (!entry.isFile) continue;
        const key = keyFromFileName(entry.name);
        if (key !== undefined) keys.push(key);
      }
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw new AtmosError(`Cannot list the credential store "${this.dir}"`, { cause: error });
    }
    return keys.sort();
  }

  #entryPath(key: string): string {
    if (key === "") throw new AtmosError("Cannot use an empty credential store key");
    return join(this.dir, entryFileName(key));
  }

  #requireWriter(key: string): StoreWriter {
    if (this.#writer) return this.#writer;
    throw new AtmosError(
      `Cannot change credential "${key}": the encrypted credential store was opened read-only`,
    );
  }

  async #password(): Promise<string> {
    this.#cachedPassword ??= await this.#passwordSource();
    return this.#cachedPassword;
  }

  #keyFor(file: EncryptedFile): Promise<CryptoKey> {
    return this.#deriveCached(saltOf(file), file.iterations);
  }

  #deriveCached(salt: Uint8Array<ArrayBuffer>, iterations?: number): Promise<CryptoKey> {
    const id = `${iterations ?? "default"}:${Array.from(salt).join(",")}`;
    let key = this.#keys.get(id);
    if (!key) {
      key = this.#password().then((password) =>
        deriveKey(password, salt, iterations ?? PBKDF2_ITERATIONS)
      );
      // A failed password lookup must not stay cached: the next call may succeed.
      key.catch(() => this.#keys.delete(id));
      this.#keys.set(id, key);
    }
    return key;
  }
}

/** Returns the file name for a key: base64url of its UTF-8 bytes plus `.json`. */
export function entryFileName(key: string): string {
  return base64Url(new TextEncoder().encode(key)) + ENTRY_SUFFIX;
}

/** Returns the key encoded in an entry file name, or undefined when it is not an entry. */
export function keyFromFileName(name: string): string | undefined {
  if (!name.endsWith(ENTRY_SUFFIX)) return undefined;
  const encoded = name.slice(0, -ENTRY_SUFFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded) || encoded.length % 4 === 1) return undefined;
  try {
    const binary = atob(encoded.replaceAll("-", "+").replaceAll("_", "/"));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function base64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function decryptFailure(key: string): AtmosError {
  return new AtmosError(
    `Cannot decrypt credential "${key}": wrong password or corrupted file`,
    { hint: "check the store password, or delete the entry and store the credentials again" },
  );
}
