/**
 * `auth whoami` for a Google identity: one token minted from the identity's own files (as a
 * child would mint it), and who it stands for — the service account it ends as, the federated
 * principal recorded at login, or the user's e-mail from token information. The token itself is
 * never shown.
 *
 * @module
 */
import type { OutputContext, OutputLink, WhoamiFacts } from "../auth/output.ts";
import { targetOf } from "./adc.ts";
import { gcpEndpoints } from "./endpoints.ts";
import { gcpPaths, readGcpFiles } from "./files.ts";
import { chainProject, chainScopes } from "./link.ts";
import { mintToken } from "./mint.ts";
import { tokenInfo } from "./oauth.ts";

/** Who the identity's files stand for, checked with one token request (two for a user). */
export async function whoami(link: OutputLink, ctx: OutputContext): Promise<WhoamiFacts> {
  const written = readGcpFiles(gcpPaths(link.dir, link.identity));
  if (!written) return { details: {} };
  const endpoints = gcpEndpoints(ctx.env);
  const minted = await mintToken(written.plan, {
    endpoints,
    scopes: chainScopes(link),
    now: Date.now(),
    debug: ctx.debug,
  });
  let principal = targetOf(written.plan) ?? written.record.principal;
  if (principal === undefined && written.plan.base.type === "authorized_user") {
    principal = (await tokenInfo(endpoints.tokenHost, minted.token)).email;
  }
  const project = chainProject(link);
  return { principal, details: project ? { project } : {} };
}
