/**
 * The Google environment variables that carry credentials or select where a Google client gets
 * them. Every authenticated child (of any cloud) has all of them removed before its own pointers
 * are set, so a variable left in the parent can never make a child act as another identity (the
 * Terraform provider, for one, prefers `GOOGLE_CREDENTIALS`/`GOOGLE_OAUTH_ACCESS_TOKEN` over
 * ADC). Kept tiny and import-free: the child-environment code loads it on every run.
 *
 * Read from the clients' credential chains (researched for atmos; names only, no code):
 * - google-auth-library (Node) 10.9.1 `build/src/auth/googleauth.js`: ADC from
 *   `GOOGLE_APPLICATION_CREDENTIALS`, then `$CLOUDSDK_CONFIG/application_default_credentials.json`
 *   (`CLOUDSDK_CONFIG`), then the metadata server, located by `GCE_METADATA_HOST` /
 *   `GCE_METADATA_IP` (gcp-metadata 8.1.2); `pluggable-auth-client.js`:
 *   `GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES` switches executable credential sources on.
 * - Python google-auth (2.39, bundled in gcloud) `google/auth/environment_vars.py`:
 *   `GOOGLE_APPLICATION_CREDENTIALS`, `CLOUDSDK_CONFIG`, `GCE_METADATA_HOST`, the older
 *   `GCE_METADATA_ROOT`, `GCE_METADATA_IP`.
 * - golang.org/x/oauth2 `google/default.go` (`GOOGLE_APPLICATION_CREDENTIALS`, then the
 *   well-known file, then `cloud.google.com/go/compute/metadata` with `GCE_METADATA_HOST`).
 * - gcloud 528 `lib/googlecloudsdk/core/properties.py` (every property `s/p` is also
 *   `CLOUDSDK_<S>_<P>`): the config dir `CLOUDSDK_CONFIG` and configuration
 *   `CLOUDSDK_ACTIVE_CONFIG_NAME`; `auth/access_token_file`, `auth/credential_file_override`,
 *   `auth/authorization_token_file`, `auth/impersonate_service_account`,
 *   `auth/disable_credentials`; `core/account`.
 * - terraform-provider-google `google/transport/config.go` / `envvar` (credentials from
 *   `GOOGLE_CREDENTIALS` → `GOOGLE_CLOUD_KEYFILE_JSON` → `GCLOUD_KEYFILE_JSON`, a path or the
 *   JSON itself; `GOOGLE_OAUTH_ACCESS_TOKEN`, a raw token; `GOOGLE_IMPERSONATE_SERVICE_ACCOUNT`).
 * - Terraform's `gcs` backend `internal/backend/remote-state/gcs/backend.go`
 *   (`GOOGLE_BACKEND_CREDENTIALS`, `GOOGLE_BACKEND_IMPERSONATE_SERVICE_ACCOUNT`, and the
 *   provider's names above).
 * - google-github-actions/auth: `GOOGLE_GHA_CREDS_PATH` (the credentials file it generated,
 *   read by setup-gcloud).
 *
 * Project, region and zone variables select no credentials: the GCP output replaces them for
 * its own children only.
 *
 * @module
 */

/** Every Google variable that carries credentials or chooses their source. */
export const CREDENTIAL_VARIABLES: readonly string[] = [
  // Raw tokens, or a key file's contents (Terraform reads these as a path or as the JSON).
  "GOOGLE_OAUTH_ACCESS_TOKEN",
  "GOOGLE_CREDENTIALS",
  "GOOGLE_CLOUD_KEYFILE_JSON",
  "GCLOUD_KEYFILE_JSON",
  "GOOGLE_BACKEND_CREDENTIALS",
  // Pointers to credential files.
  "GOOGLE_APPLICATION_CREDENTIALS",
  "GOOGLE_GHA_CREDS_PATH",
  "CLOUDSDK_AUTH_ACCESS_TOKEN_FILE",
  "CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE",
  "CLOUDSDK_AUTH_AUTHORIZATION_TOKEN_FILE",
  // gcloud's config dir and configuration, and the account chosen in it.
  "CLOUDSDK_CONFIG",
  "CLOUDSDK_ACTIVE_CONFIG_NAME",
  "CLOUDSDK_CORE_ACCOUNT",
  "CLOUDSDK_AUTH_DISABLE_CREDENTIALS",
  // Impersonation layered on whatever credentials are found.
  "GOOGLE_IMPERSONATE_SERVICE_ACCOUNT",
  "GOOGLE_BACKEND_IMPERSONATE_SERVICE_ACCOUNT",
  "CLOUDSDK_AUTH_IMPERSONATE_SERVICE_ACCOUNT",
  // Executable credential sources, and the metadata server (a credential source of its own).
  "GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES",
  "GCE_METADATA_HOST",
  "GCE_METADATA_ROOT",
  "GCE_METADATA_IP",
];
