/**
 * The cloud-neutral auth core: the manager (identity → {@linkcode Session}), the kinds and
 * credential-output contracts every cloud implements, the kinds registry, identity selection
 * and the child environment. No module here names a cloud; clouds live in `lib/<cloud>/` and
 * their kinds under `providers/` and `identities/`.
 *
 * @module
 */

export { AuthManager, FRESHNESS_BUFFER_MS, type ManagerOptions } from "./manager.ts";
export type { Session } from "./session.ts";
export type {
  ChildEnv,
  ConsoleRequest,
  CredentialOutput,
  OutputContext,
  OutputLink,
  WhoamiFacts,
} from "./output.ts";
export type {
  AuthContext,
  IdentityKind,
  IssueFn,
  KindFields,
  LinkInfo,
  Progress,
  Prompter,
  ProviderKind,
} from "./kind.ts";
export {
  AMBIENT,
  type CredentialSet,
  isFresh,
  isOidcSet,
  type OidcCredentialSet,
  oidcCredentialSet,
} from "./credentials.ts";
export { childEnvironment, removedVariables, sessionVariables } from "./environment.ts";
export { type IdentityChoice, isDisabledValue, SELECT_SENTINEL, selectIdentity } from "./select.ts";
export { type IdentityFlag, identityFromFlag, type StepAuth, stepAuth } from "./step_auth.ts";
export { passthroughOutput } from "./passthrough_output.ts";
export { KindRegistry, registry } from "./registry/mod.ts";
export { type ChainLink, targetOf } from "./chain.ts";
export { RefusedInputError } from "./refused.ts";
export { LOGIN_LOCK_TIMEOUT_MS, loginLockPath } from "./single_flight.ts";
