/**
 * Located configuration errors: {@linkcode configIssue} turns a configuration path (a list of
 * keys) into a {@linkcode ConfigError} with `file:line:col`, the dotted path for display, and the
 * key list itself for code that needs to know what the error is about.
 *
 * @module
 */
import { ConfigError, type SourceLocation } from "../errors.ts";
import type { LoadedConfig } from "./load.ts";
import { CONTROL_CHARS } from "../fs/layout.ts";

/** A configuration path: the keys and list indexes from the document root. */
export type ConfigPath = readonly (string | number)[];

/** Builds a located configuration error for a path (the signature kinds and loaders share). */
export type ConfigIssue = (path: ConfigPath, message: string, hint?: string) => ConfigError;

/**
 * Builds a {@linkcode ConfigError} located at `path` (file:line:column plus the dotted path).
 * Messages quote names and values from the file: control characters in the message, hint and
 * path are escaped ({@linkcode printable}), so a name holding ESC or a line break is shown, not
 * obeyed by the terminal.
 */
export function configIssue(
  loaded: Pick<LoadedConfig, "locate">,
  path: ConfigPath,
  rawMessage: string,
  rawHint?: string,
): ConfigError {
  const message = printable(rawMessage);
  const hint = rawHint === undefined ? undefined : printable(rawHint);
  const dotted = path.map((key) => printable(String(key))).join(".");
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

const CONTROLS = new RegExp(CONTROL_CHARS.source, "g");

/** `text` with every control character shown as `\xNN` or `\uNNNN`. */
export function printable(text: string): string {
  return text.replace(CONTROLS, (char) => {
    const code = char.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, "0")}`
      : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
