/**
 * The Google credential set chain links pass on: a {@linkcode GcpPlan} (what children's files
 * are made of), the subject token when atmos must write it, the endpoints of the login, and —
 * once an identity has minted a token to check the chain — who it stands for and until when.
 * Redacts itself when printed or serialised (the plan's base holds a refresh token or a JWT
 * source).
 *
 * @module
 */
import { REDACTED, sealed } from "../redact.ts";
import type { GcpPlan } from "./adc.ts";
import type { GcpEndpoints } from "./endpoints.ts";

/** Where a base credential was read from (a user's ADC file), to notice when it changes. */
export interface FileOrigin {
  readonly path: string;
  readonly mtimeMs: number;
  readonly size: number;
}

/** A subject token (an OIDC JWT) the chain federates with. */
export interface SubjectToken {
  readonly token: string;
  /**
   * True when atmos writes it to the identity's `subject_token` file and points the
   * `external_account` at it (a token read from a variable); false when the credential source
   * already names where clients get it (the user's file, the GitHub Actions URL).
   */
  readonly write: boolean;
}

/** Google credentials of one chain link. */
export interface GcpCredentialSet {
  readonly type: "gcp";
  readonly plan: GcpPlan;
  readonly subject?: SubjectToken;
  /** The endpoints of the login (absent on a set read back from files). */
  readonly endpoints?: GcpEndpoints;
  readonly origin?: FileOrigin;
  /** Project the credentials are for, when the configuration names one. */
  readonly project?: string;
  readonly expiration?: Date;
  /** The service account, user or federated principal the credentials stand for. */
  readonly principal?: string;
  readonly region?: string;
}

/** Wraps Google credentials in a self-redacting set. */
export function gcpCredentialSet(set: Omit<GcpCredentialSet, "type">): GcpCredentialSet {
  return sealed({ type: "gcp" as const, ...set }, (c) => ({
    type: c.type,
    base: c.plan.base.type,
    base_credentials: REDACTED,
    chain: c.plan.chain,
    subject: c.subject ? REDACTED : undefined,
    project: c.project,
    principal: c.principal,
    expiration: c.expiration?.toISOString(),
  }));
}

/** True when `creds` holds Google credentials. */
export function isGcpSet(creds: { type: string } | null | undefined): creds is GcpCredentialSet {
  return creds?.type === "gcp";
}
