/**
 * Whether prompts may be shown at all. Kept apart from the terminal driver so every command can
 * ask without loading the prompt code.
 *
 * @module
 */
import { envOf, inCi } from "../../env.ts";

/** Whether stdin and stderr are terminals. */
export interface TtyState {
  stdin: boolean;
  stderr: boolean;
}

/**
 * Whether prompts may be shown: stdin and stderr are terminals and `CI` is not set to a truthy
 * value (anything but empty, `false` or `0`).
 */
export function isInteractive(
  env: Record<string, string | undefined>,
  tty: TtyState = { stdin: Deno.stdin.isTerminal(), stderr: Deno.stderr.isTerminal() },
): boolean {
  return tty.stdin && tty.stderr && !inCi(envOf(env));
}
