/**
 * Plain one-line input with optional validation (e.g. a 6-digit TOTP code) as a pure state
 * machine. Enter with an invalid value keeps the prompt open and shows the reason below it.
 *
 * @module
 */

import type { Key, KeyResult, PromptMachine } from "./types.ts";

/** Options for {@linkcode createText}. */
export interface TextOptions {
  /** Question shown before the input. */
  message: string;
  /** Pre-filled text. */
  initial?: string;
  /** Shown as an example while the input is empty. */
  placeholder?: string;
  /** Returns why the value is not acceptable, or `undefined` when it is. */
  validate?: (value: string) => string | undefined;
}

/** Creates the text-input state machine; its result value is the accepted text. */
export function createText(opts: TextOptions): PromptMachine {
  let chars = [...(opts.initial ?? "")];
  let problem: string | undefined;
  let result: KeyResult = {};

  function render(): string {
    if (result.aborted) return `? ${opts.message} (aborted)`;
    const line = `? ${opts.message} ${chars.join("")}`;
    if (result.done) return line.trimEnd();
    if (chars.length === 0 && opts.placeholder) return `${line}(e.g. ${opts.placeholder})`;
    return problem === undefined ? line : `${line}\n  ✗ ${problem}`;
  }

  function onKey(key: Key): KeyResult {
    if (result.done || result.aborted) return result;
    switch (key.name) {
      case "ctrl-c":
      case "escape":
        result = { aborted: true };
        break;
      case "enter": {
        const value = chars.join("");
        problem = opts.validate?.(value);
        if (problem === undefined) result = { done: true, value };
        break;
      }
      case "backspace":
        chars.pop();
        problem = undefined;
        break;
      case "ctrl-u":
        chars = [];
        problem = undefined;
        break;
      case "char":
        chars.push(key.char ?? "");
        problem = undefined;
        break;
    }
    return result;
  }

  return { render, onKey };
}
