/**
 * The Azure credential output: each identity gets its own Azure CLI config dir
 * `<config>/atmos/[<realm>/]azure/<root>/<identity>/` (see `files.ts`), and children get
 * pointers and ids only — `AZURE_CONFIG_DIR`, `ARM_USE_CLI` or `ARM_USE_OIDC` with the federated
 * token file, client, tenant and subscription ids — never a token. `az` reads the dir directly;
 * Terraform and the Azure SDKs reach it through `az` (`AzureCliCredential`) or read the token
 * file (`WorkloadIdentityCredential`, `ARM_OIDC_TOKEN_FILE_PATH`).
 *
 * @module
 */
import { AtmosError, UsageError } from "../errors.ts";
import { join } from "../fs/path.ts";
import { identitySegment } from "../fs/layout.ts";
import type { FileWriter } from "../fs/writer.ts";
import type {
  ChildEnv,
  ConsoleRequest,
  CredentialOutput,
  OutputLink,
  WhoamiFacts,
} from "../auth/output.ts";
import type { CredentialSet } from "../auth/credentials.ts";
import { isAzureSet } from "./credential_set.ts";
import {
  type DirIdentity,
  type IdentityPaths,
  identityPaths,
  readIdentityDir,
  readProfile,
  writeAppDir,
  writeUserDir,
} from "./files.ts";
import { azureSettings, isAppChain } from "./link.ts";
import { CREDENTIAL_VARIABLES } from "./variables.ts";

/** The identity dir's paths of a link. */
export function azurePaths(link: OutputLink): IdentityPaths {
  return identityPaths(join(link.dir, identitySegment(link.identity)));
}

/** The Azure CLI config-dir output. */
export const azureOutput: CredentialOutput = {
  name: "azure",
  persistent: true,
  isolates: true,
  consoleName: "Azure portal",
  files(link): Record<string, string> {
    const paths = azurePaths(link);
    const settings = azureSettings(link);
    return isAppChain(settings)
      ? {
        config_dir: paths.dir,
        federated_token: settings.tokenFilePath ?? paths.federatedToken,
        profile: paths.profile,
      }
      : { config_dir: paths.dir, token_cache: paths.tokenCache, profile: paths.profile };
  },
  async write(writer: FileWriter, link: OutputLink, creds: CredentialSet) {
    if (!isAzureSet(creds)) {
      throw new AtmosError(
        `Internal error: identity "${link.identity}" produced ${creds.type} credentials for an Azure config dir`,
      );
    }
    const paths = azurePaths(link);
    const identity: DirIdentity = { name: link.identity, settings: azureSettings(link) };
    if (creds.type === "azure-user") await writeUserDir(writer, paths, creds, identity);
    else await writeAppDir(writer, paths, creds, identity);
  },
  readCached(link) {
    return readIdentityDir(azurePaths(link), azureSettings(link));
  },
  async remove(link, writer?: FileWriter) {
    const { dir } = azurePaths(link);
    const exists = await Deno.lstat(dir).then(() => true, () => false);
    if (!exists) return [];
    if (writer) await writer.remove(dir, { recursive: true });
    return [dir];
  },
  env(link): ChildEnv {
    const paths = azurePaths(link);
    const settings = azureSettings(link);
    const set: Record<string, string> = { AZURE_CONFIG_DIR: paths.dir };
    if (settings.tenantId) {
      set.AZURE_TENANT_ID = settings.tenantId;
      set.ARM_TENANT_ID = settings.tenantId;
    }
    if (settings.subscriptionId) {
      set.AZURE_SUBSCRIPTION_ID = settings.subscriptionId;
      set.ARM_SUBSCRIPTION_ID = settings.subscriptionId;
    }
    const location = link.region ?? settings.location;
    if (location) {
      set.AZURE_LOCATION = location;
      set.ARM_LOCATION = location;
    }
    if (settings.resourceGroup) set.AZURE_RESOURCE_GROUP = settings.resourceGroup;
    if (settings.cloud.name !== "public") {
      set.ARM_ENVIRONMENT = settings.cloud.armEnvironment;
      set.AZURE_ENVIRONMENT = settings.cloud.azureEnvironment;
    }
    if (isAppChain(settings)) {
      const tokenFile = settings.tokenFilePath ?? paths.federatedToken;
      Object.assign(set, {
        ARM_USE_OIDC: "true",
        ARM_USE_CLI: "false",
        ARM_USE_MSI: "false",
        ARM_CLIENT_ID: settings.clientId ?? "",
        AZURE_CLIENT_ID: settings.clientId ?? "",
        ARM_OIDC_TOKEN_FILE_PATH: tokenFile,
        AZURE_FEDERATED_TOKEN_FILE: tokenFile,
        AZURE_TOKEN_CREDENTIALS: "WorkloadIdentityCredential",
      });
    } else {
      Object.assign(set, {
        ARM_USE_CLI: "true",
        ARM_USE_MSI: "false",
        AZURE_TOKEN_CREDENTIALS: "AzureCliCredential",
      });
    }
    return { set, unset: CREDENTIAL_VARIABLES };
  },
  whoami(link: OutputLink): Promise<WhoamiFacts> {
    const profile = readProfile(azurePaths(link));
    if (!profile) return Promise.resolve({ details: {} });
    const details: Record<string, string> = {
      tenant: profile.tenantId,
      subscription: profile.subscriptionId,
    };
    if (profile.user.type === "servicePrincipal") details.type = "application";
    return Promise.resolve({ principal: profile.user.name, details });
  },
  async checkConsole(request: ConsoleRequest) {
    const { portalUrlProblem } = await import("./portal.ts");
    const problem = portalUrlProblem(request.destination);
    if (problem) {
      throw new UsageError(`invalid --destination "${request.destination}"`, { hint: problem });
    }
  },
  async console(link: OutputLink, request: ConsoleRequest) {
    const { portalUrl } = await import("./portal.ts");
    return portalUrl(azureSettings(link), request.destination);
  },
};
