/**
 * AWS: the credential files (the AWS `CredentialOutput`), the INI codec, credential sets, the
 * STS and IAM Identity Center clients, console federation and the variables that carry AWS
 * credentials.
 *
 * @module
 */

export * from "./ambient_output.ts";
export * from "./checksum.ts";
export * from "./credential_set.ts";
export * from "./endpoints.ts";
export * from "./federation.ts";
export * from "./files.ts";
export * from "./files_write.ts";
export * from "./ini.ts";
export * from "./ini_botocore.ts";
export * from "./link.ts";
export * from "./output.ts";
export * from "./refusal.ts";
export * from "./settings_check.ts";
export * from "./sso.ts";
export * from "./sso_cache.ts";
export * from "./sso_discovery.ts";
export * from "./sts.ts";
export * from "./types.ts";
export * from "./variables.ts";
