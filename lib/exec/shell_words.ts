/**
 * Shell-style splitting of a command line into argv, for `type: atmos` steps
 * (atmos-workflows-commands.md §1.6): quotes are honoured and removed, backslash escapes,
 * `$VAR` / `${VAR}` expand from a given environment (unquoted expansions are split on
 * whitespace, quoted ones are not), `~` at the start of a word is `$HOME`, and `#` at the start
 * of a word begins a comment. No globbing, brace expansion or command substitution.
 *
 * Hand-written: the few npm shell parsers (`shell-quote`, `string-argv`) either run no
 * expansion from an explicit environment or do not split unquoted expansions; this is ~100 lines.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";

const SPACE = /[ \t\n\r]/;
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Thrown for an unterminated quote or `${`. Exit code 2. */
export class ShellSyntaxError extends AtmosError {
  constructor(message: string) {
    super(message, { exitCode: 2, hint: "close the quote, or escape it with a backslash" });
    this.name = "ShellSyntaxError";
  }
}

/** Builds words while tracking whether anything (even an empty quoted string) was written. */
class WordBuilder {
  readonly words: string[] = [];
  #current = "";
  #started = false;

  add(text: string): void {
    this.#current += text;
    this.#started = true;
  }

  /** Appends an unquoted expansion: whitespace inside it separates words. */
  addSplit(text: string): void {
    const parts = text.split(/[ \t\n]+/);
    parts.forEach((part, i) => {
      if (i > 0) this.end();
      if (part !== "") this.add(part);
    });
  }

  /** Marks the word as present even if empty (`""`). */
  touch(): void {
    this.#started = true;
  }

  end(): void {
    if (this.#started) this.words.push(this.#current);
    this.#current = "";
    this.#started = false;
  }

  get atWordStart(): boolean {
    return !this.#started;
  }
}

/**
 * Splits `text` into words the way a POSIX shell would, expanding variables from `env`.
 *
 * @throws {ShellSyntaxError} for an unterminated quote or `${`.
 */
export function splitShellWords(text: string, env: Record<string, string> = {}): string[] {
  const out = new WordBuilder();
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (SPACE.test(c)) {
      out.end();
      i++;
    } else if (c === "#" && out.atWordStart) {
      while (i < text.length && text[i] !== "\n") i++;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) throw new ShellSyntaxError(`unterminated ' in "${text}"`);
      out.add(text.slice(i + 1, close));
      out.touch();
      i = close + 1;
    } else if (c === '"') {
      i = readDoubleQuoted(text, i + 1, env, out);
    } else if (c === "\\") {
      if (text[i + 1] === "\n") i += 2;
      else {
        if (i + 1 < text.length) out.add(text[i + 1]);
        i += 2;
      }
    } else if (c === "$") {
      const [value, next] = readVariable(text, i, env);
      if (value === undefined) out.add("$");
      else out.addSplit(value);
      i = next;
    } else if (
      c === "~" && out.atWordStart && (i + 1 === text.length || /[/ \t\n]/.test(text[i + 1]))
    ) {
      out.add(env.HOME ?? "~");
      i++;
    } else {
      out.add(c);
      i++;
    }
  }
  out.end();
  return out.words;
}

function readDoubleQuoted(
  text: string,
  start: number,
  env: Record<string, string>,
  out: WordBuilder,
): number {
  out.touch();
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') return i + 1;
    if (c === "\\" && i + 1 < text.length && '$`"\\\n'.includes(text[i + 1])) {
      if (text[i + 1] !== "\n") out.add(text[i + 1]);
      i += 2;
    } else if (c === "$") {
      const [value, next] = readVariable(text, i, env);
      out.add(value ?? "$");
      i = next;
    } else {
      out.add(c);
      i++;
    }
  }
  throw new ShellSyntaxError(`unterminated " in "${text}"`);
}

/** Reads `$NAME` or `${NAME}` at `i`; the value is `undefined` when `$` starts no variable. */
function readVariable(
  text: string,
  i: number,
  env: Record<string, string>,
): [string | undefined, number] {
  if (text[i + 1] === "{") {
    const close = text.indexOf("}", i + 2);
    if (close < 0) throw new ShellSyntaxError(`unterminated \${ in "${text}"`);
    return [env[text.slice(i + 2, close)] ?? "", close + 1];
  }
  if (i + 1 < text.length && NAME_START.test(text[i + 1])) {
    let end = i + 2;
    while (end < text.length && NAME_CHAR.test(text[end])) end++;
    return [env[text.slice(i + 1, end)] ?? "", end];
  }
  return [undefined, i + 1];
}

const SHELL_SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes a word for POSIX shells: unchanged when safe, else single-quoted. */
export function shellQuote(word: string): string {
  if (SHELL_SAFE.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}
