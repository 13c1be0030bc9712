/**
 * Linux/BSD Secret Service (GNOME Keyring, KWallet) access through libsecret's `secret-tool`,
 * with the attributes zalando/go-keyring (which Atmos uses) sets, so both programs read each
 * other's entries: `service` = store key, `username` = `atmos-auth`, value = the JSON envelope.
 *
 * The secret goes to `secret-tool store` on stdin, never in argv.
 *
 * @module
 */

import type { KeychainCommands } from "./keychain.ts";
import { KEYCHAIN_ACCOUNT, keychainFailure } from "./keychain.ts";
import type { CommandResult, CommandRunner } from "./types.ts";

const PROGRAM = "secret-tool";

/** The `secret-tool`-based keychain commands. */
export const secretService: KeychainCommands = {
  program: PROGRAM,
  probe: probeSecretService,
  get: getSecretService,
  set: setSecretService,
  delete: deleteSecretService,
};

async function probeSecretService(run: CommandRunner, key: string): Promise<string | undefined> {
  const result = await run(PROGRAM, ["lookup", ...attributes(key)]);
  if (result.code === 0 || isNotFound(result)) return undefined;
  return `${PROGRAM} cannot reach the Secret Service (exit ${result.code})`;
}

async function getSecretService(run: CommandRunner, key: string): Promise<string | undefined> {
  const result = await run(PROGRAM, ["lookup", ...attributes(key)]);
  if (result.code === 0) return result.stdout;
  if (isNotFound(result)) return undefined;
  throw keychainFailure("read", key, PROGRAM, result);
}

async function setSecretService(run: CommandRunner, key: string, value: string): Promise<void> {
  const label = `--label=Password for '${KEYCHAIN_ACCOUNT}' on '${key}'`;
  const result = await run(PROGRAM, ["store", label, ...attributes(key)], value);
  if (result.code !== 0) throw keychainFailure("store", key, PROGRAM, result);
}

async function deleteSecretService(run: CommandRunner, key: string): Promise<boolean> {
  // `secret-tool clear` succeeds whether or not an item matched, so look first.
  const existed = (await getSecretService(run, key)) !== undefined;
  if (!existed) return false;
  const result = await run(PROGRAM, ["clear", ...attributes(key)]);
  if (result.code !== 0) throw keychainFailure("delete", key, PROGRAM, result);
  return true;
}

function attributes(key: string): string[] {
  return ["service", key, "username", KEYCHAIN_ACCOUNT];
}

/** `secret-tool lookup` exits 1 silently when nothing matches, and prints a message on errors. */
function isNotFound(result: CommandResult): boolean {
  return result.code === 1 && result.stderr.trim() === "";
}
