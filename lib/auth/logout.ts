/**
 * Logging out: an identity's own credentials (its output's files or section), or everything
 * of a chain root — the provider's own caches and sessions (an SSO token, discovered
 * identities) and the root's directory under every registered output. Long-lived keys in the
 * credential store are kept.
 *
 * @module
 */
import type { FileWriter } from "../fs/writer.ts";
import { buildChain, targetOf } from "./chain.ts";
import type { AuthContext } from "./kind.ts";
import { type AuthScope, identityKindOf, outputDir } from "./links.ts";
import { configIssue } from "../config/issue.ts";
import { targetOutputLink } from "./session_build.ts";

/**
 * Removes a configured identity's credentials. Returns what was (without a writer, a dry run:
 * would be) removed.
 */
export async function logoutIdentity(
  scope: AuthScope,
  identity: string,
  writer?: FileWriter,
): Promise<string[]> {
  const chain = chainOf(scope, identity);
  const output = identityKindOf(scope, targetOf(chain)).output;
  return await output.remove(targetOutputLink(scope, chain), writer);
}

/**
 * Removes everything of a chain root: the provider's own caches (when `root` names a provider
 * whose kind has any) and `<config>/atmos/[<realm>/]<output>/<root>` for every registered
 * output. Without a writer (a dry run) only reports.
 */
export async function logoutRoot(
  scope: AuthScope,
  root: string,
  ctx: AuthContext,
  writer?: FileWriter,
): Promise<string[]> {
  const removed: string[] = [];
  const config = scope.view.auth.providers?.[root];
  const kind = config ? scope.registry.provider(config.kind) : undefined;
  if (config && kind?.logout) {
    removed.push(
      ...await kind.logout({ name: root, config, upstream: [] }, ctx, { dryRun: !writer }),
    );
  }
  for (const output of scope.registry.outputNames()) {
    const dir = outputDir(scope, output, root);
    if (!await exists(dir)) continue;
    if (writer) await writer.remove(dir, { recursive: true });
    removed.push(dir);
  }
  return removed;
}

function chainOf(scope: AuthScope, identity: string) {
  return buildChain(
    scope.view.auth,
    scope.view.graph,
    identity,
    (path, message, hint) => configIssue(scope.view.loaded, path, message, hint),
  );
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}
