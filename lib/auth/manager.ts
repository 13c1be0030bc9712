/**
 * The auth manager: turns an identity name into a {@linkcode Session}.
 *
 * Algorithm (documented in the README):
 * 1. Validate the whole `auth:` section and build the chain `[root, …, target]` — no network
 *    call happens for a bad configuration.
 * 2. Walk from the target back to the root and find the nearest link whose credentials are
 *    cached in its credentials-file section with more than 5 minutes left. A fresh target means
 *    zero network calls. Chains rooted at an ambient provider or identity (GitHub OIDC,
 *    aws/ambient) are never resumed from files, so another job on a shared runner cannot
 *    replay them.
 * 3. Re-run only the links after that point, each fed the previous link's credentials, and write
 *    every AWS link's session to `<config>/atmos/[<realm>/]aws/<root>/{credentials,config}` (its
 *    own section), so the next run can resume there.
 *
 * Providers keep any cache of their own behind `authenticate` (an IAM Identity Center token,
 * shared across processes under a lock), remove it in `logout`, and may contribute identities
 * they discovered earlier (`provisionedIdentities`); the manager treats every kind alike.
 *
 * @module
 */
import { AtmosError, ConfigError } from "../errors.ts";
import type { AuthConfig, IdentityConfig, ProviderConfig } from "../config/types.ts";
import { findIdentityName } from "../config/types.ts";
import { didYouMean } from "../config/suggest.ts";
import type { LoadedConfig } from "../config/load.ts";
import { configIssue, validateAuth, validateRealm } from "../config/validate_auth.ts";
import type { FileWriter } from "../fs/writer.ts";
import {
  type AwsFilePaths,
  awsFilePaths,
  readAwsCredentials,
  removeAwsProfile,
  writeAwsCredentials,
} from "../aws/files.ts";
import type { CredentialStore } from "../store/types.ts";
import { buildChain, type ChainLink } from "./chain.ts";
import { awsCredentialSet, type CredentialSet, expirationOf, isFresh } from "./credentials.ts";
import type {
  AuthContext,
  EnvGetter,
  IdentityKind,
  LinkInfo,
  Progress,
  Prompter,
  ProviderKind,
} from "./kind.ts";
import { findIdentityKind, findProviderKind, kindLists } from "./registry.ts";
import type { Session } from "./session.ts";

/** Cached credentials need more than this much life left to be reused. */
export const FRESHNESS_BUFFER_MS = 5 * 60 * 1000;

/** Everything the manager needs from the command layer. */
export interface ManagerOptions {
  loaded: LoadedConfig;
  env: EnvGetter;
  /** `<config>/atmos`. */
  configDir: string;
  interactive: boolean;
  prompter: Prompter;
  mfaToken?: string;
  /** Opens the writer on first use (authenticating and logging out write files). */
  writer?: () => Promise<FileWriter>;
  openStore(): Promise<CredentialStore>;
  now?: () => number;
  debug?: (message: string) => void;
  /** False when no browser may be opened (`--no-browser`, CI); default true. */
  browser?: boolean;
  /** Prints a line for the user on stderr (default: nothing). */
  notice?: (text: string) => void;
  /** Shows a status line on stderr (default: nothing). */
  progress?: (message: string) => Progress;
}

/** Resolves identities to sessions, with the on-disk cache. */
export class AuthManager {
  readonly realm: string;
  readonly #options: ManagerOptions;
  readonly #sessions = new Map<string, Session>();
  #store?: Promise<CredentialStore>;
  #errors?: ConfigError[];
  #auth?: AuthConfig;

  constructor(options: ManagerOptions) {
    this.#options = options;
    this.realm = resolveRealm(options);
  }

