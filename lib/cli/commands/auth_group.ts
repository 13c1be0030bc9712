/**
 * The `atmos auth` command group: its persistent flags and subcommands. Loaded only when the
 * command line names `auth` (see `TOP_LEVEL` in lib/cli/app.ts), and then only the subcommand
 * the command line names: a warm `auth exec` loads no login, console or store code.
 *
 * @module
 */
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { IDENTITY_FLAG, MFA_FLAG, NO_BROWSER_FLAG } from "./flags.ts";

/** A subcommand known by name and summary before its module is imported. */
interface LazySubcommand {
  name: string;
  summary: string;
  load(rt: Runtime): Promise<CommandSpec>;
}

const SUBCOMMANDS: LazySubcommand[] = [
  {
    name: "login",
    summary: "Authenticate an identity and write its short-lived credentials",
    load: async (rt) => (await import("./auth_login.ts")).authLoginCommand(rt),
  },
  {
    name: "credential-process",
    summary: "Print an identity's session for an AWS SDK's credential_process",
    load: async (rt) =>
      (await import("./auth_credential_process.ts")).authCredentialProcessCommand(rt),
  },
  {
    name: "renew",
    summary: "Renew an identity's session now, without prompting",
    load: async (rt) => (await import("./auth_renew.ts")).authRenewCommand(rt),
  },
  {
    name: "whoami",
    summary: "Show who an identity's credentials belong to",
    load: async (rt) => (await import("./auth_whoami.ts")).authWhoamiCommand(rt),
  },
  {
    name: "env",
    summary: "Print the environment for an identity (file pointers, never keys)",
    load: async (rt) => (await import("./auth_env.ts")).authEnvCommand(rt),
  },
  {
    name: "exec",
    summary: "Run a command with an identity's credentials (files, not raw keys)",
    load: async (rt) => (await import("./auth_exec.ts")).authExecCommand(rt),
  },
  {
    name: "shell",
    summary: "Open a shell with an identity's credentials (files, not raw keys)",
    load: async (rt) => (await import("./auth_exec.ts")).authShellCommand(rt),
  },
  {
    name: "list",
    summary: "List providers and identities",
    load: async (rt) => (await import("./auth_list.ts")).authListCommand(rt),
  },
  {
    name: "validate",
    summary: "Check the auth configuration (kinds, via references, cycles, fields)",
    load: async (rt) => (await import("./auth_validate.ts")).authValidateCommand(rt),
  },
  {
    name: "logout",
    summary: "Remove cached credentials of an identity, a provider, or all",
    load: async (rt) => (await import("./auth_logout.ts")).authLogoutCommand(rt),
  },
  {
    name: "user",
    summary: "Manage long-lived keys of aws/user identities",
    load: async (rt) => (await import("./auth_user.ts")).authUserCommand(rt),
  },
  {
    name: "console",
    summary: "Open the cloud console as an identity",
    load: async (rt) => (await import("./auth_console.ts")).authConsoleCommand(rt),
  },
];

/**
 * Builds `atmos auth`: with `only` naming a subcommand, that one is loaded and the others are
 * name-and-summary stubs (enough for help and suggestions); otherwise all are loaded.
 */
export async function authGroup(rt: Runtime, only?: string): Promise<CommandSpec> {
  const loadAll = !SUBCOMMANDS.some((sub) => sub.name === only);
  return {
    name: "auth",
    summary: "Log in to identities and run commands with their credentials",
    flags: [IDENTITY_FLAG, MFA_FLAG, NO_BROWSER_FLAG],
    subcommands: await Promise.all(
      SUBCOMMANDS.map((sub) =>
        loadAll || sub.name === only
          ? sub.load(rt)
          : Promise.resolve({ name: sub.name, summary: sub.summary })
      ),
    ),
  };
}
