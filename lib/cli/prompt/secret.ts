/**
 * Hidden input (passwords, secret keys) as a pure state machine. The value is never rendered:
 * each character shows as the mask (`*` by default, or nothing).
 *
 * @module
 */

import type { Key, KeyResult, PromptMachine } from "./types.ts";

/** Options for {@linkcode createSecret}. */
export interface SecretOptions {
  /** Question shown before the input. */
  message: string;
  /** Shown once per typed character; `""` shows nothing (default `*`). */
  mask?: string;
  /** Refuses an empty value on enter (default false). */
  required?: boolean;
}

/** Creates the hidden-input state machine; its result value is the typed text. */
export function createSecret(opts: SecretOptions): PromptMachine {
  const mask = opts.mask ?? "*";
  let chars: string[] = [];
  let result: KeyResult = {};

  function render(): string {
    const shown = mask.repeat(chars.length);
    if (result.aborted) return `? ${opts.message} (aborted)`;
    const line = `? ${opts.message} ${shown}`;
    return result.done ? line.trimEnd() : line;
  }

  function onKey(key: Key): KeyResult {
    if (result.done || result.aborted) return result;
    switch (key.name) {
      case "ctrl-c":
      case "escape":
        chars = [];
        result = { aborted: true };
        break;
      case "enter":
        if (!opts.required || chars.length > 0) {
          result = { done: true, value: chars.join("") };
        }
        break;
      case "backspace":
        chars.pop();
        break;
      case "ctrl-u":
        chars = [];
        break;
      case "char":
        chars.push(key.char ?? "");
        break;
    }
    return result;
  }

  return { render, onKey };
}
