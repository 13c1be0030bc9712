/**
 * Checks of the AWS settings every AWS kind reads — regions and STS endpoints — so a value that
 * would change where atmos sends signed requests is a configuration error before any call: a
 * region is one DNS label of AWS's shape (`us-east-1`, `us-gov-west-1`), not free text that ends
 * up in a host name (`evil.example/#` would turn `sts.<region>.amazonaws.com` into another host),
 * and an endpoint is an `http(s)` URL.
 *
 * @module
 */
import type { ConfigError } from "../errors.ts";
import type { IssueFn } from "../auth/kind.ts";
import type { IdentityConfig } from "../config/types.ts";

/** AWS region names, as the partitions spell them (`us-east-1`, `cn-north-1`, `us-isob-east-1`). */
export const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** Where a kind's AWS settings are: `[section, key]` pairs of region fields. */
export type SettingPath = readonly [section: "principal" | "credentials", key: "region"];

/**
 * Problems with the link's AWS regions (at `regions`) and `spec.endpoint_url`. Values are
 * already strings or absent (the kind's field table was checked first).
 */
export function awsSettingProblems(
  config: Pick<IdentityConfig, "principal" | "credentials" | "spec">,
  issue: IssueFn,
  regions: readonly SettingPath[],
): ConfigError[] {
  const problems: ConfigError[] = [];
  for (const [section, key] of regions) {
    const value = config[section]?.[key];
    if (typeof value === "string" && value !== "" && !AWS_REGION.test(value)) {
      problems.push(
        issue([section, key], `invalid AWS region "${value}"`, "e.g. us-east-1 or eu-west-2"),
      );
    }
  }
  const endpoint = config.spec?.endpoint_url;
  if (typeof endpoint === "string" && endpoint !== "" && !isHttpUrl(endpoint)) {
    problems.push(issue(
      ["spec", "endpoint_url"],
      `invalid spec.endpoint_url "${endpoint}"`,
      "expected an http(s) URL such as https://sts.us-east-1.amazonaws.com",
    ));
  }
  return problems;
}

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
}
