/**
 * Authenticating a chain with the on-disk cache (README "The caching rule"):
 * 1. A link's cached credentials count when they have more than 5 minutes left
 *    ({@linkcode FRESHNESS_BUFFER_MS}); a fresh target means zero network calls.
 * 2. Otherwise the walk goes back from the target to the nearest fresh link and re-runs only
 *    the links after it, each fed the previous link's credentials.
 * 3. Chains rooted at an ambient provider or identity (GitHub OIDC, `aws/ambient`) are never
 *    resumed from files, so another job on a shared runner cannot replay them.
 * 4. Every identity link whose output is persistent writes its credentials (its own files or
 *    section), so the next run can resume there.
 * 5. When the cloud refuses the cached credentials the walk resumed from (the link after them
 *    throws a {@linkcode RefusedInputError}: revoked, or damaged in a way no checksum caught),
 *    that link's cache is removed and the chain runs again from the nearest fresh link before
 *    it — once; a second refusal is the user's error.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import type { IdentityConfig, ProviderConfig } from "../config/types.ts";
import type { FileWriter } from "../fs/writer.ts";
import type { ChainLink } from "./chain.ts";
import { type CredentialSet, FRESHNESS_BUFFER_MS, isFresh } from "./credentials.ts";
import type { AuthContext, LinkInfo } from "./kind.ts";
import { RefusedInputError } from "./refused.ts";
import {
  type AuthScope,
  identityKindOf,
  isAmbientChain,
  linkInfo,
  outputLink,
  providerKindOf,
} from "./links.ts";

export { FRESHNESS_BUFFER_MS };

/** Where a chain's authentication starts: the first link to run and its input. */
export interface ResumePoint {
  /** Index of the first link to authenticate (`chain.length`: nothing to do). */
  start: number;
  /** The cached credentials of the link before `start`, or null at the root. */
  input: CredentialSet | null;
}

/**
 * Link `index`'s cached credentials when they are fresh at `now`, from its output's files
 * (no network); `undefined` for providers, ambient kinds and outputs that keep nothing.
 */
export function freshCachedLink(
  scope: AuthScope,
  chain: readonly ChainLink[],
  index: number,
  now: number,
): CredentialSet | undefined {
  const link = chain[index];
  if (link.role !== "identity") return undefined;
  const kind = identityKindOf(scope, link);
  if (!kind.output.persistent || kind.ambient) return undefined;
  const creds = kind.output.readCached(outputLink(scope, chain, index, kind.output));
  return creds && isFresh(creds, now, FRESHNESS_BUFFER_MS) ? creds : undefined;
}

/**
 * The nearest fresh cached link from the target back (none for an ambient chain). With
 * `renew`, the target's own cache is passed over: its link runs again from the nearest fresh
 * link before it (a renewal before expiry). With `before`, only links before that index count
 * (the retry after a refused cached link).
 */
export function resumePoint(
  scope: AuthScope,
  chain: readonly ChainLink[],
  now: number,
  debug: (message: string) => void = () => {},
  options: { renew?: boolean; before?: number } = {},
): ResumePoint {
  if (isAmbientChain(scope, chain)) return { start: 0, input: null };
  const before = options.before ?? (options.renew ? chain.length - 1 : chain.length);
  for (let i = before - 1; i >= 0; i--) {
    const cached = freshCachedLink(scope, chain, i, now);
    if (cached) {
      debug(
        `using cached credentials of "${
          chain[i].name
        }" (expire ${cached.expiration?.toISOString()})`,
      );
      return { start: i + 1, input: cached };
    }
  }
  return { start: 0, input: null };
}

/**
 * Authenticates the links from `from.start` on, writing every persistent link's output. When
 * the first link refuses the cached input it was given, drops that cache and runs again from
 * further back — once (`retried`).
 */
export async function runChain(
  scope: AuthScope,
  chain: readonly ChainLink[],
  from: ResumePoint,
  ctx: AuthContext,
  writer: FileWriter,
  retried = false,
): Promise<CredentialSet> {
  let input = from.input;
  for (let i = from.start; i < chain.length; i++) {
    const link = chain[i];
    const info = linkInfo(chain, i);
    ctx.debug(`authenticating ${link.role} "${link.name}" (${link.config.kind})`);
    if (link.role === "provider") {
      input = await providerKindOf(scope, link.config.kind)
        .authenticate(info as LinkInfo<ProviderConfig>, ctx);
      continue;
    }
    const kind = identityKindOf(scope, link);
    const identityInfo = info as LinkInfo<IdentityConfig>;
    try {
      input = await kind.authenticate(input, identityInfo, ctx);
    } catch (error) {
      const cached = chain[i - 1];
      const fromCache = i === from.start && from.input !== null && cached?.role === "identity";
      if (!(error instanceof RefusedInputError) || !fromCache || retried) throw error;
      ctx.debug(
        `the cached credentials of "${cached.name}" were refused (${error.message}); removing them and authenticating again`,
      );
      const output = identityKindOf(scope, cached).output;
      await output.remove(outputLink(scope, chain, i - 1, output), writer);
      const again = resumePoint(scope, chain, ctx.now(), ctx.debug, { before: i - 1 });
      return await runChain(scope, chain, again, ctx, writer, true);
    }
    if (kind.output.persistent) {
      const region = kind.region?.(identityInfo) ?? input.region;
      await kind.output.write(
        writer,
        outputLink(scope, chain, i, kind.output, region),
        input,
        ctx,
      );
    }
  }
  if (!input) {
    throw new AtmosError(`Identity "${chain[chain.length - 1].name}" produced no credentials`);
  }
  return input;
}
