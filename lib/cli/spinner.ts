/**
 * A one-line status on stderr for long waits: an animated spinner on a terminal, a single
 * plain line otherwise (logs and CI stay readable).
 *
 * Hand-written: spinner packages (`ora`, …) pull in npm and Node streams for forty lines.
 *
 * @module
 */

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
const FRAME_MS = 120;

/** Where the spinner draws. */
export interface SpinnerOutput {
  /** Writes raw text. */
  write(text: string): void;
  /** True when the output is a terminal (then the line is redrawn in place). */
  terminal: boolean;
}

/** A running status line. */
export interface Spinner {
  update(message: string): void;
  stop(): void;
}

/** Starts a status line with `message`. */
export function startSpinner(message: string, output: SpinnerOutput): Spinner {
  if (!output.terminal) {
    output.write(`${message}\n`);
    return {
      update(next) {
        if (next !== message) output.write(`${next}\n`);
        message = next;
      },
      stop() {},
    };
  }
  let frame = 0;
  let stopped = false;
  const draw = () => output.write(`\r\x1b[K${FRAMES[frame++ % FRAMES.length]} ${message}`);
  draw();
  const timer = setInterval(draw, FRAME_MS);
  return {
    update(next) {
      message = next;
      if (!stopped) draw();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      output.write("\r\x1b[K");
    },
  };
}
