/**
 * `atmos completion bash|zsh|fish`: prints a completion script. The script calls the hidden
 * `atmos __complete <words…>` (answered by complete_run.ts) for every Tab.
 *
 * @module
 */
import { UsageError } from "../../errors.ts";
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { completionScript, type Shell, SHELLS } from "../completion_scripts.ts";

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
    run(inv) {
      const shell = String(inv.args.shell);
      if (!(SHELLS as readonly string[]).includes(shell)) {
        throw new UsageError(`unsupported shell "${shell}"`, {
          hint: `use one of: ${SHELLS.join(", ")}`,
        });
      }
      rt.out(completionScript(shell as Shell));
      return Promise.resolve(0);
    },
  };
}
