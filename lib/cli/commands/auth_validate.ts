/**
 * `atmos auth validate [-v]`: every problem in the `auth:` section, one line each, without any
 * network call; `--verbose` (Atmos's flag) also prints each provider and identity checked, with
 * its kind and, for identities, the chain it resolves to.
 *
 * @module
 */
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { type ConfigError, formatErrorLine } from "../../errors.ts";
import type { AuthManager } from "../../auth/manager.ts";

/** Builds the `auth validate` command. */
export function authValidateCommand(rt: Runtime): CommandSpec {
  return {
    name: "validate",
    summary: "Check the auth configuration (kinds, via references, cycles, fields)",
    flags: [{
      name: "verbose",
      short: "v",
      type: "boolean",
      description: "also print every provider and identity checked, with its chain",
    }],
    async run(inv) {
      const manager = await rt.manager();
      const errors = manager.validate();
      if (inv.flags.verbose === true) rt.err(checkLines(manager, errors).join(""));
      if (errors.length === 0) {
        rt.err("✓ Authentication configuration is valid\n");
        return 0;
      }
      for (const error of errors) rt.err(`error: ${formatErrorLine(error)}\n`);
      rt.err(`✗ Authentication configuration has ${errors.length} problem(s)\n`);
      return 2;
    },
  };
}

/** One line per provider and identity: ✓ or ✗, the kind, and an identity's chain. */
function checkLines(manager: AuthManager, errors: ConfigError[]): string[] {
  const auth = manager.auth;
  const failed = (section: string, name: string) =>
    errors.some((e) => {
      const path = e.location?.path ?? "";
      return path === `auth.${section}.${name}` || path.startsWith(`auth.${section}.${name}.`);
    });
  const lines: string[] = [];
  for (const [name, provider] of Object.entries(auth.providers ?? {}).sort()) {
    const mark = failed("providers", name) ? "✗" : "✓";
    lines.push(`${mark} provider ${name} (${provider?.kind ?? "no kind"})\n`);
  }
  for (const name of manager.identityNames()) {
    const kind = auth.identities?.[name]?.kind ?? "no kind";
    let chain: string;
    try {
      chain = manager.chain(name).map((link) => link.name).join(" → ");
    } catch (error) {
      lines.push(`✗ identity ${name} (${kind}): ${formatErrorLine(error)}\n`);
      continue;
    }
    const mark = failed("identities", name) ? "✗" : "✓";
    lines.push(`${mark} identity ${name} (${kind}): chain ${chain}\n`);
  }
  return lines;
}
