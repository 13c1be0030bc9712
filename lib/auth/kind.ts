/**
 * The interfaces a provider or identity kind implements. A new kind is one file under
 * `providers/` or `identities/` plus one line in `registry/table.ts`; an identity kind names
 * the {@linkcode CredentialOutput} of its cloud. The manager, the session and the commands never
 * change for a new kind or a new cloud.
 *
 * @module
 */
import type { ConfigError } from "../errors.ts";
import type { IdentityConfig, ProviderConfig } from "../config/types.ts";
import type { CredentialStore } from "../store/types.ts";
import type { FileWriter } from "../fs/writer.ts";
import type { CredentialSet } from "./credentials.ts";
import type { FieldTable } from "../config/fields.ts";
import type { CredentialOutput, EnvGetter } from "./output.ts";

export type { EnvGetter };

/** Builds a located configuration error for a path below the link's own config node. */
export type IssueFn = (subPath: (string | number)[], message: string, hint?: string) => ConfigError;

/** Interactive helpers; they throw when the session is not interactive. */
export interface Prompter {
  /** Hidden input (no echo). */
  secret(message: string): Promise<string>;
  /** Visible one-line input, re-asked until `validate` returns undefined. */
  text(message: string, validate?: (value: string) => string | undefined): Promise<string>;
}

/** A status line shown on stderr during a long wait (a spinner on a terminal). */
export interface Progress {
  /** Replaces the message. */
  update(message: string): void;
  /** Removes the status line (safe to call twice). */
  stop(): void;
}

/** What a kind may use while authenticating. */
export interface AuthContext {
  env: EnvGetter;
  /** Milliseconds since the epoch (injectable for tests). */
  now(): number;
  /** True when prompts may be shown. */
  interactive: boolean;
  /**
   * True when renewing in the background while a child owns the terminal: never prompt or
   * show a sign-in, whatever `ATMOS_FORCE_TTY` says; throw an error with `needsPerson` instead.
   */
  background?: boolean;
  prompter: Prompter;
  /** MFA code given by `--mfa-token` or `ATMOS_MFA_TOKEN`. */
  mfaToken?: string;
  /** The credential store for long-lived secrets, opened on first use. */
  store(): Promise<CredentialStore>;
  /** Realm, empty when none. */
  realm: string;
  /** Debug log (never pass secrets). */
  debug(message: string): void;
  /** `<config>/atmos`: kinds keep their own caches below it, written through `writer`. */
  configDir: string;
  /** The sandboxed writer (opened on first use). */
  writer(): Promise<FileWriter>;
  /** False when no browser may be opened (`--no-browser`, CI). */
  browser: boolean;
  /** Prints a line for the user on stderr (never pass secrets). */
  notice(text: string): void;
  /** Shows a status line on stderr until it is stopped. */
  progress(message: string): Progress;
}

/** One link of a chain as the kinds see it. */
export interface LinkInfo<C> {
  /** Configured name of the provider or identity. */
  name: string;
  config: C;
  /** The configuration of every link before this one, nearest first (for region/endpoint lookups). */
  upstream: Array<{ name: string; config: ProviderConfig | IdentityConfig }>;
}

/**
 * The fields a kind reads from its closed sections. Validation reports unknown keys (with a
 * near-name suggestion) and wrong types from these tables, located, before the kind's own
 * `validate` runs (which then sees only well-typed values); the JSON Schema is built from them.
 * A section a kind does not list takes no fields.
 */
export interface KindFields {
  readonly spec?: FieldTable;
  readonly principal?: FieldTable;
  readonly credentials?: FieldTable;
}

/** A provider kind (where the first credentials come from). */
export interface ProviderKind {
  readonly kind: string;
  /** The kind's `spec` fields. */
  readonly fields: Pick<KindFields, "spec">;
  /** Ambient providers are never cached (their output is re-fetched each time). */
  readonly ambient?: boolean;
  /** Kind-specific configuration checks. */
  validate(config: ProviderConfig, issue: IssueFn): ConfigError[];
  /** Secret values the provider's configuration holds (scrubbed from isolated children). */
  secretsIn?(config: ProviderConfig): string[];
  authenticate(link: LinkInfo<ProviderConfig>, ctx: AuthContext): Promise<CredentialSet>;
  /**
   * Removes the provider's own caches (e.g. a login token, discovered identities) and ends its
   * remote session when it has one. Returns what was (with `dryRun`: would be) removed.
   */
  logout?(
    link: LinkInfo<ProviderConfig>,
    ctx: AuthContext,
    options: { dryRun: boolean },
  ): Promise<string[]>;
  /**
   * Identities the provider discovered on an earlier login, read from its cache below
   * `configDir` without any network call. User-defined identities of the same name win.
   */
  provisionedIdentities?(
    link: LinkInfo<ProviderConfig>,
    configDir: string,
  ): Record<string, IdentityConfig>;
}

/** An identity kind (who you become). */
export interface IdentityKind {
  readonly kind: string;
  /** How this identity's credentials reach children (its cloud's output). */
  readonly output: CredentialOutput;
  /** The kind's `spec`, `principal` and `credentials` fields. */
  readonly fields: KindFields;
  /** Ambient identities are never cached. */
  readonly ambient?: boolean;
  validate(config: IdentityConfig, issue: IssueFn): ConfigError[];
  /**
   * Produces this link's credentials from the previous link's (`null` for a standalone root).
   */
  authenticate(
    input: CredentialSet | null,
    link: LinkInfo<IdentityConfig>,
    ctx: AuthContext,
  ): Promise<CredentialSet>;
  /** Region exported to children, if the kind knows one. */
  region?(link: LinkInfo<IdentityConfig>): string | undefined;
}
