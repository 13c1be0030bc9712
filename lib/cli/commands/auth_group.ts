/**
 * The `atmos auth` command group: its persistent flags and subcommands. Loaded only when the
 * command line names `auth` (see `TOP_LEVEL` in lib/cli/app.ts).
 *
 * @module
 */
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { IDENTITY_FLAG, MFA_FLAG, NO_BROWSER_FLAG } from "./shared.ts";
import { authLoginCommand } from "./auth_login.ts";
import { authExecCommand, authShellCommand } from "./auth_exec.ts";
import { authEnvCommand } from "./auth_env.ts";
import { authWhoamiCommand } from "./auth_whoami.ts";
import { authListCommand } from "./auth_list.ts";
import { authValidateCommand } from "./auth_validate.ts";
import { authLogoutCommand } from "./auth_logout.ts";
import { authUserCommand } from "./auth_user.ts";
import { authConsoleCommand } from "./auth_console.ts";

/** Builds `atmos auth` with all its subcommands. */
export function authGroup(rt: Runtime): CommandSpec {
  return {
    name: "auth",
    summary: "Log in to identities and run commands with their credentials",
    flags: [IDENTITY_FLAG, MFA_FLAG, NO_BROWSER_FLAG],
    subcommands: [
      authLoginCommand(rt),
      authWhoamiCommand(rt),
      authEnvCommand(rt),
      authExecCommand(rt),
      authShellCommand(rt),
      authListCommand(rt),
      authValidateCommand(rt),
      authLogoutCommand(rt),
      authUserCommand(rt),
      authConsoleCommand(rt),
    ],
  };
}
