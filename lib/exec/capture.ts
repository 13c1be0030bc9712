/**
 * Runs a short child process with its output captured (for housekeeping invocations such as
 * `terraform workspace select`, whose chatter is shown only when it fails).
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import { assertNoNul, EXIT_NOT_FOUND, type RunOptions } from "./run.ts";

/** Exit code and combined output of a captured run. */
export interface CapturedRun {
  code: number;
  /** stdout followed by stderr. */
  output: string;
}

/**
 * Runs the command with no stdin and captured stdout/stderr.
 *
 * @throws {AtmosError} exit code 127 when the command cannot be found.
 */
export async function captureChild(options: RunOptions): Promise<CapturedRun> {
  assertNoNul(options);
  let result: Deno.CommandOutput;
  try {
    result = await new Deno.Command(options.command, {
      args: options.args,
      env: options.env,
      clearEnv: true,
      cwd: options.cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new AtmosError(`command not found: "${options.command}"`, {
        exitCode: EXIT_NOT_FOUND,
        hint: "check the name and PATH",
      });
    }
    throw error;
  }
  const decoder = new TextDecoder();
  return {
    code: result.code,
    output: decoder.decode(result.stdout) + decoder.decode(result.stderr),
  };
}
