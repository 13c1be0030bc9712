/**
 * `ambient`: a cloud-agnostic no-op identity. Nothing is authenticated and children get the
 * environment unchanged.
 *
 * @module
 */
import type { ConfigError } from "../../errors.ts";
import type { IdentityConfig } from "../../config/types.ts";
import { AMBIENT } from "../credentials.ts";
import type { IdentityKind, IssueFn } from "../kind.ts";
import { passthroughOutput } from "../passthrough_output.ts";

/** The `ambient` identity kind. */
export const ambient: IdentityKind = {
  kind: "ambient",
  output: passthroughOutput,
  fields: {},
  ambient: true,
  validate(_config: IdentityConfig, _issue: IssueFn): ConfigError[] {
    return [];
  },
  authenticate() {
    return Promise.resolve(AMBIENT);
  },
};
