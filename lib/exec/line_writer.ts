/**
 * Turns a child's output chunks into whole lines, so that the parent can write the lines of
 * concurrent children one complete line at a time (never two children's text in one line).
 * Bytes are decoded as UTF-8 in stream mode (a character split across chunks stays whole);
 * `\r\n` and `\n` end a line.
 *
 * @module
 */

/** Splits a byte stream into lines. */
export class LineSplitter {
  readonly #decoder = new TextDecoder();
  #partial = "";
  readonly #onLine: (line: string) => void;

  /** `onLine` receives each complete line, without its line ending. */
  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  /** Feeds a chunk; complete lines are passed on at once. */
  push(chunk: Uint8Array): void {
    const text = this.#partial + this.#decoder.decode(chunk, { stream: true });
    const lines = text.split("\n");
    this.#partial = lines.pop()!;
    for (const line of lines) this.#onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  }

  /** Passes on a last line that had no line ending. */
  flush(): void {
    const rest = this.#partial + this.#decoder.decode();
    this.#partial = "";
    if (rest !== "") this.#onLine(rest.endsWith("\r") ? rest.slice(0, -1) : rest);
  }
}
