/**
 * The `spec` of the Azure provider kinds, as Atmos documents them (reference §1.2), and their
 * checks: ids are GUIDs, `tenant_id` is required (and `client_id` for `azure/oidc`), and
 * `cloud_environment` is one of `public`, `usgovernment`, `china` (the field table's `oneOf`).
 * Shared by `azure/device-code`, `azure/interactive`, `azure/oidc` and `azure/cli`, and by the
 * `azure/subscription` identity for its `principal`. Kept light: validation loads it on every
 * run; what authenticating needs is in `azure_request.ts`.
 *
 * @module
 */
import type { ConfigError } from "../../errors.ts";
import type { FieldTable } from "../../config/fields.ts";
import type { IssueFn } from "../kind.ts";
import { CLOUD_ENVIRONMENTS } from "../../azure/clouds.ts";

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
