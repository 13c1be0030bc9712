/**
 * One access token for a plan, minted the way the clients will mint theirs from the files: the
 * base's token (a user refresh, or an STS exchange of the subject token), then one IAM
 * `generateAccessToken` for the last service account of the chain with the others as
 * delegates. atmos mints to check a chain at login and for `whoami`; the token is never
 * written: children mint their own from the files.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import { type GcpPlan, targetOf } from "./adc.ts";
import { checkedUrl, type GcpEndpoints } from "./endpoints.ts";
import { type AccessToken, refreshUserToken, type UserCredentials } from "./oauth.ts";
import { exchangeToken } from "./sts.ts";
import { generateAccessToken } from "./iam.ts";
import { readSubjectToken } from "./credential_source.ts";
import { CLOUD_PLATFORM_SCOPE } from "./link.ts";

/** What a mint needs besides the plan. */
export interface MintOptions {
  endpoints: Pick<GcpEndpoints, "iamBase" | "tokenHost">;
  /** Scopes of the final token. */
  scopes: readonly string[];
  /** The subject token already in hand (else it is read from the base's credential source). */
  subjectToken?: string;
  now: number;
  debug?(message: string): void;
}

/** Mints an access token for `plan`. */
export async function mintToken(plan: GcpPlan, options: MintOptions): Promise<AccessToken> {
  const target = targetOf(plan);
  const base = await baseToken(
    plan,
    options,
    target === undefined ? options.scopes : [
      CLOUD_PLATFORM_SCOPE,
    ],
  );
  if (target === undefined) return base;
  options.debug?.(`gcp: impersonating ${target} at ${options.endpoints.iamBase}`);
  return await generateAccessToken(options.endpoints.iamBase, {
    email: target,
    bearer: base.token,
    scopes: options.scopes,
    delegates: plan.chain.slice(0, -1),
    lifetimeSeconds: plan.lifetimeSeconds,
  });
}

async function baseToken(
  plan: GcpPlan,
  options: MintOptions,
  scopes: readonly string[],
): Promise<AccessToken> {
  const base = plan.base;
  switch (base.type) {
    case "authorized_user": {
      options.debug?.(`gcp: refreshing the user's token at ${options.endpoints.tokenHost}`);
      return await refreshUserToken(options.endpoints.tokenHost, userOf(base), options.now);
    }
    case "external_account": {
      const tokenUrl = checkedUrl(String(base.token_url ?? ""), "the token_url of the credentials")
        .href;
      const subjectToken = options.subjectToken ??
        await readSubjectToken(base.credential_source, "the external_account credentials");
      options.debug?.(`gcp: exchanging the subject token at ${tokenUrl}`);
      return await exchangeToken(tokenUrl, {
        audience: String(base.audience ?? ""),
        subjectToken,
        subjectTokenType: typeof base.subject_token_type === "string"
          ? base.subject_token_type
          : undefined,
        scopes,
      }, options.now);
    }
    default:
      throw new AtmosError(
        `atmos cannot mint tokens from "${base.type}" credentials`,
        {
          exitCode: 2,
          hint: "use authorized_user credentials (gcloud auth application-default login) or " +
            "workload identity federation",
        },
      );
  }
}

function userOf(base: Record<string, unknown>): UserCredentials {
  for (const key of ["client_id", "client_secret", "refresh_token"]) {
    if (typeof base[key] !== "string" || base[key] === "") {
      throw new AtmosError(`the authorized_user credentials have no ${key}`, {
        exitCode: 2,
        hint: "run `gcloud auth application-default login` again",
      });
    }
  }
  return base as unknown as UserCredentials;
}
