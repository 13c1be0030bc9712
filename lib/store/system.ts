/**
 * The OS keychain store: macOS `security`, or the Secret Service through `secret-tool` on Linux
 * and the BSDs. Items use Atmos's layout (service = store key, account = `atmos-auth`, value =
 * JSON envelope), so entries written by Atmos are readable here and the other way round.
 *
 * Hand-written around command-line tools because Deno has no keychain API and FFI bindings would
 * need native libraries and `--allow-ffi`.
 *
 * @module
 */

import { AtmosError } from "../errors.ts";
import { type KeychainCommands, PROBE_KEY } from "./keychain.ts";
import { macosKeychain } from "./keychain_macos.ts";
import { secretService } from "./secret_service.ts";
import { decodeSecret, encodeSecret } from "./secret.ts";
import type { EnvGetter } from "../env.ts";
import type { CommandRunner, CredentialStore, StoredSecret } from "./types.ts";

/** A credential store in the OS keychain. It cannot list its keys. */
export class SystemStore implements CredentialStore {
  /** Always `system`. */
  readonly kind = "system" as const;
  /** Set when the requested type was unknown and the system keychain was used instead. */
  readonly fallbackReason?: string;
  #commands: KeychainCommands;
  #run: CommandRunner;

  constructor(commands: KeychainCommands, run: CommandRunner, fallbackReason?: string) {
    this.#commands = commands;
    this.#run = run;
    this.fallbackReason = fallbackReason;
  }

  /** Reads and parses an item; undefined when absent. */
  async get(key: string): Promise<StoredSecret | undefined> {
    const text = await this.#call(key, "read", () => this.#commands.get(this.#run, key));
    return text === undefined ? undefined : decodeSecret(key, text);
  }

  /** Creates or replaces an item; the value travels on stdin only. */
  async set(key: string, value: StoredSecret): Promise<void> {
    const text = encodeSecret(value);
    await this.#call(key, "store", () => this.#commands.set(this.#run, key, text));
  }

  /** Deletes an item; true when it existed. */
  delete(key: string): Promise<boolean> {
    return this.#call(key, "delete", () => this.#commands.delete(this.#run, key));
  }

  /** Always empty: listing would mean dumping every secret of the keychain. */
  list(): Promise<string[]> {
    return Promise.resolve([]);
  }

  async #call<T>(key: string, action: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof AtmosError) throw error;
      throw new AtmosError(
        `Cannot ${action} credential "${key}" in the system keychain: ${
          spawnProblem(this.#commands.program, error)
        }`,
        { cause: error },
      );
    }
  }
}

/** Options for {@linkcode probeSystemKeychain}. */
export interface SystemProbeOptions {
  /** Operating system, as `Deno.build.os`. */
  platform: string;
  /** Environment (for `DBUS_SESSION_BUS_ADDRESS`). */
  env: EnvGetter;
  /** Runner for the probe (short timeout). */
  probeRunner: CommandRunner;
}

/** Result of {@linkcode probeSystemKeychain}: the command set to use, or why there is none. */
export type SystemProbeResult =
  | { commands: KeychainCommands; reason?: undefined }
  | { commands?: undefined; reason: string };

/**
 * Finds the keychain command set for this platform and checks it works by looking up Atmos's
 * probe key. Never throws: problems come back as a reason.
 */
export async function probeSystemKeychain(
  options: SystemProbeOptions,
): Promise<SystemProbeResult> {
  const commands = keychainCommandsFor(options.platform);
  if (!commands) return { reason: `no system keychain support on ${options.platform}` };
  if (commands === secretService && !options.env.get("DBUS_SESSION_BUS_ADDRESS")) {
    return { reason: "no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set)" };
  }
  try {
    const reason = await commands.probe(options.probeRunner, PROBE_KEY);
    return reason === undefined ? { commands } : { reason };
  } catch (error) {
    return { reason: spawnProblem(commands.program, error) };
  }
}

/** Returns the keychain command set for an OS name (`Deno.build.os`), if it has one. */
export function keychainCommandsFor(platform: string): KeychainCommands | undefined {
  if (platform === "darwin") return macosKeychain;
  if (["linux", "freebsd", "netbsd", "openbsd", "dragonfly"].includes(platform)) {
    return secretService;
  }
  return undefined;
}

function spawnProblem(program: string, error: unknown): string {
  if (error instanceof Deno.errors.NotFound) return `${program} was not found on PATH`;
  if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
    return `not allowed to run ${program}`;
  }
  return `${program} could not be run (${error instanceof Error ? error.name : "error"})`;
}
