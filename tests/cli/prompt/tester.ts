/** Feeds key sequences into a prompt state machine (dax's createTester idea). */

import type { Key, KeyResult, PromptMachine } from "../../../lib/cli/prompt/types.ts";

/** Shorthand keys: a one-character string is typed, other strings are key names. */
export function keys(...items: string[]): Key[] {
  return items.flatMap((item): Key[] =>
    [...item].length === 1 ? [{ name: "char", char: item }] : [{ name: item as Key["name"] }]
  );
}

/** Types every character of `text`. */
export function typed(text: string): Key[] {
  return [...text].map((char): Key => ({ name: "char", char }));
}

/** Sends keys and returns the last result. */
export function press(machine: PromptMachine, sequence: Key[]): KeyResult {
  let result: KeyResult = {};
  for (const key of sequence) result = machine.onKey(key);
  return result;
}
