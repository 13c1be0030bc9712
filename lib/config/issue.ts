/**
 * Located configuration errors: {@linkcode configIssue} turns a configuration path (a list of
 * keys) into a {@linkcode ConfigError} with `file:line:col`, the dotted path for display, and the
 * key list itself for code that needs to know what the error is about.
 *
 * @module
 */
import { ConfigError, type SourceLocation } from "../errors.ts";
import type { LoadedConfig } from "./load.ts";

/** A configuration path: the keys and list indexes from the document root. */
export type ConfigPath = readonly (string | number)[];

/** Builds a located configuration error for a path (the signature kinds and loaders share). */
export type ConfigIssue = (path: ConfigPath, message: string, hint?: string) => ConfigError;

/** Builds a {@linkcode ConfigError} located at `path` (file:line:column plus the dotted path). */
export function configIssue(
  loaded: Pick<LoadedConfig, "locate">,
  path: ConfigPath,
  message: string,
  hint?: string,
): ConfigError {
  const dotted = path.join(".");
  const found = loaded.locate(path);
  if (!found) {
    return new ConfigError(dotted === "" ? message : `${dotted}: ${message}`, {
      hint,
      configPath: path,
    });
  }
  const location: SourceLocation = { ...found, path: dotted };
  return new ConfigError(message, { hint, location, configPath: path });
}