  /**
   * The merged `auth:` section, plus the identities providers discovered on earlier logins
   * (`auto_provision_identities`); identities written in the configuration win.
   */
  get auth(): AuthConfig {
    this.#auth ??= withProvisioned(
      this.#options.loaded.config.auth ?? {},
      this.#options.configDir,
      (message) => this.#debug(message),
    );
    return this.#auth;
  }

  /** The loaded configuration as validation sees it (with provisioned identities). */
  #loaded(): LoadedConfig {
    const loaded = this.#options.loaded;
    const auth = this.auth;
    const own = Object.keys(loaded.config.auth?.identities ?? {}).length;
    if (Object.keys(auth.identities ?? {}).length === own) return loaded;
    return { ...loaded, config: { ...loaded.config, auth } };
  }

  /** True when the configuration defines any provider or identity. */
  get configured(): boolean {
    return Object.keys(this.auth.identities ?? {}).length > 0 ||
      Object.keys(this.auth.providers ?? {}).length > 0;
  }

  /** Identity names as written, sorted. */
  identityNames(): string[] {
    return Object.keys(this.auth.identities ?? {}).sort();
  }

  /** Every configuration problem, in file and line order: structural, then kind-specific. */
  validate(): ConfigError[] {
    this.#errors ??= sortByLocation(this.#collectErrors());
    return this.#errors;
  }

  #collectErrors(): ConfigError[] {
    const loaded = this.#loaded();
    const errors = [...validateAuth(loaded, kindLists())];
    // Entries with structural problems are not checked further; a problem with the shape of
    // the section itself stops here.
    const broken = new Set<string>();
    for (const error of errors) {
      const match = /^auth\.(identities|providers)\.([^.]+)/.exec(error.location?.path ?? "");
      if (!match) return errors;
      broken.add(`${match[1]}.${match[2]}`);
    }
    const auth = this.auth;
    for (const [name, config] of Object.entries(auth.providers ?? {})) {
      const kind = findProviderKind(config.kind);
      if (!kind || broken.has(`providers.${name}`)) continue;
      errors.push(
        ...kind.validate(
          config,
          (sub, message, hint) =>
            configIssue(loaded, ["auth", "providers", name, ...sub], message, hint),
        ),
      );
    }
    for (const [name, config] of Object.entries(auth.identities ?? {})) {
      const kind = findIdentityKind(config.kind);
      if (!kind || broken.has(`identities.${name}`)) continue;
      errors.push(
        ...kind.validate(
          config,
          (sub, message, hint) =>
            configIssue(loaded, ["auth", "identities", name, ...sub], message, hint),
        ),
      );
    }
    return dedupe(errors);
  }

  /**
   * Throws the first configuration problem that matters: with an identity, problems of the
   * `auth:` section as a whole and of that identity's chain (a broken, unrelated identity does
   * not block the others); without one, only problems of the section as a whole.
   */
  assertValid(identity?: string): void {
    const scope = identity === undefined ? new Set<string>() : this.#chainPaths(identity);
    const errors = this.validate().filter((error) => {
      const path = error.location?.path ?? "";
      const match = /^auth\.(identities|providers)\.([^.]+)/.exec(path);
      return !match || scope.has(`${match[1]}.${match[2]}`);
    });
    if (errors.length > 0) {
      const first = errors[0];
      throw errors.length === 1 ? first : new ConfigError(first.message, {
        location: first.location,
        hint: [first.hint, `${errors.length - 1} more problem(s): run "atmos auth validate"`]
          .filter(Boolean).join("; "),
      });
    }
  }

  /** `identities.<name>` / `providers.<name>` keys along an identity's `via` links (cycle-safe). */
  #chainPaths(identity: string): Set<string> {
    const paths = new Set<string>();
    const identities = this.auth.identities ?? {};
    let name: string | undefined = findIdentityName(this.auth, identity) ?? identity;
    while (name !== undefined && !paths.has(`identities.${name}`)) {
      paths.add(`identities.${name}`);
      const via: IdentityConfig["via"] = identities[name]?.via;
      if (via?.provider !== undefined) paths.add(`providers.${via.provider}`);
      name = typeof via?.identity === "string" ? via.identity : undefined;
    }
    return paths;
  }

  /**
   * Resolves a name given by the user to the configured identity name (exact, then
   * case-insensitive).
   *
   * @throws {AtmosError} exit code 2 with a near-name suggestion.
   */
  resolveIdentity(name: string): string {
    const found = findIdentityName(this.auth, name);
    if (found) return found;
    const names = this.identityNames();
    throw new AtmosError(`unknown identity "${name}"${didYouMean(name, names)}`, {
      exitCode: 2,
      hint: names.length > 0
        ? `configured identities: ${names.join(", ")}; run "atmos auth list"`
        : "no identities are configured under auth.identities in atmos.yaml",
    });
  }

  /** The chain `[root, …, target]` for an identity. */
  chain(identity: string): ChainLink[] {
    const loaded = this.#options.loaded;
    return buildChain(
      this.auth,
      identity,
      (path, message, hint) => configIssue(loaded, path, message, hint),
    );
  }

  /** Directory name of the chain's files (root provider, or `aws-user` for IAM users). */
  rootName(chain: ChainLink[]): string {
    const root = chain[0];
    if (root.role === "identity") {
      return findIdentityKind(root.config.kind)?.rootDirName?.(root.name) ?? root.name;
    }
    return root.name;
  }

  /** The credential/config file pair of a chain. */
  filePaths(chain: ChainLink[]): AwsFilePaths {
    return awsFilePaths(this.#options.configDir, this.rootName(chain), this.realm || undefined);
  }

  /**
   * The session for an identity from the cache alone (no network), or `undefined` when the
   * target's cached credentials are missing or within 5 minutes of expiry.
   */
  cachedSession(identity: string): Session | undefined {
    this.assertValid(identity);
    const name = this.resolveIdentity(identity);
    const known = this.#sessions.get(name);
    if (known && this.#fresh(known.expiration)) return known;
    const chain = this.chain(name);
    const target = chain[chain.length - 1] as Extract<ChainLink, { role: "identity" }>;
    const kind = identityKind(target);
    if (kind.output !== "aws-files") return this.#sessionFor(chain, undefined, "ambient");
    if (this.#ambientRoot(chain)) return undefined;
    const creds = this.#readCached(chain, chain.length - 1);
    if (!creds) return undefined;
    return this.#remember(this.#sessionFor(chain, creds, "cache"));
  }

  /**
   * The session as it is or would be after login, without any network call: the cached one
   * when fresh, else the same file pointers with no expiry (for `auth env` without `--login`).
   */
  plannedSession(identity: string): Session {
    const cached = this.cachedSession(identity);
    if (cached) return cached;
    return this.#sessionFor(this.chain(this.resolveIdentity(identity)), undefined, "planned");
  }

  /** The session for an identity: cached when fresh, else authenticated. */
  async session(identity: string, options: { force?: boolean } = {}): Promise<Session> {
    if (!options.force) {
      const cached = this.cachedSession(identity);
      if (cached) return cached;
    }
    return await this.authenticate(identity, options);
  }

  /**
   * Authenticates an identity, resuming from the nearest fresh cached link unless `force`.
   */
  async authenticate(identity: string, options: { force?: boolean } = {}): Promise<Session> {
    this.assertValid(identity);
    const name = this.resolveIdentity(identity);
    const chain = this.chain(name);
    const target = chain[chain.length - 1] as Extract<ChainLink, { role: "identity" }>;
    if (identityKind(target).output !== "aws-files") {
      return this.#sessionFor(chain, undefined, "ambient");
    }
    let start = 0;
    let input: CredentialSet | null = null;
    if (!options.force && !this.#ambientRoot(chain)) {
      for (let i = chain.length - 1; i >= 0; i--) {
        const cached = this.#readCached(chain, i);
        if (cached) {
          start = i + 1;
          input = cached;
          break;
        }
      }
      if (start === chain.length && input) {
        return this.#remember(this.#sessionFor(chain, input, "cache"));
      }
    }
    // Open the sandboxed writer (which revokes write in this thread) before any network call.
    const writer = await this.#writer();
    const ctx = this.#context();
    for (let i = start; i < chain.length; i++) {
      const link = chain[i];
      const info = linkInfo(chain, i);
      this.#debug(`authenticating ${link.role} "${link.name}" (${link.config.kind})`);
      if (link.role === "provider") {
        const kind = findProviderKind(link.config.kind)!;
        input = await kind.authenticate(info as LinkInfo<ProviderConfig>, ctx);
      } else {
        const kind = identityKind(link);
        input = await kind.authenticate(input, info as LinkInfo<IdentityConfig>, ctx);
        if (kind.output === "aws-files" && input.type === "aws") {
          await writeAwsCredentials(writer, this.filePaths(chain), link.name, {
            ...input.aws,
            region: kind.region?.(info as LinkInfo<IdentityConfig>) ?? input.aws.region,
          });
        }
      }
    }
    if (!input) throw new AtmosError(`Identity "${name}" produced no credentials`);
    return this.#remember(this.#sessionFor(chain, input, "login"));
  }

  /**
   * Authenticates a provider alone (e.g. an IAM Identity Center login before any identity is
   * used, which also discovers identities with `auto_provision_identities`).
   *
   * @returns the expiry of the provider's credentials, when they have one.
   */
  async loginProvider(provider: string): Promise<Date | undefined> {
    this.assertValid();
    const name = this.resolveProvider(provider);
    const own = this.validate().find((e) =>
      e.location?.path?.startsWith(`auth.providers.${name}.`)
    );
    if (own) throw own;
    const config = this.auth.providers![name];
    await this.#writer();
    this.#debug(`authenticating provider "${name}" (${config.kind})`);
    const creds = await providerKind(config.kind).authenticate(
      { name, config, upstream: [] },
      this.#context(),
    );
    return expirationOf(creds);
  }

  /**
   * Resolves a provider name given by the user (exact, then case-insensitive).
   *
   * @throws {AtmosError} exit code 2 with a near-name suggestion.
   */
  resolveProvider(name: string): string {
    const providers = Object.keys(this.auth.providers ?? {});
    const found = providers.includes(name)
      ? name
      : providers.find((p) => p.toLowerCase() === name.toLowerCase());
    if (found) return found;
    throw new AtmosError(`unknown provider "${name}"${didYouMean(name, providers)}`, {
      exitCode: 2,
      hint: providers.length > 0
        ? `configured providers: ${providers.sort().join(", ")}`
        : "no providers are configured under auth.providers in atmos.yaml",
    });
  }

  /**
   * Removes an identity's sections from its chain's files.
   *
   * @returns the files that were (or, with `dryRun`, would be) changed.
   */
  async logoutIdentity(identity: string, options: { dryRun?: boolean } = {}): Promise<string[]> {
    const name = this.resolveIdentity(identity);
    const paths = this.filePaths(this.chain(name));
    const present = readCredentialsOrUndefined(paths, name);
    if (options.dryRun) return present ? [`${paths.credentials} [${name}]`] : [];
    const removed = await removeAwsProfile(await this.#writer(), paths, name);
    this.#sessions.delete(name);
    return removed ? [`${paths.credentials} [${name}]`] : [];
  }

  /**
   * Removes the whole file directory of a root provider (all identities rooted there) and,
   * when the root is a provider with caches of its own (an SSO token), those too.
   */
  async logoutRoot(root: string, options: { dryRun?: boolean } = {}): Promise<string[]> {
    const dryRun = options.dryRun ?? false;
    const removed: string[] = [];
    const config = this.auth.providers?.[root];
    const kind = config ? findProviderKind(config.kind) : undefined;
    if (config && kind?.logout) {
      if (!dryRun) await this.#writer();
      removed.push(
        ...await kind.logout({ name: root, config, upstream: [] }, this.#context(), {
          dryRun,
        }),
      );
    }
    const paths = awsFilePaths(this.#options.configDir, root, this.realm || undefined);
    const exists = await Deno.stat(paths.dir).then(() => true, () => false);
    if (exists) {
      if (!dryRun) await (await this.#writer()).remove(paths.dir, { recursive: true });
      removed.push(paths.dir);
    }
    this.#sessions.clear();
    return removed;
  }

  /**
   * Long-lived secret values written in (or read by `!env` into) identity `credentials`, and the
   * credential-store password; children of file-based sessions never receive a variable holding
   * one of them.
   */
  configSecrets(): string[] {
    const values: string[] = [];
    // The credential-store password is atmos's own secret: no child ever needs it.
    const passwordEnv = this.#options.env("ATMOS_KEYRING_PASSWORD_ENV") ||
      this.auth.keyring?.spec?.password_env || "ATMOS_KEYRING_PASSWORD";
    const password = this.#options.env(passwordEnv);
    if (password) values.push(password);
    for (const config of Object.values(this.auth.identities ?? {})) {
      for (const key of ["access_key_id", "secret_access_key", "session_token"]) {
        const value = config.credentials?.[key];
        if (typeof value === "string" && value.length >= 8) values.push(value);
      }
    }
    return values;
  }

  /** Root directory names of every configured identity's chain, sorted and unique. */
  configuredRoots(): string[] {
    const roots = new Set<string>();
    for (const name of this.identityNames()) {
      try {
        roots.add(this.rootName(this.chain(name)));
      } catch {
        // A broken chain has no files to clean.
      }
    }
    return [...roots].sort();
  }

  /** The credential store, opened once. */
  store(): Promise<CredentialStore> {
    this.#store ??= this.#options.openStore();
    return this.#store;
  }

  #context(): AuthContext {
    const options = this.#options;
    return {
      env: options.env,
      now: () => this.#now(),
      interactive: options.interactive,
      prompter: options.prompter,
      mfaToken: options.mfaToken,
      store: () => this.store(),
      realm: this.realm,
      debug: (message) => this.#debug(message),
      configDir: options.configDir,
      writer: () => this.#writer(),
      browser: options.browser ?? true,
      notice: (text) => options.notice?.(text),
      progress: (message) => options.progress?.(message) ?? { update() {}, stop() {} },
    };
  }

  #readCached(chain: ChainLink[], index: number): CredentialSet | undefined {
    const link = chain[index];
    if (link.role !== "identity") return undefined;
    const kind = identityKind(link);
    if (kind.output !== "aws-files" || kind.ambient) return undefined;
    const aws = readCredentialsOrUndefined(this.filePaths(chain), link.name);
    // Only sessions atmos wrote count: a session token and an expiry comment.
    if (!aws || !aws.sessionToken || !aws.expiration) return undefined;
    const creds = awsCredentialSet(aws);
    if (!isFresh(creds, this.#now(), FRESHNESS_BUFFER_MS)) return undefined;
    this.#debug(
      `using cached credentials of "${link.name}" (expire ${aws.expiration?.toISOString()})`,
    );
    return creds;
  }

  #sessionFor(
    chain: ChainLink[],
    creds: CredentialSet | undefined,
    source: Session["source"],
  ): Session {
    const target = chain[chain.length - 1] as Extract<ChainLink, { role: "identity" }>;
    const kind = identityKind(target);
    const info = linkInfo(chain, chain.length - 1) as LinkInfo<IdentityConfig>;
    return {
      identity: target.name,
      kind: target.config.kind,
      output: kind.output,
      root: this.rootName(chain),
      files: kind.output === "aws-files" ? this.filePaths(chain) : undefined,
      region: kind.region?.(info) ?? (creds?.type === "aws" ? creds.aws.region : undefined),
      expiration: creds ? expirationOf(creds) : undefined,
      arn: creds?.type === "aws" ? creds.arn : undefined,
      identityEnv: identityEnvironment(target.config),
      source,
    };
  }

  #remember(session: Session): Session {
    this.#sessions.set(session.identity, session);
    return session;
  }

  #ambientRoot(chain: ChainLink[]): boolean {
    const root = chain[0];
    if (root.role === "provider") return findProviderKind(root.config.kind)?.ambient ?? false;
    return identityKind(root).ambient ?? false;
  }

  #fresh(expiration: Date | undefined): boolean {
    return !expiration || expiration.getTime() - this.#now() > FRESHNESS_BUFFER_MS;
  }

  #writer(): Promise<FileWriter> {
    if (!this.#options.writer) {
      throw new AtmosError("Internal error: this command cannot write credential files");
    }
    return this.#options.writer();
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }

  #debug(message: string): void {
    this.#options.debug?.(message);
  }
}

