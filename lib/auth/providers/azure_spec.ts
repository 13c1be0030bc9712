/**
 * The `spec` of the Azure provider kinds, as Atmos documents them (reference §1.2), and their
 * checks: ids are GUIDs, `tenant_id` is required (and `client_id` for `azure/oidc`), and
 * `cloud_environment` is one of `public`, `usgovernment`, `china` (the field table's `oneOf`).
 * Shared by `azure/device-code`, `azure/interactive`, `azure/oidc` and `azure/cli`, and by the
 * `azure/subscription` identity for its `principal`.
 *
 * @module
 */
import { AtmosError, type ConfigError } from "../../errors.ts";
import type { FieldTable } from "../../config/fields.ts";
import { stringAt } from "../../config/values.ts";
import type { EnvGetter, IssueFn } from "../kind.ts";
import {
  type Authority,
  authorityFor,
  authorityHostProblem,
  AZURE_CLI_CLIENT_ID,
  CLOUD_ENVIRONMENTS,
} from "../../azure/clouds.ts";
import type { AzureSettings } from "../../azure/link.ts";
import { CLI_FILES, versionCheckSeed } from "../../azure/cli_dir.ts";
import { join } from "../../fs/path.ts";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A GUID example for hints. */
const GUID_EXAMPLE = "00000000-0000-0000-0000-000000000000";

/** Spec fields of every Azure provider. */
const COMMON: FieldTable = {
  tenant_id: "string",
  subscription_id: "string",
  location: "string",
  cloud_environment: { oneOf: CLOUD_ENVIRONMENTS },
};

/** `azure/device-code` and `azure/interactive`. */
export const USER_SPEC: FieldTable = { ...COMMON, client_id: "string" };
/** `azure/oidc`. */
export const OIDC_SPEC: FieldTable = {
  ...COMMON,
  client_id: "string",
  audience: "string",
  token_file_path: "string",
};
/** `azure/cli`. */
export const CLI_SPEC: FieldTable = COMMON;

/** The checks of an Azure provider's `spec` beyond the field types. */
export function validateAzureSpec(
  spec: Record<string, unknown> | undefined,
  issue: IssueFn,
  options: { clientIdRequired?: boolean } = {},
): ConfigError[] {
  const errors: ConfigError[] = [];
  errors.push(...guidProblems(spec, "tenant_id", issue, { required: true, what: "tenant" }));
  errors.push(
    ...guidProblems(spec, "client_id", issue, {
      required: options.clientIdRequired ?? false,
      what: "application (client)",
    }),
  );
  errors.push(...guidProblems(spec, "subscription_id", issue, { what: "subscription" }));
  for (const key of ["audience", "token_file_path", "location"]) {
    if (spec?.[key] === "") {
      errors.push(
        issue(["spec", key], `spec.${key} must not be empty`, "remove it or set a value"),
      );
    }
  }
  return errors;
}

/**
 * Problems of a GUID field of `section` (`spec` unless given): missing when required, or not a
 * GUID.
 */
export function guidProblems(
  map: Record<string, unknown> | undefined,
  key: string,
  issue: IssueFn,
  options: { required?: boolean; what: string; section?: string },
): ConfigError[] {
  const section = options.section ?? "spec";
  const value = map?.[key];
  if (value === undefined || value === null || value === "") {
    return options.required
      ? [issue(
        [section, key],
        `${section}.${key} is required`,
        `set the ${options.what} id, a GUID such as ${GUID_EXAMPLE}`,
      )]
      : [];
  }
  if (typeof value !== "string" || !GUID.test(value)) {
    return [issue(
      [section, key],
      `invalid ${options.what} id "${value}": it must be a GUID`,
      `e.g. ${GUID_EXAMPLE}`,
    )];
  }
  return [];
}

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
