/**
 * The contract between the cloud-neutral auth core and a cloud: a {@linkcode CredentialOutput}
 * is the only code that knows where a cloud's credentials live and which variables point
 * children at them. The manager calls it for every link of a chain; `auth env|exec|shell`,
 * `whoami`, `logout`, workflows and `terraform` only ever see a `Session`.
 *
 * A cloud implements this interface in `lib/<cloud>/` (type-only imports of this module; no
 * code of the core), and its identity kinds name their output. Files of one chain live in
 * `<config>/atmos/[<realm>/]<output>/<root>/` ({@linkcode OutputLink.dir}), so logging a root
 * out removes one directory per cloud without loading any cloud's code.
 *
 * @module
 */
import type { IdentityConfig, ProviderConfig } from "../config/types.ts";
import type { FileWriter } from "../fs/writer.ts";
import type { CredentialSet } from "./credentials.ts";
import type { EnvGetter } from "../env.ts";

export type { EnvGetter };

/** One identity link, as its cloud's output sees it. Plain data. */
export interface OutputLink {
  /** The identity's configured name (for AWS also the profile name). */
  readonly identity: string;
  readonly config: IdentityConfig;
  /** Every link before this one, nearest first (for region and endpoint lookups). */
  readonly upstream: readonly { name: string; config: ProviderConfig | IdentityConfig }[];
  /** `<config>/atmos/[<realm>/]<output name>/<root>`: this chain's directory for the output. */
  readonly dir: string;
  /** The region the identity kind exports, when it names one. */
  readonly region?: string;
  /**
   * The argv that runs this same atmos with the same configuration (for outputs that make
   * clients call back into atmos, e.g. AWS `credential_process`).
   */
  readonly atmosCommand?: readonly string[];
}

/** Changes to a child's environment: variables to set and variables to remove. */
export interface ChildEnv {
  readonly set: Readonly<Record<string, string>>;
  readonly unset: readonly string[];
}

/** What `auth whoami` shows beyond the session itself (never a secret). */
export interface WhoamiFacts {
  /** Who the credentials belong to (an ARN, a service-account e-mail, a user principal). */
  principal?: string;
  /** Further facts by name, e.g. `{ account: "123456789012" }`. */
  details: Record<string, string>;
}

/** Options of `auth console`. */
export interface ConsoleRequest {
  /** `--destination`: a service alias or a URL, as the user wrote it. */
  destination?: string;
  /** Console session length in seconds, when asked for. */
  durationSeconds?: number;
  /** The length as the user wrote it (`--duration` or the provider's setting), for messages. */
  duration?: string;
  /** Issuer shown by the console's sign-out page. */
  issuer: string;
}

/** What an output may use beyond the link (network calls of whoami and console). */
export interface OutputContext {
  env: EnvGetter;
  debug(message: string): void;
  /** Prints one line for the user on stderr (e.g. a damaged file moved aside). */
  notice?(text: string): void;
}

/** How one cloud's credentials reach child processes. */
export interface CredentialOutput {
  /** The output's name and directory segment, e.g. `aws`, `gcp`, `azure`. */
  readonly name: string;
  /**
   * True when links are written to files that later runs read back: the 5-minute rule and the
   * resume point apply. False for outputs that pass the environment through.
   */
  readonly persistent: boolean;
  /**
   * True when children of this output must not see any other credentials: every registered
   * cloud's credential variables are removed before this output's pointers are set.
   */
  readonly isolates: boolean;
  /** The link's files by label, the most useful first (e.g. `{credentials, config}`). */
  files(link: OutputLink): Record<string, string>;
  /**
   * Writes a link's credentials (through the sandboxed writer, atomically, under a lock). Files
   * that are damaged (would not parse for the cloud's clients) are moved aside and written anew,
   * said through `ctx.notice`.
   */
  write(
    writer: FileWriter,
    link: OutputLink,
    creds: CredentialSet,
    ctx?: OutputContext,
  ): Promise<void>;
  /**
   * The link's credentials as last written, with no network call, or `undefined` when missing,
   * unreadable or damaged (a file the cloud's clients could not parse, a section with a field
   * missing or cut short): a damaged cache is a miss, never "still valid". Expired credentials
   * are returned as they are: the caller decides.
   */
  readCached(link: OutputLink): CredentialSet | undefined;
  /**
   * Removes the link's credentials and returns what was removed; without a writer (a dry run)
   * only returns what would be removed.
   */
  remove(link: OutputLink, writer?: FileWriter): Promise<string[]>;
  /** The pointers a child gets for the link (never a secret) and variables to remove. */
  env(link: OutputLink): ChildEnv;
  /** Long-lived secret values an identity's configuration holds (scrubbed from children). */
  secretsIn?(config: IdentityConfig): string[];
  /** Who the link's current credentials belong to (may call the cloud). */
  whoami?(link: OutputLink, ctx: OutputContext): Promise<WhoamiFacts>;
  /** What `console` opens, for messages (e.g. `AWS console`). */
  readonly consoleName?: string;
  /** Refuses a console request this output cannot serve (bad destination), before any login. */
  checkConsole?(request: ConsoleRequest): Promise<void>;
  /**
   * What `atmos auth credential-process` prints for the link's credentials: the protocol
   * output a client reads from the process it started (AWS: the `credential_process` JSON).
   * This is the one place a secret is written to a stream, to the client that asked for it.
   */
  credentialProcess?(creds: CredentialSet): string;
  /** A console sign-in URL for the link's credentials (a secret: never logged). */
  console?(link: OutputLink, request: ConsoleRequest, ctx: OutputContext): Promise<string>;
}
