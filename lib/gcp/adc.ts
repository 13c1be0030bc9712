/**
 * Application Default Credentials (ADC) as atmos reasons about them: a **base** credential (a
 * user's `authorized_user`, an `external_account` for workload identity federation) and the
 * **chain** of service accounts impersonated after it. Any ADC JSON
 * a user has decomposes into that shape, an identity that impersonates appends to the chain, and
 * the plan renders back into the files children read:
 *
 * - the ADC JSON (`GOOGLE_APPLICATION_CREDENTIALS`): the base itself; an `external_account`
 *   whose `service_account_impersonation_url` names the first service account (the one form
 *   every client reads, gcloud included); or an `impersonated_service_account` wrapping the base,
 *   with the earlier service accounts as `delegates` — what `gcloud auth application-default
 *   login --impersonate-service-account` writes;
 * - gcloud's `credential_file_override` plus `[auth] impersonate_service_account` (gcloud's own
 *   impersonation honours its endpoint overrides, where the bundled google-auth ignores them for
 *   an `impersonated_service_account` file's source).
 *
 * Pure data and functions: no I/O.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import { impersonatedEmail, impersonationUrl } from "./endpoints.ts";

/** An ADC JSON object as Google's clients read it (fields kept as they are). */
export type AdcJson = { readonly type: string } & Readonly<Record<string, unknown>>;

/**
 * The ADC types a base can have: those atmos can mint a token from to check a chain (a
 * `service_account` key file, `external_account_authorized_user` and the metadata server are
 * not supported yet; see the README).
 */
export const BASE_TYPES = ["authorized_user", "external_account"] as const;

/** A credential decomposed into its base and the service accounts impersonated after it. */
export interface GcpPlan {
  /** The base credential; an `external_account` here never impersonates itself. */
  readonly base: AdcJson;
  /** Service accounts impersonated in order after the base: delegates first, target last. */
  readonly chain: readonly string[];
  /** Lifetime of the target's tokens where a file can carry it (`token_lifetime_seconds`). */
  readonly lifetimeSeconds?: number;
}

/** What gcloud's configuration gets for a plan. */
export interface GcloudAuth {
  /** The ADC JSON to write as `[auth] credential_file_override`. */
  readonly credentials: AdcJson;
  /** `[auth] impersonate_service_account`: comma-separated delegates then target, or none. */
  readonly impersonate?: string;
}

const DELEGATE_PREFIX = "projects/-/serviceAccounts/";

/**
 * Decomposes an ADC JSON (as a user's file holds it) into a plan.
 *
 * @throws {AtmosError} for a type atmos cannot hand on, or a malformed file; `where` names it.
 */
export function planOf(json: unknown, where: string): GcpPlan {
  if (!isMap(json) || typeof json.type !== "string") {
    throw new AtmosError(`${where} is not a Google credentials file (no "type")`, {
      exitCode: 2,
    });
  }
  const adc = json as AdcJson;
  if (adc.type === "impersonated_service_account") {
    const url = stringField(adc, "service_account_impersonation_url", where);
    const target = impersonatedEmail(url);
    if (!target) {
      throw new AtmosError(
        `${where}: service_account_impersonation_url names no service account`,
        { exitCode: 2 },
      );
    }
    const inner = planOf(adc.source_credentials, `${where} (source_credentials)`);
    const delegates = Array.isArray(adc.delegates) ? adc.delegates.map(delegateEmail) : [];
    return { base: inner.base, chain: [...inner.chain, ...delegates, target] };
  }
  if (
    adc.type === "external_account" && typeof adc.service_account_impersonation_url === "string"
  ) {
    const target = impersonatedEmail(adc.service_account_impersonation_url);
    if (!target) {
      throw new AtmosError(
        `${where}: service_account_impersonation_url names no service account`,
        { exitCode: 2 },
      );
    }
    const {
      service_account_impersonation_url: _url,
      service_account_impersonation: settings,
      ...base
    } = adc;
    const lifetime = isMap(settings) ? settings.token_lifetime_seconds : undefined;
    return {
      base: base as AdcJson,
      chain: [target],
      lifetimeSeconds: typeof lifetime === "number" ? lifetime : undefined,
    };
  }
  if (!(BASE_TYPES as readonly string[]).includes(adc.type)) {
    throw new AtmosError(`${where} has credentials of type "${adc.type}", which atmos cannot use`, {
      exitCode: 2,
      hint: `supported: ${[...BASE_TYPES, "impersonated_service_account"].join(", ")}`,
    });
  }
  return { base: adc, chain: [] };
}

/** The plan with `email` impersonated after it (through `delegates` first). */
export function impersonate(
  plan: GcpPlan,
  email: string,
  delegates: readonly string[] = [],
  lifetimeSeconds?: number,
): GcpPlan {
  return { base: plan.base, chain: [...plan.chain, ...delegates, email], lifetimeSeconds };
}

/** The service account a plan ends as, or undefined when it is the base itself. */
export function targetOf(plan: GcpPlan): string | undefined {
  return plan.chain.at(-1);
}

/** The ADC JSON of a plan, for `GOOGLE_APPLICATION_CREDENTIALS`. */
export function renderAdc(plan: GcpPlan, iamBase: string): AdcJson {
  const { base, chain } = plan;
  if (chain.length === 0) return base;
  if (base.type === "external_account") {
    const first = externalImpersonating(base, chain[0], iamBase, chain.length === 1 ? plan : {});
    if (chain.length === 1) return first;
    return impersonatedJson(first, chain.slice(1), iamBase);
  }
  return impersonatedJson(base, chain, iamBase);
}

/**
 * What gcloud gets for a plan: the base (an `external_account` impersonating the first service
 * account) as its credential file, and the rest of the chain as its own impersonation.
 */
export function gcloudAuth(plan: GcpPlan, iamBase: string): GcloudAuth {
  const { base, chain } = plan;
  if (chain.length === 0) return { credentials: base };
  if (base.type === "external_account") {
    const first = externalImpersonating(base, chain[0], iamBase, chain.length === 1 ? plan : {});
    return chain.length === 1
      ? { credentials: first }
      : { credentials: first, impersonate: chain.slice(1).join(",") };
  }
  return { credentials: base, impersonate: chain.join(",") };
}

/** IAM's form of a delegate, `projects/-/serviceAccounts/<email>`. */
export function delegateName(email: string): string {
  return `${DELEGATE_PREFIX}${email}`;
}

function delegateEmail(value: unknown): string {
  const text = String(value);
  return text.startsWith(DELEGATE_PREFIX) ? text.slice(DELEGATE_PREFIX.length) : text;
}

function externalImpersonating(
  base: AdcJson,
  email: string,
  iamBase: string,
  options: { lifetimeSeconds?: number },
): AdcJson {
  return {
    ...base,
    service_account_impersonation_url: impersonationUrl(iamBase, email),
    ...(options.lifetimeSeconds === undefined
      ? {}
      : { service_account_impersonation: { token_lifetime_seconds: options.lifetimeSeconds } }),
  };
}

function impersonatedJson(source: AdcJson, chain: readonly string[], iamBase: string): AdcJson {
  return {
    type: "impersonated_service_account",
    service_account_impersonation_url: impersonationUrl(iamBase, chain.at(-1)!),
    delegates: chain.slice(0, -1).map(delegateName),
    source_credentials: source,
  };
}

function stringField(adc: AdcJson, key: string, where: string): string {
  const value = adc[key];
  if (typeof value !== "string" || value === "") {
    throw new AtmosError(`${where}: "${key}" is missing`, { exitCode: 2 });
  }
  return value;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
