/**
 * macOS keychain access through `/usr/bin/security`, laid out like zalando/go-keyring (which
 * Atmos uses) so both programs read each other's entries: service = store key, account =
 * `atmos-auth`, value = `go-keyring-base64:` + base64 of the JSON envelope.
 *
 * The secret never appears in argv: `security add-generic-password -w <value>` would expose it in
 * the process list, so the command is written to `security -i` (interactive mode) on stdin.
 *
 * @module
 */

import { AtmosError } from "../errors.ts";
import type { KeychainCommands } from "./keychain.ts";
import { KEYCHAIN_ACCOUNT, keychainFailure } from "./keychain.ts";
import type { CommandRunner } from "./types.ts";

const PROGRAM = "security";
/** `errSecItemNotFound` as an exit code of `security`. */
const NOT_FOUND_CODE = 44;
const BASE64_PREFIX = "go-keyring-base64:";
const HEX_PREFIX = "go-keyring-encoded:";
/** `security -i` reads lines of at most this many bytes. */
const MAX_COMMAND_LENGTH = 4096;

/** The `security`-based keychain commands. */
export const macosKeychain: KeychainCommands = {
  program: PROGRAM,
  probe: probeMacos,
  get: getMacos,
  set: setMacos,
  delete: deleteMacos,
};

async function probeMacos(run: CommandRunner, key: string): Promise<string | undefined> {
  const result = await run(PROGRAM, ["find-generic-password", ...itemArgs(key)]);
  if (result.code === 0 || isNotFound(result.code, result.stderr)) return undefined;
  return `${PROGRAM} cannot read the keychain (exit ${result.code})`;
}

async function getMacos(run: CommandRunner, key: string): Promise<string | undefined> {
  const result = await run(PROGRAM, ["find-generic-password", ...itemArgs(key), "-w"]);
  if (isNotFound(result.code, result.stderr)) return undefined;
  if (result.code !== 0) throw keychainFailure("read", key, PROGRAM, result);
  return decodeValue(key, result.stdout.trim());
}

async function setMacos(run: CommandRunner, key: string, value: string): Promise<void> {
  const encoded = BASE64_PREFIX + btoa(binaryString(new TextEncoder().encode(value)));
  const line = `add-generic-password -U -s ${quote(key)} -a ${quote(KEYCHAIN_ACCOUNT)} -w ${
    quote(encoded)
  }\n`;
  if (line.length > MAX_COMMAND_LENGTH) {
    throw new AtmosError(
      `Cannot store credential "${key}" in the macOS keychain: the value is too large`,
    );
  }
  const result = await run(PROGRAM, ["-i"], line);
  // stderr is not shown: it could echo the command line, which holds the secret.
  if (result.code !== 0) throw keychainFailure("store", key, PROGRAM, { code: result.code });
}

async function deleteMacos(run: CommandRunner, key: string): Promise<boolean> {
  const result = await run(PROGRAM, ["delete-generic-password", ...itemArgs(key)]);
  if (result.code === 0) return true;
  if (isNotFound(result.code, result.stderr)) return false;
  throw keychainFailure("delete", key, PROGRAM, result);
}

function itemArgs(key: string): string[] {
  return ["-s", key, "-a", KEYCHAIN_ACCOUNT];
}

function isNotFound(code: number, stderr: string): boolean {
  return code === NOT_FOUND_CODE || stderr.includes("could not be found");
}

/** Undoes go-keyring's encodings; a value without a prefix is returned as is. */
function decodeValue(key: string, text: string): string {
  try {
    if (text.startsWith(BASE64_PREFIX)) {
      return utf8(Uint8Array.from(atob(text.slice(BASE64_PREFIX.length)), (c) => c.charCodeAt(0)));
    }
    if (text.startsWith(HEX_PREFIX)) return utf8(hexBytes(text.slice(HEX_PREFIX.length)));
  } catch {
    throw new AtmosError(
      `Cannot read credential "${key}" from the system keychain: the stored value is not valid`,
    );
  }
  return text;
}

/** Quotes one word for the `security -i` command line; refuses characters it cannot quote. */
function quote(word: string): string {
  // deno-lint-ignore no-control-regex
  if (/['"\\\x00-\x1f\x7f]/.test(word)) {
    throw new AtmosError(
      `Cannot use "${word}" as a macOS keychain item name: it contains a quote, backslash or control character`,
    );
  }
  return `'${word}'`;
}

function hexBytes(hex: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new Error("not hex");
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function binaryString(bytes: Uint8Array): string {
  let out = "";
  for (const byte of bytes) out += String.fromCharCode(byte);
  return out;
}

function utf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}
