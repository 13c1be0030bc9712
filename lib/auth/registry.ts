/**
 * The kinds registry: the one table that maps `kind:` strings to implementations. Adding a
 * kind is one file plus one line here.
 *
 * @module
 */
import type { IdentityKind, ProviderKind } from "./kind.ts";
import { githubOidc } from "./providers/github_oidc.ts";
import { awsIamIdentityCenter } from "./providers/aws_sso.ts";
import { awsUser } from "./identities/aws_user.ts";
import { awsAssumeRole } from "./identities/aws_assume_role.ts";
import { awsAmbient } from "./identities/aws_ambient.ts";
import { ambient } from "./identities/ambient.ts";
import { awsPermissionSet } from "./identities/aws_permission_set.ts";

/** Provider kinds by `kind:` value. */
export const PROVIDER_KINDS: ReadonlyMap<string, ProviderKind> = new Map(
  [githubOidc, awsIamIdentityCenter].map((k) => [k.kind, k]),
);

/** Identity kinds by `kind:` value. */
export const IDENTITY_KINDS: ReadonlyMap<string, IdentityKind> = new Map(
  [awsUser, awsAssumeRole, awsAmbient, ambient, awsPermissionSet].map((k) => [k.kind, k]),
);

/** The kind lists the structural validator needs. */
export function kindLists(): {
  providerKinds: string[];
  identityKinds: string[];
  standaloneIdentityKinds: string[];
} {
  return {
    providerKinds: [...PROVIDER_KINDS.keys()],
    identityKinds: [...IDENTITY_KINDS.keys()],
    standaloneIdentityKinds: [...IDENTITY_KINDS.values()].filter((k) => k.standalone).map((k) =>
      k.kind
    ),
  };
}
