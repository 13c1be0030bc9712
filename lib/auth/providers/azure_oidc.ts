/**
 * `azure/oidc`: signs an Entra ID application in with workload identity federation. The
 * federated token (a JWT) comes from `spec.token_file_path`, else the file named by
 * `AZURE_FEDERATED_TOKEN_FILE`, else the GitHub Actions OIDC endpoint (audience
 * `spec.audience`, default `api://AzureADTokenExchange`; http only to a loopback address, as
 * `github/oidc`). One client-credentials exchange at `<authority>/<tenant>/oauth2/v2.0/token`
 * checks that the federation works; children then use the token themselves (the identity dir's
 * `federated_token` and `service_principal_entries.json`).
 *
 * Ambient: never resumed from files, so every run (every workflow step once the token is within
 * 5 minutes of its expiry, which a GitHub token always is) fetches a new token and rewrites the
 * file before the step starts.
 *
 * @module
 */
import { AtmosError, type ConfigError } from "../../errors.ts";
import type { ProviderConfig } from "../../config/types.ts";
import { stringAt } from "../../config/values.ts";
import type { AuthContext, IssueFn, LinkInfo, ProviderKind } from "../kind.ts";
import { OIDC_SPEC, validateAzureSpec } from "./azure_spec.ts";

/** The audience Entra ID requires of federated tokens. */
export const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

/** The `azure/oidc` provider kind. */
export const azureOidc: ProviderKind = {
  kind: "azure/oidc",
  ambient: true,
  fields: { spec: OIDC_SPEC },
  validate(config: ProviderConfig, issue: IssueFn): ConfigError[] {
    return validateAzureSpec(config.spec, issue, { clientIdRequired: true });
  },
  async authenticate(link, ctx) {
    const [
      { clientCredentials, EntraError },
      { azureAppSet },
      { defaultScope },
      { jwtExpiration },
      { azureSettings },
      { providerAuthority, userVersionCheck },
    ] = await Promise.all([
      import("../../azure/entra.ts"),
      import("../../azure/credential_set.ts"),
      import("../../azure/clouds.ts"),
      import("../../azure/jwt.ts"),
      import("../../azure/link.ts"),
      import("./azure_request.ts"),
    ]);
    const settings = azureSettings(link);
    const authority = providerAuthority(settings, ctx.env);
    const clientId = settings.clientId ?? "";
    const { token, file } = await federatedToken(link, ctx);
    const expiresAt = jwtExpiration(token);
    if (!expiresAt) {
      throw new AtmosError(
        `the federated token of provider "${link.name}" has no expiry (exp): it is not a usable JWT`,
      );
    }
    if (expiresAt.getTime() <= ctx.now()) {
      throw new AtmosError(`the federated token of provider "${link.name}" has expired`, {
        hint: file
          ? `the file ${file} must hold a current token (its owner rotates it)`
          : undefined,
      });
    }
    ctx.debug(`azure/oidc "${link.name}": federated credential exchange at ${authority.login}`);
    let answer;
    try {
      answer = await clientCredentials(
        { authority: authority.login },
        clientId,
        token,
        defaultScope(authority.cloud.resourceManager.replace(/\/$/, "")),
      );
    } catch (error) {
      if (error instanceof EntraError) {
        throw new AtmosError(
          `Cannot sign in application ${clientId} (provider "${link.name}"): ${error.message}`,
          {
            cause: error,
            hint:
              "check the app's federated credential (issuer, subject, audience) and spec.tenant_id",
          },
        );
      }
      throw error;
    }
    const appExpiry = ctx.now() + answer.expiresIn * 1000;
    return azureAppSet({
      authority,
      clientId,
      assertion: token,
      assertionFile: file === settings.tokenFilePath ? file : undefined,
      expiration: new Date(Math.min(expiresAt.getTime(), appExpiry)),
      cliVersionCheck: await userVersionCheck(ctx.env),
    });
  },
};

/** The federated token and the file it came from (none for the GitHub endpoint). */
async function federatedToken(
  link: LinkInfo<ProviderConfig>,
  ctx: AuthContext,
): Promise<{ token: string; file?: string }> {
  const configured = stringAt(link.config.spec, "token_file_path");
  const file = configured ?? ctx.env.get("AZURE_FEDERATED_TOKEN_FILE");
  if (file) {
    const from = configured ? "spec.token_file_path" : "AZURE_FEDERATED_TOKEN_FILE";
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (error) {
      throw new AtmosError(
        `Cannot read the federated token of provider "${link.name}" from ${file} (${from}): ${
          (error as Error).message
        }`,
        { cause: error, exitCode: 2 },
      );
    }
    const token = text.trim();
    if (token.split(".").length !== 3) {
      throw new AtmosError(
        `the file ${file} (${from}) of provider "${link.name}" does not hold a JWT`,
        { exitCode: 2 },
      );
    }
    return { token, file };
  }
  if (ctx.env.get("ACTIONS_ID_TOKEN_REQUEST_URL")) {
    const { actionsIdToken } = await import("./github_oidc.ts");
    const audience = stringAt(link.config.spec, "audience") ?? TOKEN_EXCHANGE_AUDIENCE;
    const token = await actionsIdToken(
      ctx.env,
      audience,
      { name: link.name, kind: "azure/oidc" },
      ctx.debug,
    );
    return { token };
  }
  throw new AtmosError(`provider "${link.name}" (azure/oidc) found no federated token`, {
    exitCode: 2,
    hint:
      "set spec.token_file_path or AZURE_FEDERATED_TOKEN_FILE, or run in GitHub Actions with `permissions: id-token: write`",
  });
}
