/**
 * Child processes: running and capturing them (signals, exit codes), the step engine of
 * workflows and custom commands (step definitions, retries, step-output references), shell-style
 * words, `ATMOS_SHLVL`, and re-invoking this atmos.
 *
 * @module
 */

export * from "./capture.ts";
export * from "./env.ts";
export * from "./run.ts";
export * from "./self.ts";
export * from "./shell_words.ts";
export * from "./shlvl.ts";
export * from "./signal_barrier.ts";
export * from "./retry.ts";
export * from "./step_refs.ts";
export * from "./step_spec.ts";
export * from "./steps.ts";
