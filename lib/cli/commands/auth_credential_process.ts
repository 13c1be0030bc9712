/**
 * `atmos auth credential-process -i <identity>`: what an AWS SDK runs for a profile with
 * `credential_process` (identities with `session: {refresh: process}`). Prints the session as
 * the SDKs' `credential_process` JSON (Version 1, with `Expiration`) from the cache, renewing it
 * first under the chain's lock when it has 5 minutes or less left, so a long-running client asks
 * again near expiry and keeps working. Never prompts: when a link needs a person, one line on
 * stderr names the command to run on a terminal, and the exit code is 3.
 *
 * @module
 */
import { needsPerson, UsageError } from "../../errors.ts";
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { NEEDS_PERSON_EXIT } from "../background_renewal.ts";

/** Builds the `auth credential-process` command. */
export function authCredentialProcessCommand(rt: Runtime): CommandSpec {
  return {
    name: "credential-process",
    summary: "Print an identity's session for an AWS SDK's credential_process",
    description:
      "Prints the identity's session as the credential_process JSON AWS SDKs read (Version 1, Expiration included), renewing it first when 5 minutes or less are left. atmos writes the credential_process line itself for identities with session.refresh: process. Never prompts; exits 3 when a person must act.",
    args: [{
      name: "identity",
      description: "identity (same as --identity)",
      complete: "identity",
    }],
    examples: ["atmos auth credential-process -i prod-admin"],
    async run(inv) {
      const named = (inv.args.identity as string | undefined) ??
        (inv.given.has("identity") ? String(inv.flags.identity ?? "") : undefined);
      if (!named) {
        throw new UsageError("credential-process needs an identity", {
          hint: "atmos auth credential-process -i <identity>",
        });
      }
      const manager = await rt.manager();
      manager.assertValid();
      const identity = manager.resolveIdentity(named);
      let json: string;
      try {
        json = await manager.credentialProcess(identity);
      } catch (error) {
        if (!needsPerson(error)) throw error;
        rt.err(
          `atmos: the session of "${identity}" needs you (${error.message}); run "atmos auth login ${identity}" on a terminal\n`,
        );
        return NEEDS_PERSON_EXIT;
      }
      await rt.sealWrites();
      rt.out(`${json}\n`);
      return 0;
    },
  };
}
