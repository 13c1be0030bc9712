/**
 * `atmos auth exec -- cmd args…` and `atmos auth shell`: run a program (directly, no shell) or
 * an interactive shell with the identity's file pointers in its environment.
 *
 * @module
 */
import { UsageError } from "../../errors.ts";
import type { CommandSpec, Invocation } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { childEnvironment } from "../../auth/environment.ts";
import type { Session } from "../../auth/session.ts";
import type { AuthManager } from "../../auth/manager.ts";
import { runChild, type RunOptions } from "../../exec/run.ts";
import { renewWhileRunning } from "../background_renewal.ts";
import { nextShellLevel } from "../../exec/shlvl.ts";
import { chooseIdentity } from "./shared.ts";

/** Builds the `auth exec` command. */
export function authExecCommand(rt: Runtime): CommandSpec {
  return {
    name: "exec",
    summary: "Run a command with an identity's credentials (files, not raw keys)",
    description:
      "Runs the command after `--` directly (no shell) with variables pointing at the identity's credential files (AWS: AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE, AWS_PROFILE). Every variable that carries or selects other credentials is removed from its environment. The command's exit code is passed through.",
    acceptsRest: true,
    examples: ["atmos auth exec -i prod-admin -- aws sts get-caller-identity"],
    async run(inv) {
      const command = inv.rest.length > 0 ? inv.rest : inv.positionals;
      if (command.length === 0) {
        throw new UsageError("no command given", {
          hint:
            "put the command after --, e.g. atmos auth exec -i prod -- aws sts get-caller-identity",
        });
      }
      const session = await sessionFor(rt, inv);
      return await runRenewing(rt, session, {
        command: command[0],
        args: command.slice(1),
        env: nestedEnvironment(rt, session, (await rt.manager()).configSecrets()),
      });
    },
  };
}

/** Builds the `auth shell` command. */
export function authShellCommand(rt: Runtime): CommandSpec {
  return {
    name: "shell",
    summary: "Open a shell with an identity's credentials (files, not raw keys)",
    description:
      "Starts --shell (default ATMOS_SHELL, SHELL, bash, sh) with the identity's file pointers, ATMOS_IDENTITY and ATMOS_SHLVL set. Arguments after -- are passed to the shell. Exit the shell to return.",
    args: [{
      name: "identity",
      description: "identity to use (same as --identity)",
      complete: "identity",
    }],
    flags: [{
      name: "shell",
      type: "string",
      description: "shell program to start",
      valueName: "path",
      complete: "file",
    }],
    acceptsRest: true,
    examples: ["atmos auth shell prod-admin", "atmos auth shell -i dev --shell /bin/zsh"],
    async run(inv) {
      if (inv.positionals.length > 1) {
        throw new UsageError(`unexpected argument "${inv.positionals[1]}"`, {
          hint: "choose the shell with --shell and put shell arguments after --",
        });
      }
      const session = await sessionFor(rt, inv, inv.args.identity as string | undefined);
      const shell = (inv.flags.shell as string | undefined) || rt.env.ATMOS_SHELL || rt.env.SHELL ||
        "bash";
      const label = session
        ? `${session.identity} (${session.root})`
        : "none (authentication disabled)";
      rt.err(
        `→ Entering atmos shell with identity: ${label}\n  Type "exit" to return to your normal shell\n`,
      );
      const code = await runRenewing(rt, session, {
        command: shell,
        args: inv.rest,
        env: nestedEnvironment(rt, session, (await rt.manager()).configSecrets()),
      });
      rt.err(`← Exited atmos shell for identity: ${label}\n`);
      return code;
    },
  };
}

/**
 * Runs a child while the session is renewed in the background (see
 * lib/cli/background_renewal.ts); the renewal stops when the child exits.
 */
export async function runRenewing(
  rt: Runtime,
  session: Session | undefined,
  options: RunOptions,
  from: { manager?: AuthManager; scope?: string[] } = {},
): Promise<number> {
  const manager = from.manager ?? await rt.manager();
  const renewal = renewWhileRunning(rt, manager, session, from.scope);
  try {
    return await runChild(options);
  } finally {
    renewal?.stop();
  }
}

async function sessionFor(
  rt: Runtime,
  inv: Invocation,
  positional?: string,
): Promise<Session | undefined> {
  const { manager, identity } = await chooseIdentity(rt, inv, { positional });
  const session = identity ? await manager.session(identity) : undefined;
  // Children are never started while this process can still write.
  await rt.sealWrites();
  return session;
}

/**
 * The child environment plus the incremented `ATMOS_SHLVL` (refused past the limit). `parent`
 * defaults to atmos's own environment (`atmos terraform` passes it with the component's `env`).
 */
export function nestedEnvironment(
  rt: Runtime,
  session: Session | undefined,
  configSecrets: readonly string[] = [],
  parent: Record<string, string> = rt.env,
): Record<string, string> {
  const next = nextShellLevel(rt.env);
  const env = childEnvironment(parent, session, configSecrets);
  env.ATMOS_SHLVL = String(next);
  return env;
}
