/**
 * Configuration: `atmos.yaml` discovery and merge, YAML loading with tags and source
 * positions, the config types, `auth:` validation and name suggestions.
 *
 * @module
 */

export {
  CONFIG_FILE_NAMES,
  loadConfig,
  type LoadConfigOptions,
  type LoadedConfig,
  resolveFromBase,
} from "./load.ts";
export { isRecord, mergeCommands, mergeConfig } from "./merge.ts";
export { didYouMean, editDistance, suggest } from "./suggest.ts";
export {
  type AtmosConfig,
  type AuthConfig,
  type AuthLogsConfig,
  type EnvEntry,
  findIdentityName,
  findProviderName,
  type IdentityConfig,
  type KeyringConfig,
  type ProviderConfig,
} from "./types.ts";
export {
  AUTH_KEYS,
  IDENTITY_KEYS,
  KEYRING_TYPES,
  type KindTables,
  LOG_LEVELS,
  PROVIDER_KEYS,
  validateAuth,
  validateRealm,
} from "./validate_auth.ts";
export { type ConfigIssue, configIssue, type ConfigPath } from "./issue.ts";
export { globFiles, isGlob, listYamlFiles } from "./glob.ts";
export {
  displayPath,
  type EnvGetter,
  loadYamlFile,
  type LoadYamlOptions,
  parseYamlText,
  splitArgs,
  type YamlFile,
} from "./yaml.ts";
