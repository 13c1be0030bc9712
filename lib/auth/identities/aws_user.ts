/**
 * `aws/user`: a standalone IAM user. Long-lived keys come from the configuration (e.g. via
 * `!env`) or from the credential store; `sts:GetSessionToken` (optionally with MFA) turns
 * them into a session, which is what children receive.
 *
 * @module
 */
import { AtmosError, type ConfigError } from "../../errors.ts";
import type { IdentityConfig } from "../../config/types.ts";
import { awsCredentialSet } from "../../aws/credential_set.ts";
import { awsFilesOutput } from "../../aws/output.ts";
import { stringAt } from "../../config/values.ts";
import type { AuthContext, IdentityKind, IssueFn, LinkInfo } from "../kind.ts";
import { chainEndpoint, DEFAULT_REGION } from "../../aws/link.ts";
import { awsSettingProblems } from "../../aws/settings_check.ts";
import { clamp, parseDurationSeconds } from "../duration.ts";

const DEFAULT_SESSION_SECONDS = 12 * 3600;
const MIN_SESSION_SECONDS = 15 * 60;
const MAX_SESSION_SECONDS = 12 * 3600;
const MAX_MFA_SESSION_SECONDS = 36 * 3600;

/** The `aws/user` identity kind. */
export const awsUser: IdentityKind = {
  kind: "aws/user",
  output: awsFilesOutput,
  fields: {
    credentials: {
      access_key_id: "string",
      secret_access_key: "string",
      session_token: "string",
      mfa_arn: "string",
      region: "string",
      // Atmos's browser sign-in switch; atmos has no browser sign-in for IAM users.
      webflow_enabled: "boolean",
    },
    spec: { endpoint_url: "string" },
  },
  validate(config: IdentityConfig, issue: IssueFn): ConfigError[] {
    const errors: ConfigError[] = [];
    const creds = config.credentials ?? {};
    const id = creds.access_key_id;
    const secret = creds.secret_access_key;
    const hasId = id !== undefined && id !== null && id !== "";
    const hasSecret = secret !== undefined && secret !== null && secret !== "";
    if (config.credentials !== undefined && typeof config.credentials !== "object") {
      errors.push(issue(["credentials"], "credentials must be a map"));
    }
    if (hasId !== hasSecret) {
      errors.push(issue(
        ["credentials", hasId ? "secret_access_key" : "access_key_id"],
        "credentials.access_key_id and credentials.secret_access_key must be set together",
        'set both, or remove both and store them with "atmos auth user configure"',
      ));
    }
    const mfa = creds.mfa_arn;
    if (
      mfa !== undefined && mfa !== null && !/^arn:aws[\w-]*:iam::\d{12}:mfa\/.+$/.test(String(mfa))
    ) {
      errors.push(issue(
        ["credentials", "mfa_arn"],
        `invalid MFA device ARN "${mfa}"`,
        "expected arn:aws:iam::<account>:mfa/<device>",
      ));
    }
    errors.push(...awsSettingProblems(config, issue, [["credentials", "region"]]));
    const duration = config.session?.duration;
    if (duration !== undefined && parseDurationSeconds(duration) === undefined) {
      errors.push(issue(
        ["session", "duration"],
        `invalid duration "${duration}"`,
        "use a Go duration such as 12h or 90m, or seconds",
      ));
    }
    return errors;
  },
  region: userRegion,
  async authenticate(_input, link, ctx) {
    const keys = await longLivedKeys(link, ctx);
    const region = userRegion(link);
    const mfaArn = stringAt(link.config.credentials, "mfa_arn") ?? keys.mfaArn;
    const requested = parseDurationSeconds(link.config.session?.duration ?? keys.sessionDuration) ??
      DEFAULT_SESSION_SECONDS;
    const durationSeconds = clamp(
      requested,
      MIN_SESSION_SECONDS,
      mfaArn ? MAX_MFA_SESSION_SECONDS : MAX_SESSION_SECONDS,
    );
    const tokenCode = mfaArn ? await mfaCode(link.name, mfaArn, ctx) : undefined;
    // The STS client loads only when a call is made: a warm run only reads files.
    const [{ resolveEndpoint }, { getSessionToken }] = await Promise.all([
      import("../../aws/endpoints.ts"),
      import("../../aws/sts.ts"),
    ]);
    const endpoint = resolveEndpoint("STS", region, chainEndpoint(link), ctx.env);
    ctx.debug(`aws/user "${link.name}": GetSessionToken at ${endpoint} (${durationSeconds}s)`);
    const result = await getSessionToken(
      {
        region,
        endpoint,
        credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey },
      },
      { durationSeconds, serialNumber: mfaArn, tokenCode },
    ).catch((error) => {
      throw new AtmosError(`Cannot start a session for identity "${link.name}": ${error.message}`, {
        cause: error,
        hint: error.code === "InvalidClientTokenId"
          ? `the stored access key is not valid; run "atmos auth user configure ${link.name}"`
          : undefined,
      });
    });
    return awsCredentialSet({ ...result.credentials, region });
  },
};

/** `credentials.region`, else the default region: an IAM user is not in any region. */
function userRegion(link: LinkInfo<IdentityConfig>): string {
  return stringAt(link.config.credentials, "region") ?? DEFAULT_REGION;
}

interface LongLivedKeys {
  accessKeyId: string;
  secretAccessKey: string;
  mfaArn?: string;
  sessionDuration?: string;
}

async function longLivedKeys(
  link: LinkInfo<IdentityConfig>,
  ctx: AuthContext,
): Promise<LongLivedKeys> {
  const id = stringAt(link.config.credentials, "access_key_id");
  const secret = stringAt(link.config.credentials, "secret_access_key");
  if (id && secret) return { accessKeyId: id, secretAccessKey: secret };
  const [store, { storeKey }] = await Promise.all([ctx.store(), import("../../store/key.ts")]);
  const stored = await store.get(storeKey(link.name, ctx.realm));
  const data = stored?.data;
  if (data?.access_key_id && data?.secret_access_key) {
    return {
      accessKeyId: data.access_key_id,
      secretAccessKey: data.secret_access_key,
      mfaArn: data.mfa_arn || undefined,
      sessionDuration: data.session_duration || undefined,
    };
  }
  throw new AtmosError(`No long-lived access keys for identity "${link.name}"`, {
    exitCode: 2,
    hint:
      `store them with "atmos auth user configure ${link.name}" (credential store: ${store.kind}), or set credentials.access_key_id and credentials.secret_access_key (e.g. with !env)`,
  });
}

async function mfaCode(name: string, mfaArn: string, ctx: AuthContext): Promise<string> {
  const given = ctx.mfaToken ?? ctx.env.get("ATMOS_MFA_TOKEN");
  if (given) {
    if (!/^\d{6}$/.test(given)) {
      throw new AtmosError("The MFA code must be 6 digits", {
        exitCode: 2,
        hint: "pass the current code from your authenticator with --mfa-token",
      });
    }
    return given;
  }
  if (!ctx.interactive) {
    throw new AtmosError(`Identity "${name}" needs an MFA code for ${mfaArn}`, {
      exitCode: 2,
      hint: "pass --mfa-token <code> or set ATMOS_MFA_TOKEN, or run on a terminal to be asked",
      needsPerson: true,
    });
  }
  return await ctx.prompter.text(
    `MFA code for ${mfaArn}: `,
    (value) => /^\d{6}$/.test(value.trim()) ? undefined : "enter the 6-digit code",
  ).then((v) => v.trim());
}
