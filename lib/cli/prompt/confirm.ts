/**
 * A yes/no question as a pure state machine: `y` or `n` answers at once, enter takes the
 * default, left/right/tab switch the highlighted answer, escape and ctrl-c abort. The value is
 * `"true"` or `"false"`.
 *
 * @module
 */

import type { Key, KeyResult, PromptMachine } from "./types.ts";

/** Options for {@linkcode createConfirm}. */
export interface ConfirmOptions {
  /** The question. */
  message: string;
  /** The answer enter gives (default no). */
  initial?: boolean;
}

/** Creates the yes/no state machine; its result value is `"true"` or `"false"`. */
export function createConfirm(opts: ConfirmOptions): PromptMachine {
  let answer = opts.initial ?? false;
  let result: KeyResult = {};

  function render(): string {
    if (result.aborted) return `? ${opts.message} (aborted)`;
    if (result.done) return `? ${opts.message} ${answer ? "yes" : "no"}`;
    return `? ${opts.message} ${answer ? "(Y/n)" : "(y/N)"} ${answer ? "yes" : "no"}`;
  }

  function finish(value: boolean): KeyResult {
    answer = value;
    result = { done: true, value: String(value) };
    return result;
  }

  function onKey(key: Key): KeyResult {
    if (result.done || result.aborted) return result;
    switch (key.name) {
      case "ctrl-c":
      case "escape":
        result = { aborted: true };
        return result;
      case "enter":
        return finish(answer);
      case "left":
      case "right":
      case "tab":
        answer = !answer;
        return result;
      case "char": {
        const char = (key.char ?? "").toLowerCase();
        if (char === "y") return finish(true);
        if (char === "n") return finish(false);
        return result;
      }
      default:
        return result;
    }
  }

  return { render, onKey };
}
