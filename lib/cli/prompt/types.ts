/**
 * Shared shapes of the prompt state machines: keys in, renders and results out.
 *
 * @module
 */

/** Names of the keys a prompt reacts to; `char` carries printable text in {@linkcode Key.char}. */
export type KeyName =
  | "char"
  | "up"
  | "down"
  | "left"
  | "right"
  | "home"
  | "end"
  | "enter"
  | "escape"
  | "backspace"
  | "delete"
  | "tab"
  | "ctrl-c"
  | "ctrl-d"
  | "ctrl-u"
  | "unknown";

/** One decoded key press. */
export interface Key {
  name: KeyName;
  /** The printable character for `char` keys (one code point). */
  char?: string;
}

/** What a key press did: nothing (`{}`), finished with a value, or aborted. */
export interface KeyResult {
  done?: true;
  value?: string;
  aborted?: true;
}

/**
 * A prompt as a pure state machine: `render()` gives the text to show now (after completion,
 * a one-line summary), `onKey()` advances the state.
 */
export interface PromptMachine {
  render(): string;
  onKey(key: Key): KeyResult;
}
