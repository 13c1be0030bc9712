/**
 * What a Google identity does at login: mint one token from the plan its files will hold (so a
 * broken chain fails now, with Google's reason, not in a child), and record who the token
 * stands for and until when. The token is dropped; children mint their own.
 *
 * A session's expiry is the checked token's, and no later than the subject JWT's when clients
 * re-read that JWT from a file (they cannot exchange it once it has expired): the 5-minute rule
 * then has every later step of a run start on a fresh JWT file.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import type { EnvGetter } from "../env.ts";
import { type GcpPlan, targetOf } from "./adc.ts";
import { type GcpCredentialSet, gcpCredentialSet } from "./credential_set.ts";
import { gcpEndpoints } from "./endpoints.ts";
import { mintToken } from "./mint.ts";
import { chainProject, chainRegion, type GcpLinkSettings } from "./link.ts";

/** What a check needs. */
export interface CheckOptions {
  env: EnvGetter;
  now: number;
  scopes: readonly string[];
  project?: string;
  region?: string;
  debug?(message: string): void;
}

/** Mints a token for `plan` (built on `input`) and returns the identity's credential set. */
export async function verifiedSet(
  input: GcpCredentialSet,
  plan: GcpPlan,
  options: CheckOptions,
): Promise<GcpCredentialSet> {
  const endpoints = gcpEndpoints(options.env);
  const minted = await mintToken(plan, {
    endpoints,
    scopes: options.scopes,
    subjectToken: input.subject?.token,
    now: options.now,
    debug: options.debug,
  });
  let expiration = minted.expiration;
  const subject = input.subject?.token;
  if (subject && !hasUrlSource(plan)) {
    const exp = jwtClaims(subject).exp;
    if (typeof exp === "number" && exp * 1000 < expiration.getTime()) {
      expiration = new Date(exp * 1000);
    }
  }
  return gcpCredentialSet({
    plan,
    subject: input.subject,
    endpoints,
    origin: input.origin,
    project: options.project,
    region: options.region,
    expiration,
    principal: targetOf(plan) ?? federatedPrincipal(plan, subject) ?? input.principal,
  });
}

/** An identity link as a check sees it. */
export interface CheckedLink extends GcpLinkSettings {
  readonly name: string;
}

/** What a check uses of the authentication context. */
export interface CheckContext {
  env: EnvGetter;
  now(): number;
  debug(message: string): void;
}

/**
 * An identity's credential set: `plan` checked with one token, the link's project and region
 * recorded. A failure names the identity.
 */
export async function checkedIdentity(
  input: GcpCredentialSet,
  plan: GcpPlan,
  link: CheckedLink,
  ctx: CheckContext,
  scopes: readonly string[],
): Promise<GcpCredentialSet> {
  try {
    return await verifiedSet(input, plan, {
      env: ctx.env,
      now: ctx.now(),
      scopes,
      project: chainProject(link),
      region: chainRegion(link),
      debug: ctx.debug,
    });
  } catch (error) {
    const e = error as AtmosError;
    throw new AtmosError(`Identity "${link.name}": ${e.message}`, {
      cause: error,
      hint: e.hint,
      exitCode: e.exitCode,
    });
  }
}

/**
 * The IAM member of a federated subject:
 * `principal://iam.googleapis.com/projects/<n>/locations/global/workloadIdentityPools/<pool>/subject/<sub>`.
 */
export function federatedPrincipal(plan: GcpPlan, jwt: string | undefined): string | undefined {
  if (plan.base.type !== "external_account" || jwt === undefined) return undefined;
  const pool =
    /^\/\/iam\.googleapis\.com\/(projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+)\/providers\/[^/]+$/
      .exec(String(plan.base.audience ?? ""));
  const sub = jwtClaims(jwt).sub;
  return pool && typeof sub === "string"
    ? `principal://iam.googleapis.com/${pool[1]}/subject/${sub}`
    : undefined;
}

/** The claims of a JWT, unverified (empty when unreadable). */
export function jwtClaims(jwt: string): Record<string, unknown> {
  try {
    const payload = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const claims = JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, "=")));
    return typeof claims === "object" && claims !== null ? claims : {};
  } catch {
    return {};
  }
}

function hasUrlSource(plan: GcpPlan): boolean {
  const source = plan.base.credential_source;
  return typeof source === "object" && source !== null && "url" in source;
}
