/**
 * A single-choice picker as a pure state machine: arrows or j/k move, typing filters
 * (case-insensitive substring; `/` starts filtering explicitly so names starting with j or k can
 * be typed), enter picks, escape clears the filter or aborts, ctrl-c aborts.
 *
 * @module
 */

import type { Key, KeyResult, PromptMachine } from "./types.ts";

/** Options for {@linkcode createSelect}. */
export interface SelectOptions {
  /** Question shown on the first line. */
  message: string;
  /** The choices, shown in this order. */
  options: string[];
  /** The option selected at the start (default: the first). */
  initial?: string;
  /** How many options are shown at once (default 10). */
  pageSize?: number;
}

/** Creates the picker state machine; its result value is the chosen option. */
export function createSelect(opts: SelectOptions): PromptMachine {
  const pageSize = Math.max(1, opts.pageSize ?? 10);
  let selected: string | undefined = opts.initial !== undefined &&
      opts.options.includes(opts.initial)
    ? opts.initial
    : opts.options[0];
  let filter = "";
  let filtering = false;
  let result: KeyResult = {};

  function visible(): string[] {
    const needle = filter.toLowerCase();
    return opts.options.filter((o) => o.toLowerCase().includes(needle));
  }

  function setFilter(next: string): void {
    filter = next;
    const list = visible();
    if (selected === undefined || !list.includes(selected)) selected = list[0];
  }

  function move(delta: number): void {
    const list = visible();
    if (list.length === 0) return;
    const index = selected === undefined ? 0 : list.indexOf(selected);
    selected = list[(index + delta + list.length) % list.length];
  }

  function render(): string {
    if (result.done) return `? ${opts.message} ${result.value}`;
    if (result.aborted) return `? ${opts.message} (aborted)`;
    const header = `? ${opts.message}` + (filtering ? ` /${filter}` : " (type to filter)");
    const list = visible();
    if (list.length === 0) return `${header}\n  no matches`;
    const index = selected === undefined ? 0 : list.indexOf(selected);
    const start = Math.min(
      Math.max(0, index - Math.floor(pageSize / 2)),
      Math.max(0, list.length - pageSize),
    );
    const rows = list.slice(start, start + pageSize).map((o) =>
      o === selected ? `❯ ${o}` : `  ${o}`
    );
    return [header, ...rows].join("\n");
  }

  function onKey(key: Key): KeyResult {
    if (result.done || result.aborted) return result;
    switch (key.name) {
      case "ctrl-c":
        result = { aborted: true };
        break;
      case "escape":
        if (filtering) {
          filtering = false;
          setFilter("");
        } else result = { aborted: true };
        break;
      case "up":
        move(-1);
        break;
      case "down":
      case "tab":
        move(1);
        break;
      case "enter":
        if (visible().length > 0 && selected !== undefined) {
          result = { done: true, value: selected };
        }
        break;
      case "backspace":
        if (filter === "") filtering = false;
        else setFilter(filter.slice(0, -1));
        break;
      case "ctrl-u":
        setFilter("");
        break;
      case "char":
        onChar(key.char ?? "");
        break;
    }
    return result;
  }

  function onChar(char: string): void {
    if (!filtering && char === "k") move(-1);
    else if (!filtering && char === "j") move(1);
    else if (!filtering && char === "/") filtering = true;
    else {
      filtering = true;
      setFilter(filter + char);
    }
  }

  return { render, onKey };
}
