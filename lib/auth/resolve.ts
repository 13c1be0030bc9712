/**
 * Names a user typed (`-i`, `ATMOS_IDENTITY`, `--provider`, a positional argument) resolved to
 * configured names through the one resolver: exact, then case-insensitive; a typo gets a
 * near-name suggestion, an ambiguous name the candidates.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import { didYouMean } from "../config/suggest.ts";
import { nameList, type NameLookup } from "../config/names.ts";
import type { AuthView } from "./auth_view.ts";

/**
 * The configured identity `name` refers to.
 *
 * @throws {AtmosError} exit code 2 for an unknown or ambiguous name.
 */
export function resolveIdentityName(view: AuthView, name: string): string {
  const names = Object.keys(view.auth.identities ?? {}).sort();
  return resolved(view.graph.lookupIdentity(name), name, "identity", names, {
    configured: names.length > 0
      ? `configured identities: ${nameList(names)}; run "atmos auth list"`
      : "no identities are configured under auth.identities in atmos.yaml",
  });
}

/**
 * The configured provider `name` refers to.
 *
 * @throws {AtmosError} exit code 2 for an unknown or ambiguous name.
 */
export function resolveProviderName(view: AuthView, name: string): string {
  const names = Object.keys(view.auth.providers ?? {}).sort();
  return resolved(view.graph.lookupProvider(name), name, "provider", names, {
    configured: names.length > 0
      ? `configured providers: ${nameList(names)}`
      : "no providers are configured under auth.providers in atmos.yaml",
  });
}

function resolved(
  lookup: NameLookup,
  name: string,
  what: string,
  names: string[],
  hints: { configured: string },
): string {
  if ("found" in lookup) return lookup.found;
  if ("ambiguous" in lookup) {
    throw new AtmosError(
      `${what} "${name}" is ambiguous: it matches ${
        lookup.ambiguous.map((n) => `"${n}"`).join(" and ")
      } ignoring case`,
      { exitCode: 2, hint: "write the name exactly as it is configured" },
    );
  }
  throw new AtmosError(`unknown ${what} "${name}"${didYouMean(name, names)}`, {
    exitCode: 2,
    hint: hints.configured,
  });
}
