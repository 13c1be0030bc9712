/**
 * `atmos completion bash|zsh|fish`: prints a completion script. The script calls the hidden
 * `atmos __complete <words…>` (answered by complete_run.ts) for every Tab.
 *
 * @module
 */
import { UsageError } from "../../errors.ts";
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";

/** Shells `atmos completion` writes scripts for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;

/** One of {@linkcode SHELLS}. */
export type Shell = typeof SHELLS[number];

/** The hidden command the completion scripts call. */
export const COMPLETE_COMMAND = "__complete";

/** Builds `atmos completion <shell>`. */
export function completionCommand(rt: Runtime): CommandSpec {
  return {
    name: "completion",
    summary: "Print a shell completion script (bash, zsh, fish)",
    description:
      "Prints a script that completes atmos commands, flags, and names from your atmos.yaml and stacks (identities, providers, stacks, components, workflows, custom commands). The script asks atmos itself for the names each time you press Tab.",
    args: [{ name: "shell", description: "bash, zsh or fish", required: true, complete: SHELLS }],
    examples: [
      "source <(atmos completion bash)",
      'atmos completion zsh > "${fpath[1]}/_atmos"',
      "atmos completion fish > ~/.config/fish/completions/atmos.fish",
    ],
    async run(inv) {
      const shell = String(inv.args.shell);
      if (!(SHELLS as readonly string[]).includes(shell)) {
        throw new UsageError(`unsupported shell "${shell}"`, {
          hint: `use one of: ${SHELLS.join(", ")}`,
        });
      }
      const { completionScript } = await import("../completion_scripts.ts");
      rt.out(completionScript(shell as Shell));
      return 0;
    },
  };
}
