/**
 * The AWS environment variables that carry credentials or select where an AWS client gets
 * them. Every authenticated child (of any cloud) has all of them removed before its own
 * pointers are set, so a variable left in the parent can never make a child act as another
 * identity. Kept tiny and import-free: the child-environment code loads it on every run.
 *
 * Read from the SDKs' credential chains (researched for atmos; names only, no code):
 * - botocore `botocore/credentials.py`: `EnvProvider` (`AWS_ACCESS_KEY_ID`,
 *   `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_SECURITY_TOKEN`,
 *   `AWS_CREDENTIAL_EXPIRATION`), `AssumeRoleWithWebIdentityProvider`
 *   (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`),
 *   `ContainerProvider` (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`,
 *   `AWS_CONTAINER_CREDENTIALS_FULL_URI`, `AWS_CONTAINER_AUTHORIZATION_TOKEN`,
 *   `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`); `botocore/session.py` session variables
 *   (`profile` ← `AWS_DEFAULT_PROFILE` then `AWS_PROFILE` — botocore 1.29, Debian's, reads
 *   `AWS_DEFAULT_PROFILE` first; `credentials_file` ← `AWS_SHARED_CREDENTIALS_FILE`,
 *   `config_file` ← `AWS_CONFIG_FILE`).
 * - aws-sdk-go-v2 `config/env_config.go`: the same names plus the aliases `AWS_ACCESS_KEY` and
 *   `AWS_SECRET_KEY` (also read by aws-sdk-go v1, i.e. older Terraform providers and backends).
 * - aws-sdk-js-v3 `@aws-sdk/credential-provider-env` (`AWS_CREDENTIAL_SCOPE`,
 *   `AWS_CREDENTIAL_EXPIRATION`, `AWS_ACCOUNT_ID` — the account the env keys belong to),
 *   `@aws-sdk/credential-provider-http` and `-web-identity` (container and web-identity names
 *   above).
 * - AWS CLI v2 `awscli/botocore` (as botocore) and the Java SDK v2
 *   `SdkSystemSetting` (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
 *   `AWS_PROFILE`, container and web-identity names; alias `AWS_SECRET_KEY`).
 *
 * Variables that only locate the instance-metadata service (`AWS_EC2_METADATA_SERVICE_ENDPOINT`
 * and friends) are removed too: atmos sets `AWS_EC2_METADATA_DISABLED=true` for its children,
 * and a metadata endpoint is a credential source.
 *
 * @module
 */

/** Every AWS variable that carries credentials or chooses their source. */
export const CREDENTIAL_VARIABLES: readonly string[] = [
  // Keys themselves (raw secrets).
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "AWS_ACCESS_KEY",
  "AWS_SECRET_KEY",
  "AWS_CREDENTIAL_EXPIRATION",
  "AWS_CREDENTIAL_SCOPE",
  "AWS_ACCOUNT_ID",
  // Web identity (a token file and the role it assumes).
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN",
  "AWS_ROLE_SESSION_NAME",
  // Container credential endpoints (ECS, EKS Pod Identity).
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
  // Instance metadata endpoints.
  "AWS_EC2_METADATA_SERVICE_ENDPOINT",
  "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
  // Profile selection and the files profiles are read from.
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_CONFIG_FILE",
];
