/**
 * What an Azure provider's request for tokens is made of, at authentication time (loaded only
 * then): the authority (`AZURE_AUTHORITY_HOST` or the cloud's login host), the client, the
 * user's own Azure CLI dir (read only), and the rules of an interactive sign-in — a terminal (or
 * `ATMOS_FORCE_TTY=true`), Ctrl-C as a cancel (exit 130).
 *
 * @module
 */
import { AtmosError } from "../../errors.ts";
import { stringAt } from "../../config/values.ts";
import type { AuthContext, EnvGetter } from "../kind.ts";
import {
  type Authority,
  authorityFor,
  authorityHostProblem,
  AZURE_CLI_CLIENT_ID,
} from "../../azure/clouds.ts";
import type { AzureSettings } from "../../azure/link.ts";
import { CLI_FILES, versionCheckSeed } from "../../azure/cli_dir.ts";
import { join } from "../../fs/path.ts";
import type { UserTokenRequest } from "./azure_user_tokens.ts";

/**
 * The authority a provider signs in at: `AZURE_AUTHORITY_HOST` when set, else the cloud's
 * login host.
 *
 * @throws {AtmosError} exit 2 when `AZURE_AUTHORITY_HOST` is not an https origin.
 */
export function providerAuthority(settings: AzureSettings, env: EnvGetter): Authority {
  const host = env.get("AZURE_AUTHORITY_HOST");
  if (host) {
    const problem = authorityHostProblem(host);
    if (problem) {
      throw new AtmosError(`invalid AZURE_AUTHORITY_HOST "${host}": ${problem}`, {
        exitCode: 2,
        hint: "set it to an https origin such as https://login.microsoftonline.us, or unset it",
      });
    }
  }
  return authorityFor(settings.cloud, settings.tenantId, host || undefined);
}

/** `spec.client_id`, else the Azure CLI's public client (the only one `az` reads tokens of). */
export function publicClientId(spec: Record<string, unknown> | undefined): string {
  return (stringAt(spec, "client_id") ?? AZURE_CLI_CLIENT_ID).toLowerCase();
}

/** The user's own Azure CLI dir: `AZURE_CONFIG_DIR`, else `~/.azure` (read only, never written). */
export function userCliDir(env: EnvGetter): string | undefined {
  const dir = env.get("AZURE_CONFIG_DIR");
  if (dir) return dir;
  const home = env.get("HOME") ?? env.get("USERPROFILE");
  return home ? join(home, ".azure") : undefined;
}

/**
 * The user's own `versionCheck.json`, reduced to what spares `az` its first-run connectivity
 * check in a new dir; undefined when the user has none.
 */
export async function userVersionCheck(env: EnvGetter): Promise<string | undefined> {
  const dir = userCliDir(env);
  if (!dir) return undefined;
  const text = await Deno.readTextFile(join(dir, CLI_FILES.versionCheck)).catch(() => undefined);
  return text === undefined ? undefined : versionCheckSeed(text);
}

/** True when `ATMOS_FORCE_TTY` is set to a true value (sign-in prompts without a terminal). */
export function forcedTty(env: EnvGetter): boolean {
  return ["1", "true", "yes", "on"].includes((env.get("ATMOS_FORCE_TTY") ?? "").toLowerCase());
}

/**
 * Refuses an interactive sign-in without a terminal (unless `ATMOS_FORCE_TTY=true`), with one
 * line saying what to do.
 */
export function requireTerminal(request: UserTokenRequest, ctx: AuthContext): void {
  if (ctx.interactive || forcedTty(ctx.env)) return;
  throw new AtmosError(
    `provider "${request.provider}" needs you to sign in to Microsoft Entra ID: there is no valid token and this is not a terminal`,
    {
      exitCode: 2,
      hint:
        'run "atmos auth login" on a terminal first, or set ATMOS_FORCE_TTY=true to show the sign-in code here',
    },
  );
}

/** Runs `fn` with Ctrl-C turned into an abort of its signal (a cancel exits 130). */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const abort = new AbortController();
  const onInterrupt = () => abort.abort(new Error("cancelled"));
  let listening = false;
  try {
    Deno.addSignalListener("SIGINT", onInterrupt);
    listening = true;
  } catch {
    // no signal support here: Ctrl-C ends the process as usual
  }
  try {
    return await fn(abort.signal);
  } finally {
    if (listening) Deno.removeSignalListener("SIGINT", onInterrupt);
  }
}
