/**
 * `atmos auth user configure [identity]`: stores an IAM user's long-lived keys in the
 * credential store (never in a file in the clear, never echoed). Reads from prompts on a
 * terminal, else from stdin lines: access key id, secret access key, optional MFA ARN.
 *
 * @module
 */
import { AtmosError, UsageError } from "../../errors.ts";
import type { CommandSpec } from "../command.ts";
import type { Runtime } from "../runtime.ts";
import { storeKey } from "../../store/key.ts";
import { parseDurationSeconds } from "../../auth/duration.ts";

const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;
const MFA_ARN = /^arn:aws[\w-]*:iam::\d{12}:mfa\/.+$/;

/** Builds the `auth user` command group. */
export function authUserCommand(rt: Runtime): CommandSpec {
  return {
    name: "user",
    summary: "Manage long-lived keys of aws/user identities",
    subcommands: [{
      name: "configure",
      summary: "Store an aws/user identity's access keys in the credential store",
      description:
        "Asks for the access key id, secret access key (hidden) and optional MFA device ARN on a terminal; otherwise reads them from stdin, one per line. Keys are stored in the credential store chosen by ATMOS_KEYRING_TYPE or auth.keyring.type (system keychain, encrypted file, or memory).",
      args: [{
        name: "identity",
        description: "aws/user identity to configure",
        complete: "identity",
      }],
      flags: [{
        name: "session-duration",
        type: "string",
        description: "default session length, e.g. 12h",
        valueName: "duration",
      }],
      async run(inv) {
        const manager = await rt.manager();
        manager.assertValid();
        const users = manager.identityNames().filter((n) =>
          manager.auth.identities![n].kind === "aws/user"
        );
        if (users.length === 0) {
          throw new AtmosError("no aws/user identities are configured", {
            exitCode: 2,
            hint: "add one under auth.identities with kind: aws/user",
          });
        }
        const given = (inv.args.identity as string | undefined) ??
          (inv.given.has("identity") ? String(inv.flags.identity) : undefined);
        let name: string;
        if (given) {
          name = manager.resolveIdentity(given);
          if (!users.includes(name)) {
            throw new AtmosError(`identity "${name}" is not an aws/user identity`, {
              exitCode: 2,
              hint: `aws/user identities: ${users.join(", ")}`,
            });
          }
        } else if (users.length === 1) {
          name = users[0];
        } else if (rt.interactive) {
          name = await rt.pick("Choose an aws/user identity:", users);
        } else {
          throw new UsageError("name the identity to configure", {
            hint: `aws/user identities: ${users.join(", ")}`,
          });
        }
        const duration = inv.flags["session-duration"] as string | undefined;
        if (duration !== undefined && parseDurationSeconds(duration) === undefined) {
          throw new UsageError(`invalid value "${duration}" for --session-duration`, {
            hint: "use a duration such as 12h",
          });
        }
        const keys = rt.interactive ? await ask(rt) : await readStdin();
        const store = await manager.store();
        if (store.kind === "noop") {
          throw new AtmosError("no credential store is available to keep the keys", {
            exitCode: 2,
            hint:
              "set ATMOS_KEYRING_TYPE=file and ATMOS_KEYRING_PASSWORD (8+ characters), or install a system keychain",
          });
        }
        const data: Record<string, string> = {
          access_key_id: keys.accessKeyId,
          secret_access_key: keys.secretAccessKey,
        };
        if (keys.mfaArn) data.mfa_arn = keys.mfaArn;
        if (duration) data.session_duration = duration;
        await store.set(storeKey(name, manager.realm), { type: "aws", data });
        rt.err(`✓ Saved the keys of "${name}" to the ${store.kind} credential store\n`);
        return 0;
      },
    }],
  };
}

interface Keys {
  accessKeyId: string;
  secretAccessKey: string;
  mfaArn?: string;
}

async function ask(rt: Runtime): Promise<Keys> {
  const accessKeyId = (await rt.prompter.text(
    "AWS access key id:",
    (v) => ACCESS_KEY_ID.test(v.trim()) ? undefined : "expected 16+ upper-case letters and digits",
  )).trim();
  const secretAccessKey = (await rt.prompter.secret("AWS secret access key:")).trim();
  const mfaArn = (await rt.prompter.text(
    "MFA device ARN (optional):",
    (v) =>
      v.trim() === "" || MFA_ARN.test(v.trim())
        ? undefined
        : "expected arn:aws:iam::<account>:mfa/<device>",
  )).trim();
  return check({ accessKeyId, secretAccessKey, mfaArn: mfaArn || undefined });
}

async function readStdin(): Promise<Keys> {
  const text = await new Response(Deno.stdin.readable).text();
  const [accessKeyId = "", secretAccessKey = "", mfaArn = ""] = text.split(/\r?\n/).map((l) =>
    l.trim()
  );
  return check({ accessKeyId, secretAccessKey, mfaArn: mfaArn || undefined });
}

function check(keys: Keys): Keys {
  if (!ACCESS_KEY_ID.test(keys.accessKeyId)) {
    throw new UsageError("the access key id is missing or malformed", {
      hint: "give the access key id on the first line of stdin, the secret on the second",
    });
  }
  if (keys.secretAccessKey.length < 16) {
    throw new UsageError("the secret access key is missing or too short", {
      hint: "give the secret access key on the second line of stdin",
    });
  }
  if (keys.mfaArn && !MFA_ARN.test(keys.mfaArn)) {
    throw new UsageError("the MFA device ARN is malformed", {
      hint: "expected arn:aws:iam::<account>:mfa/<device>",
    });
  }
  return keys;
}
