/**
 * The Azure environment variables that carry credentials or select where an Azure client gets
 * them (or for which tenant, subscription or cloud). Every authenticated child (of any cloud)
 * has all of them removed before its own pointers are set, so a variable left in the parent can
 * never make a child act as another identity. Kept tiny and import-free: the child-environment
 * code loads it on every run.
 *
 * Read from the clients' credential chains (researched for atmos; names only, no code):
 * - `@azure/identity` 4.13.1 (`dist/commonjs/credentials/*.js`): `EnvironmentCredential`
 *   (`AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`,
 *   `AZURE_CLIENT_CERTIFICATE_PATH`, `AZURE_CLIENT_CERTIFICATE_PASSWORD`,
 *   `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN`, `AZURE_USERNAME`, `AZURE_PASSWORD`,
 *   `AZURE_ADDITIONALLY_ALLOWED_TENANTS`), `WorkloadIdentityCredential`
 *   (`AZURE_FEDERATED_TOKEN_FILE`), `DefaultAzureCredential` (`AZURE_TOKEN_CREDENTIALS` pins the
 *   chain); managed identity through `@azure/msal-node` (`IDENTITY_ENDPOINT`, `IDENTITY_HEADER`,
 *   `IDENTITY_SERVER_THUMBPRINT`, `IMDS_ENDPOINT`, `MSI_ENDPOINT`, `MSI_SECRET`,
 *   `AZURE_POD_IDENTITY_AUTHORITY_HOST`). The Go (`azidentity`) and Python (`azure-identity`)
 *   libraries read the same names.
 * - Azure CLI 2.45 (`azure/cli/core`, `knack/config.py`): `AZURE_CONFIG_DIR`; every `[section]
 *   option` of its `config` file can be set as `AZURE_<SECTION>_<OPTION>`, so `AZURE_CLOUD_NAME`
 *   overrides the cloud the isolated dir selects and `AZURE_STORAGE_KEY`,
 *   `AZURE_STORAGE_CONNECTION_STRING`, `AZURE_STORAGE_SAS_TOKEN` carry storage keys for `az
 *   storage`; `ARM_CLOUD_METADATA_URL` (`cloud.py`) replaces every cloud's endpoints;
 *   `AZURE_DEVOPS_EXT_PAT` is the `az devops` token.
 * - Terraform azurerm/azuread/azapi and the azurerm backend (`internal/provider/framework/
 *   config.go`, `internal/backend/remote-state/azure`): `ARM_CLIENT_ID[_FILE_PATH]`,
 *   `ARM_CLIENT_SECRET[_FILE_PATH]`, `ARM_CLIENT_CERTIFICATE[_PATH|_PASSWORD]`, `ARM_TENANT_ID`,
 *   `ARM_AUXILIARY_TENANT_IDS`, `ARM_SUBSCRIPTION_ID`, `ARM_ENVIRONMENT`, `ARM_METADATA_HOSTNAME`,
 *   `ARM_USE_CLI`, `ARM_USE_MSI`, `ARM_MSI_ENDPOINT`, `ARM_USE_OIDC`, `ARM_OIDC_TOKEN`,
 *   `ARM_OIDC_TOKEN_FILE_PATH`, `ARM_OIDC_REQUEST_URL`, `ARM_OIDC_REQUEST_TOKEN`,
 *   `ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID`, `ARM_OIDC_AZURE_SERVICE_CONNECTION_ID`,
 *   `ARM_USE_AKS_WORKLOAD_IDENTITY`, `ARM_USE_AZUREAD`, `ARM_STORAGE_USE_AZUREAD`,
 *   `ARM_ACCESS_KEY`, `ARM_SAS_TOKEN`.
 * - go-autorest (older Terraform providers): `AZURE_ENVIRONMENT`.
 *
 * Left alone on purpose: `AZURE_AUTHORITY_HOST` (it names the Entra endpoint, not a credential,
 * and children receive it unchanged so they follow the same authority atmos used), the CI
 * runner's own token endpoints (`ACTIONS_ID_TOKEN_REQUEST_URL`/`_TOKEN`,
 * `SYSTEM_OIDCREQUESTURI`/`SYSTEM_ACCESSTOKEN`: the runner put them there, not the user), and
 * location variables (not credentials; Azure children get the identity's own).
 *
 * @module
 */

/** Every Azure variable that carries credentials or chooses their source, tenant or cloud. */
export const CREDENTIAL_VARIABLES: readonly string[] = [
  // Azure SDKs: the identity and its secret (EnvironmentCredential, WorkloadIdentityCredential).
  "AZURE_CLIENT_ID",
  "AZURE_CLIENT_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PATH",
  "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  "AZURE_CLIENT_SEND_CERTIFICATE_CHAIN",
  "AZURE_USERNAME",
  "AZURE_PASSWORD",
  "AZURE_FEDERATED_TOKEN_FILE",
  "AZURE_TENANT_ID",
  "AZURE_ADDITIONALLY_ALLOWED_TENANTS",
  "AZURE_SUBSCRIPTION_ID",
  "AZURE_TOKEN_CREDENTIALS",
  "AZURE_ENVIRONMENT",
  // Managed identity endpoints (App Service, Functions, Arc, pod identity, IMDS).
  "IDENTITY_ENDPOINT",
  "IDENTITY_HEADER",
  "IDENTITY_SERVER_THUMBPRINT",
  "IMDS_ENDPOINT",
  "MSI_ENDPOINT",
  "MSI_SECRET",
  "AZURE_POD_IDENTITY_AUTHORITY_HOST",
  // The Azure CLI: its state directory, cloud selection and inline keys.
  "AZURE_CONFIG_DIR",
  "AZURE_CLOUD_NAME",
  "ARM_CLOUD_METADATA_URL",
  "AZURE_STORAGE_KEY",
  "AZURE_STORAGE_CONNECTION_STRING",
  "AZURE_STORAGE_SAS_TOKEN",
  "AZURE_DEVOPS_EXT_PAT",
  // Terraform (azurerm, azuread, azapi, the azurerm backend).
  "ARM_CLIENT_ID",
  "ARM_CLIENT_ID_FILE_PATH",
  "ARM_CLIENT_SECRET",
  "ARM_CLIENT_SECRET_FILE_PATH",
  "ARM_CLIENT_CERTIFICATE",
  "ARM_CLIENT_CERTIFICATE_PATH",
  "ARM_CLIENT_CERTIFICATE_PASSWORD",
  "ARM_TENANT_ID",
  "ARM_AUXILIARY_TENANT_IDS",
  "ARM_SUBSCRIPTION_ID",
  "ARM_ENVIRONMENT",
  "ARM_METADATA_HOSTNAME",
  "ARM_USE_CLI",
  "ARM_USE_MSI",
  "ARM_MSI_ENDPOINT",
  "ARM_USE_OIDC",
  "ARM_OIDC_TOKEN",
  "ARM_OIDC_TOKEN_FILE_PATH",
  "ARM_OIDC_REQUEST_URL",
  "ARM_OIDC_REQUEST_TOKEN",
  "ARM_ADO_PIPELINE_SERVICE_CONNECTION_ID",
  "ARM_OIDC_AZURE_SERVICE_CONNECTION_ID",
  "ARM_USE_AKS_WORKLOAD_IDENTITY",
  "ARM_USE_AZUREAD",
  "ARM_STORAGE_USE_AZUREAD",
  "ARM_ACCESS_KEY",
  "ARM_SAS_TOKEN",
];