function providerKind(kind: string): ProviderKind {
  const found = findProviderKind(kind);
  if (!found) throw new AtmosError(`unknown provider kind "${kind}"`, { exitCode: 2 });
  return found;
}

/**
 * The `auth:` section with every provider's previously discovered identities added; a name
 * that (case-insensitively) matches a configured identity is skipped. Returns `auth` itself
 * when nothing was discovered.
 */
function withProvisioned(
  auth: AuthConfig,
  configDir: string,
  debug: (message: string) => void,
): AuthConfig {
  const own = auth.identities ?? {};
  const taken = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  const found: Record<string, IdentityConfig> = {};
  for (const [name, config] of Object.entries(auth.providers ?? {})) {
    const kind = findProviderKind(config?.kind);
    if (!kind?.provisionedIdentities) continue;
    let identities: Record<string, IdentityConfig>;
    try {
      identities = kind.provisionedIdentities({ name, config, upstream: [] }, configDir);
    } catch (error) {
      debug(`provider "${name}": ignoring its discovered identities: ${(error as Error).message}`);
      continue;
    }
    for (const [identity, identityConfig] of Object.entries(identities)) {
      if (taken.has(identity.toLowerCase())) continue;
      taken.add(identity.toLowerCase());
      found[identity] = identityConfig;
    }
  }
  if (Object.keys(found).length === 0) return auth;
  return { ...auth, identities: { ...found, ...own } };
}

