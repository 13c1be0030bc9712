/**
 * Decoding raw terminal input bytes into key presses.
 * Hand-written: a keypress library would be a dependency for two dozen escape sequences.
 *
 * @module
 */

import type { Key, KeyName } from "./types.ts";

const CSI_FINAL: Record<string, KeyName> = {
  A: "up",
  B: "down",
  C: "right",
  D: "left",
  H: "home",
  F: "end",
};

const CSI_TILDE: Record<string, KeyName> = {
  "1": "home",
  "7": "home",
  "3": "delete",
  "4": "end",
  "8": "end",
};

const CONTROL: Record<string, KeyName> = {
  "\r": "enter",
  "\n": "enter",
  "\t": "tab",
  "\x7f": "backspace",
  "\b": "backspace",
  "\x03": "ctrl-c",
  "\x04": "ctrl-d",
  "\x15": "ctrl-u",
};

/**
 * Decodes bytes read from a raw-mode terminal into keys: printable code points, control keys,
 * and CSI/SS3 escape sequences (arrows, home/end, delete). A lone ESC is `escape`; unknown
 * sequences become `unknown`; `\r\n` is one `enter`.
 */
export function decodeKeys(bytes: Uint8Array): Key[] {
  const text = new TextDecoder().decode(bytes);
  const chars = [...text];
  const keys: Key[] = [];
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i];
    if (ch === "\x1b") {
      const [key, length] = decodeEscape(chars, i);
      keys.push(key);
      i += length;
      continue;
    }
    if (ch === "\r" && chars[i + 1] === "\n") {
      keys.push({ name: "enter" });
      i += 2;
      continue;
    }
    const control = CONTROL[ch];
    if (control) keys.push({ name: control });
    else if (ch < " ") keys.push({ name: "unknown" });
    else keys.push({ name: "char", char: ch });
    i++;
  }
  return keys;
}

/** Decodes the escape sequence starting at `chars[start]`; returns the key and chars used. */
function decodeEscape(chars: string[], start: number): [Key, number] {
  const intro = chars[start + 1];
  if (intro === "O" && chars[start + 2] !== undefined) {
    return [{ name: CSI_FINAL[chars[start + 2]] ?? "unknown" }, 3];
  }
  if (intro !== "[") return [{ name: "escape" }, 1];
  let j = start + 2;
  let params = "";
  while (j < chars.length && /[0-9;]/.test(chars[j])) params += chars[j++];
  const final = chars[j];
  if (final === undefined) return [{ name: "unknown" }, j - start];
  const length = j - start + 1;
  if (final === "~") return [{ name: CSI_TILDE[params.split(";")[0]] ?? "unknown" }, length];
  return [{ name: CSI_FINAL[final] ?? "unknown" }, length];
}
