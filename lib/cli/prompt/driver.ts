/**
 * The thin terminal driver for the prompt state machines: raw mode on stdin, renders on
 * stderr (stdout stays clean for machine output), terminal restored in `finally`.
 *
 * @module
 */

import { AtmosError } from "../../errors.ts";
import { decodeKeys } from "./keys.ts";
import type { PromptMachine } from "./types.ts";

/** The terminal streams a prompt uses; defaults to `Deno.stdin` and `Deno.stderr`. */
export interface PromptIO {
  stdin: {
    setRaw(mode: boolean): void;
    read(buffer: Uint8Array): Promise<number | null>;
  };
  stderr: { writeSync(data: Uint8Array): number };
}

/**
 * Runs a prompt on the terminal until it completes and returns its value. Throws
 * `AtmosError("user aborted", {exitCode: 130})` on ctrl-c, escape or end of input.
 */
export async function runPrompt(
  machine: PromptMachine,
  io: PromptIO = defaultIO(),
): Promise<string> {
  const encoder = new TextEncoder();
  let shownLines = 0;
  function draw(text: string, final = false): void {
    let out = "";
    if (shownLines > 0) {
      out += "\r" + (shownLines > 1 ? `\x1b[${shownLines - 1}A` : "") + "\x1b[J";
    }
    out += text + (final ? "\n" : "");
    shownLines = text.split("\n").length;
    writeAll(io, encoder.encode(out));
  }

  io.stdin.setRaw(true);
  try {
    draw(machine.render());
    const buffer = new Uint8Array(1024);
    while (true) {
      const n = await io.stdin.read(buffer);
      if (n === null) {
        draw(machine.render(), true);
        throw aborted();
      }
      for (const key of decodeKeys(buffer.subarray(0, n))) {
        const result = machine.onKey(key);
        if (result.aborted) {
          draw(machine.render(), true);
          throw aborted();
        }
        if (result.done) {
          draw(machine.render(), true);
          return result.value ?? "";
        }
      }
      draw(machine.render());
    }
  } finally {
    io.stdin.setRaw(false);
  }
}

function aborted(): AtmosError {
  return new AtmosError("user aborted", { exitCode: 130 });
}

function writeAll(io: PromptIO, data: Uint8Array): void {
  let offset = 0;
  while (offset < data.length) offset += io.stderr.writeSync(data.subarray(offset));
}

function defaultIO(): PromptIO {
  return { stdin: Deno.stdin, stderr: Deno.stderr };
}
