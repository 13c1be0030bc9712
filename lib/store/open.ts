/**
 * Chooses and opens the credential store. Like Atmos, an unavailable system keychain never
 * aborts: it falls back to the encrypted file store when a password is in the environment, else
 * to a store that keeps nothing.
 *
 * @module
 */

import { createCommandRunner } from "./command.ts";
import { FileStore } from "./file.ts";
import { MemoryStore } from "./memory.ts";
import { NoopStore } from "./noop.ts";
import {
  DEFAULT_PASSWORD_ENV,
  MIN_PASSWORD_LENGTH,
  type PasswordSource,
  resolvePassword,
} from "./password.ts";
import { probeSystemKeychain, SystemStore } from "./system.ts";
import type { EnvGetter } from "../env.ts";
import type { CommandRunner, CredentialStore, StoreWriter } from "./types.ts";

/** How long an availability probe may take before the keychain counts as unavailable. */
const PROBE_TIMEOUT_MS = 3_000;
/** How long a keychain operation may take (an unlock dialog may be waiting for the user). */
const OPERATION_TIMEOUT_MS = 60_000;

/** Options for {@linkcode openStore}. */
export interface OpenStoreOptions {
  /**
   * Requested backend, already resolved by the caller (`ATMOS_KEYRING_TYPE` > `auth.keyring.type`
   * > default): `system` (when absent), `file`, `memory` or `noop`. Unknown values use `system`.
   */
  type?: string;
  /** Environment (password variable, `DBUS_SESSION_BUS_ADDRESS`). */
  env: EnvGetter;
  /** Directory of the file store, e.g. `<config>/atmos/keyring`. */
  fileDir: string;
  /** Variable holding the file-store password (default `ATMOS_KEYRING_PASSWORD`). */
  passwordEnv?: string;
  /** Writer for the file store's set/delete; without it that store is read-only. */
  writer?: StoreWriter;
  /** Asks for the file-store password when the variable is unset; give it only with a TTY. */
  promptPassword?: () => Promise<string>;
  /** Runs keychain commands; tests pass a fake. Default: Deno.Command with timeouts. */
  runCommand?: CommandRunner;
  /** Operating system, as `Deno.build.os` (default: the current one). */
  platform?: string;
}

/**
 * Opens the requested credential store. Never prompts and never touches the keychain beyond an
 * availability probe; the file store asks for its password on first use of an entry. Never
 * throws for an unavailable system keychain: the returned store's `fallbackReason` says why
 * another backend is used.
 */
export async function openStore(options: OpenStoreOptions): Promise<CredentialStore> {
  const type = (options.type ?? "").trim().toLowerCase() || "system";
  const password: PasswordSource = {
    env: options.env,
    envName: options.passwordEnv || DEFAULT_PASSWORD_ENV,
    prompt: options.promptPassword,
  };
  switch (type) {
    case "memory":
      return new MemoryStore();
    case "noop":
      return new NoopStore();
    case "file":
      return fileStore(options, password);
    case "system":
      return await systemStore(options, password);
    default:
      return await systemStore(options, password, `unknown keyring type "${options.type}"`);
  }
}

async function systemStore(
  options: OpenStoreOptions,
  password: PasswordSource,
  unknownType?: string,
): Promise<CredentialStore> {
  const probe = await probeSystemKeychain({
    platform: options.platform ?? Deno.build.os,
    env: options.env,
    probeRunner: options.runCommand ?? createCommandRunner({ timeoutMs: PROBE_TIMEOUT_MS }),
  });
  const prefix = unknownType ? `${unknownType}; ` : "";
  if (probe.commands) {
    const run = options.runCommand ?? createCommandRunner({ timeoutMs: OPERATION_TIMEOUT_MS });
    const reason = unknownType ? `${prefix}using the system keychain` : undefined;
    return new SystemStore(probe.commands, run, reason);
  }
  const unavailable = `${prefix}system keychain unavailable: ${probe.reason}`;
  const fromEnv = options.env.get(password.envName);
  if (!fromEnv) {
    return new NoopStore(`${unavailable}; ${password.envName} is not set, so nothing is stored`);
  }
  if (fromEnv.length < MIN_PASSWORD_LENGTH) {
    // Checked now so a bad password degrades to noop instead of failing on first use.
    return new NoopStore(`${unavailable}; ${password.envName} is too short, so nothing is stored`);
  }
  const envOnly: PasswordSource = { env: options.env, envName: password.envName };
  return fileStore(options, envOnly, `${unavailable}; using the encrypted file store`);
}

function fileStore(
  options: OpenStoreOptions,
  password: PasswordSource,
  fallbackReason?: string,
): FileStore {
  return new FileStore({
    dir: options.fileDir,
    password: () => resolvePassword(password),
    writer: options.writer,
    fallbackReason,
  });
}
