/**
 * Runs atmos on a real pseudo-terminal (util-linux `script`), for the interactive paths: pickers,
 * prompts, the device flow and Ctrl-C.
 *
 * @module
 */
import assert from "node:assert/strict";
import { killGroup, MAIN, productionFlags, type Sandbox, untilDone } from "./harness.ts";

/** A process running atmos on its own pseudo-terminal. */
export interface TtyRun {
  /** Types into the terminal. */
  type(text: string): Promise<void>;
  /**
   * Resolves once the screen shows `pattern`; a prompt is drawn then read. After 30 s the
   * terminal's process group is killed and the test fails.
   */
  waitForScreen(pattern: RegExp): Promise<void>;
  /** Everything the terminal showed so far. */
  screen(): string;
  /**
   * Waits for the end; the screen is everything the terminal showed. After `timeoutMs` (default
   * the harness's limit for a child) the process group is killed and the test fails.
   */
  done(timeoutMs?: number): Promise<{ code: number; screen: string }>;
}

/** Starts `atmos <args>` on a pseudo-terminal (`script -qec`). */
export function runOnTty(sb: Sandbox, args: string[], env: Record<string, string> = {}): TtyRun {
  const command = [Deno.execPath(), "run", ...productionFlags(), MAIN, ...args]
    .map((word) => `'${word.replaceAll("'", "'\\''")}'`).join(" ");
  const child = new Deno.Command("/usr/bin/script", {
    args: ["-qec", command, "/dev/null"],
    cwd: sb.project,
    env: { ...sb.env, TERM: "xterm", ...env },
    clearEnv: true,
    detached: true, // a process group of its own, killed as a whole on a timeout
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  let screen = "";
  /** Woken whenever output arrives (or the terminal closes). */
  let changed: () => void = () => {};
  const decoder = new TextDecoder();
  const reading = (async () => {
    for await (const chunk of child.stdout) {
      screen += decoder.decode(chunk, { stream: true });
      changed();
    }
    changed();
  })();
  let closed = false;
  reading.finally(() => closed = true);
  const writer = child.stdin.getWriter();
  return {
    type: (text) => writer.write(new TextEncoder().encode(text)),
    screen: () => screen,
    async waitForScreen(pattern) {
      // Prompts switch the terminal to raw mode before they draw (lib/cli/prompt/driver.ts),
      // so once the screen shows one, typed keys reach it.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          killGroup(child.pid);
          reject(new Error(`the screen never showed ${pattern}:\n${screen}`));
        }, 30_000);
      });
      try {
        while (!pattern.test(screen)) {
          if (closed) assert.fail(`the terminal closed before it showed ${pattern}:\n${screen}`);
          await Promise.race([new Promise<void>((resolve) => changed = resolve), timeout]);
        }
      } finally {
        clearTimeout(timer);
      }
    },
    async done(timeoutMs) {
      const label = `atmos ${args.join(" ")} on a terminal`;
      const status = await untilDone(child.status, child.pid, label, timeoutMs, () => screen);
      await writer.close().catch(() => {});
      await reading;
      return { code: status.code, screen };
    },
  };
}
