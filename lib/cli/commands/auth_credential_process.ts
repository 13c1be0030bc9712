/**
 * `atmos auth credential-process -i <identity>`: what an AWS SDK runs for a profile with
 * `credential_process` (identities with `session: {refresh: process}`). Prints the session as
 * the SDKs' `credential_process` JSON (Version 1, with `Expiration`) from the cache, renewing it
 * first under the chain's lock when it has 5 minutes or less left, so a long-running client asks
 * again near expiry and keeps working. Never prompts: when a link needs a person, one line on
 * stderr names the command to run on a terminal, and the exit code is 3.
 *
 * SDKs may call it before every request, so the line atmos writes also names the chain's cache
 * directory (`--cache-dir`): a session with more than 5 minutes left is then read and printed
 * without loading the configuration, the manager or any kind — the same files a child of `auth
 * exec` reads. Anything else (no fresh session, a directory outside atmos's own) takes the full
 * path.
 *
 * @module
 */
import { EXIT_NEEDS_PERSON, needsPerson, UsageError } from "../../errors.ts";
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";

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
    flags: [{
      name: "cache-dir",
      type: "string",
      description:
        "the identity's credential directory under the atmos config dir, to answer from without loading the configuration (atmos writes it)",
      valueName: "dir",
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
      const cacheDir = inv.flags["cache-dir"] as string | undefined;
      const cached = cacheDir ? await fromCache(rt, named, cacheDir) : undefined;
      if (cached) {
        await rt.sealWrites();
        rt.out(`${cached}\n`);
        return 0;
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
        return EXIT_NEEDS_PERSON;
      }
      await rt.sealWrites();
      rt.out(`${json}\n`);
      return 0;
    },
  };
}

/**
 * The protocol output for `identity` from a fresh session in `dir`, with nothing but the output
 * loaded; `undefined` when `dir` is not a chain directory of atmos's own
 * (`<config>/atmos/[<realm>/]<output>/<root>`) or holds no fresh session.
 */
async function fromCache(rt: Runtime, identity: string, dir: string): Promise<string | undefined> {
  const prefix = `${rt.configDir}/`;
  if (!dir.startsWith(prefix)) return undefined;
  const parts = dir.slice(prefix.length).split("/");
  if (parts.length < 2 || parts.some((p) => p === "" || p === "." || p === "..")) return undefined;
  const [{ registry }, { FRESHNESS_BUFFER_MS, isFresh }] = await Promise.all([
    import("../../auth/registry/table.ts"),
    import("../../auth/credentials.ts"),
  ]);
  const output = await registry.output(parts[parts.length - 2]);
  if (!output?.credentialProcess) return undefined;
  // The link as written for an identity in process mode (only its name and directory matter).
  const creds = output.readCached({
    identity,
    dir,
    config: { kind: "", session: { refresh: "process" } },
    upstream: [],
  });
  if (!creds || !isFresh(creds, Date.now(), FRESHNESS_BUFFER_MS)) return undefined;
  return output.credentialProcess(creds);
}
