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
import type { Renewal } from "../../auth/renewal.ts";
import { nextShellLevel } from "../../exec/shlvl.ts";
import { plannedSessionFor } from "./planned_session.ts";

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
      const { session, secrets } = await sessionFor(rt, inv);
      return await runRenewing(rt, session, {
        command: command[0],
        args: command.slice(1),
        env: nestedEnvironment(rt, session, secrets),
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
      const { session, secrets } = await sessionFor(
        rt,
        inv,
        inv.args.identity as string | undefined,
      );
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
        env: nestedEnvironment(rt, session, secrets),
      });
      rt.err(`← Exited atmos shell for identity: ${label}\n`);
      return code;
    },
  };
}

/**
 * How long after the child starts the background renewal's modules load. No renewal is due that
 * soon (the earliest comes at three quarters of a session's life), and a short child — most
 * `auth exec` calls — exits first and never waits for them.
 */
const RENEWAL_START_DELAY_MS = 250;

/**
 * Runs a child while the session is renewed in the background (see
 * lib/auth/background_renewal.ts); the renewal stops when the child exits. The child starts
 * first and the renewal a moment later ({@linkcode RENEWAL_START_DELAY_MS}), and the manager is
 * created only if a renewal comes due (a planned session needs none before).
 */
export async function runRenewing(
  rt: Runtime,
  session: Session | undefined,
  options: RunOptions,
  from: { manager?: AuthManager; scope?: string[] } = {},
): Promise<number> {
  const child = runChild(options);
  let ended = false;
  let renewal: Renewal | undefined;
  const startRenewal = () => {
    import("../../auth/background_renewal.ts").then(({ renewWhileRunning }) => {
      if (ended) return;
      renewal = renewWhileRunning(rt, from.manager ?? (() => rt.manager()), session, from.scope);
    }).catch((error) => rt.logger.debug(`background renewal not started: ${error.message}`));
  };
  // AbortSignal.timeout, not setTimeout: see lib/exec/background_timer.ts.
  const later = session?.expiration ? AbortSignal.timeout(RENEWAL_START_DELAY_MS) : undefined;
  later?.addEventListener("abort", startRenewal, { once: true });
  try {
    return await child;
  } finally {
    ended = true;
    later?.removeEventListener("abort", startRenewal);
    renewal?.stop();
  }
}

/**
 * The chosen identity's session (none when authentication is disabled) and the secret values
 * its children must not receive: from the session's plan when it has a usable one
 * (`planned_session.ts`), else through the manager.
 */
async function sessionFor(
  rt: Runtime,
  inv: Invocation,
  positional?: string,
): Promise<{ session: Session | undefined; secrets: readonly string[] }> {
  const planned = await plannedSessionFor(rt, inv, positional);
  if (planned) {
    await rt.sealWrites();
    return planned;
  }
  const { chooseIdentity } = await import("./shared.ts");
  const { manager, identity } = await chooseIdentity(rt, inv, { positional });
  const session = identity ? await manager.session(identity) : undefined;
  // Children are never started while this process can still write.
  await rt.sealWrites();
  return { session, secrets: manager.configSecrets() };
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
