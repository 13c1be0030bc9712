/**
 * The `gcp` and `azure` members of a running {@linkcode Emulator}: in-process views over the
 * Google and Entra state for tests.
 *
 * @module
 */

import { createGcpUser, expireGcpTokens, providerAudience } from "./gcp_state.ts";
import {
  decideAuthorization,
  decideDevice,
  expireEntraTokens,
  nextAuthorization,
  nextDeviceCode,
  pendingAuthorizations,
  pendingDeviceCodes,
} from "./entra_state.ts";
import { issueUserTokens, parseScope } from "./entra_tokens.ts";
import { AZURE_CLI_CLIENT_ID, resolveTenant } from "./entra_state.ts";
import { GOOGLE_OAUTH_TOKEN_PATH } from "./gcp_oauth_handler.ts";
import type { EmulatorState } from "./state.ts";
import type { AzureEmulator, GcpEmulator } from "./types.ts";

function base(state: EmulatorState, options?: { https?: boolean }): string {
  return options?.https ? state.httpsUrl : state.url;
}

/** The `gcp` member of an emulator. */
export function gcpApi(state: EmulatorState): GcpEmulator {
  return {
    tokenUrl: (options) => `${base(state, options)}/v1/token`,
    impersonationUrl: (email, options) =>
      `${base(state, options)}/v1/projects/-/serviceAccounts/${email}:generateAccessToken`,
    oauthTokenUrl: (options) => `${base(state, options)}${GOOGLE_OAUTH_TOKEN_PATH}`,
    audience: (index = 0) => {
      const provider = state.gcp.providers[index];
      if (provider === undefined) throw new Error(`no workload identity provider #${index}`);
      return providerAudience(provider);
    },
    env: (options) => ({
      CLOUDSDK_API_ENDPOINT_OVERRIDES_STS: `${base(state, options)}/`,
      CLOUDSDK_API_ENDPOINT_OVERRIDES_IAMCREDENTIALS: `${base(state, options)}/`,
      CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDRESOURCEMANAGER: `${base(state, options)}/`,
      CLOUDSDK_AUTH_TOKEN_HOST: `${base(state, options)}${GOOGLE_OAUTH_TOKEN_PATH}`,
    }),
    createUser: (email) => createGcpUser(state, email),
    tokenInfo: (token) => {
      const info = state.gcp.tokens.get(token);
      return info ? { ...info, scopes: [...info.scopes] } : undefined;
    },
    expireTokens: () => expireGcpTokens(state),
  };
}

/** The `azure` member of an emulator. */
export function azureApi(state: EmulatorState): AzureEmulator {
  return {
    tenantId: state.entra.tenantId,
    authorityHost: state.httpsUrl,
    user: { ...state.entra.user },
    cloudConfig: () => ({
      endpoints: {
        activeDirectory: `${state.httpsUrl}/adfs`,
        resourceManager: `${state.httpsUrl}/arm/`,
        activeDirectoryResourceId: "https://management.core.windows.net/",
        management: "https://management.core.windows.net/",
        activeDirectoryGraphResourceId: "https://graph.windows.net/",
        microsoftGraphResourceId: "https://graph.microsoft.com/",
      },
      suffixes: { keyvaultDns: ".vault.azure.net", storageEndpoint: "core.windows.net" },
    }),
    issueUserTokens: (options) => {
      const tenant = resolveTenant(state, options.tenant ?? state.entra.tenantId);
      if (tenant === undefined) throw new Error(`unknown tenant '${options.tenant}'`);
      return issueUserTokens(state, {
        origin: state.httpsUrl,
        tenant,
        clientId: options.clientId ?? AZURE_CLI_CLIENT_ID,
        scope: parseScope(options.scope),
        grant: "device_code",
        lifetime: options.lifetime,
      });
    },
    pendingDeviceCodes: () => pendingDeviceCodes(state),
    nextDeviceCode: () => nextDeviceCode(state),
    approveDevice: (userCode) => decideDevice(state, "approved", userCode),
    denyDevice: (userCode) => decideDevice(state, "denied", userCode),
    pendingAuthorizations: () => pendingAuthorizations(state),
    nextAuthorization: () => nextAuthorization(state),
    approveAuthorization: (requestState) => decideAuthorization(state, "approved", requestState),
    denyAuthorization: (requestState) => decideAuthorization(state, "denied", requestState),
    tokenInfo: (token) => {
      const info = state.entra.tokens.get(token);
      return info ? { ...info } : undefined;
    },
    refreshTokenValid: (token) => {
      const found = state.entra.refreshTokens.get(token);
      return found !== undefined && found.expiresAtMs > Date.now();
    },
    expireTokens: () => expireEntraTokens(state),
  };
}