function identityKind(link: ChainLink): IdentityKind {
  const kind = findIdentityKind(link.config.kind);
  if (!kind) throw new AtmosError(`unknown identity kind "${link.config.kind}"`, { exitCode: 2 });
  return kind;
}

function linkInfo(chain: ChainLink[], index: number): LinkInfo<ProviderConfig | IdentityConfig> {
  return {
    name: chain[index].name,
    config: chain[index].config,
    upstream: chain.slice(0, index).reverse().map((l) => ({ name: l.name, config: l.config })),
  };
}

/** Normalises an identity's `env:` (list of `{key, value}` or a map) to a map. */
export function identityEnvironment(config: IdentityConfig): Record<string, string> {
  const env: Record<string, string> = {};
  if (Array.isArray(config.env)) {
    for (const entry of config.env) env[entry.key] = String(entry.value ?? "");
  } else if (config.env && typeof config.env === "object") {
    for (const [key, value] of Object.entries(config.env)) env[key] = String(value ?? "");
  }
  return env;
}

function resolveRealm(options: ManagerOptions): string {
  const fromEnv = options.env("ATMOS_AUTH_REALM");
  const realm = fromEnv || options.loaded.config.auth?.realm || "";
  if (!realm) return "";
  const problem = validateRealm(realm);
  if (problem) {
    if (fromEnv) {
      throw new AtmosError(`invalid realm "${realm}" in ATMOS_AUTH_REALM: ${problem}`, {
        exitCode: 2,
        hint: "use lower-case letters, digits, - and _",
      });
    }
    throw configIssue(
      options.loaded,
      ["auth", "realm"],
      `invalid realm "${realm}": ${problem}`,
      "use lower-case letters, digits, - and _",
    );
  }
  return realm;
}

function sortByLocation(errors: ConfigError[]): ConfigError[] {
  const key = (e: ConfigError) =>
    [e.location?.file ?? "", e.location?.line ?? 0, e.location?.column ?? 0] as const;
  return [...errors].sort((a, b) => {
    const [fa, la, ca] = key(a);
    const [fb, lb, cb] = key(b);
    return fa.localeCompare(fb) || la - lb || ca - cb;
  });
}

function dedupe(errors: ConfigError[]): ConfigError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.location?.path}|${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The cached credentials of a profile, or `undefined` when they cannot be read. */
function readCredentialsOrUndefined(paths: AwsFilePaths, profile: string) {
  try {
    return readAwsCredentials(paths, profile);
  } catch {
    return undefined;
  }
}
