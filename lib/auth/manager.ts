/**
 * The auth manager: turns an identity name into a {@linkcode Session}. It knows no cloud;
 * each step lives in its own module:
 *
 * - `auth_view.ts` — the `auth:` section with discovered identities, and the `via` walk;
 * - `validation.ts` — the whole section is checked before any network call;
 * - `resolve.ts` — names users type, resolved exact then case-insensitive;
 * - `chain.ts` — the chain `[root, …, target]`;
 * - `chain_auth.ts` — the caching rule, the resume point and running the links;
 * - `session_build.ts` — what children get;
 * - `logout.ts`, `secrets.ts` — removing credentials and scrubbing secrets.
 *
 * Providers keep any cache of their own behind `authenticate` (an IAM Identity Center token,
 * shared across processes under a lock), remove it in `logout`, and may contribute identities
 * they discovered earlier (`provisionedIdentities`); the manager treats every kind alike.
 *
 * @module
 */
import { AtmosError, type ConfigError } from "../errors.ts";
import type { AuthConfig } from "../config/types.ts";
import type { LoadedConfig } from "../config/load.ts";
import { configIssue } from "../config/issue.ts";
import { validateRealm } from "../config/validate_auth.ts";
import type { FileWriter } from "../fs/writer.ts";
import type { CredentialStore } from "../store/types.ts";
import { type AuthView, authView } from "./auth_view.ts";
import { buildChain, type ChainLink, targetOf } from "./chain.ts";
import { FRESHNESS_BUFFER_MS, type ResumePoint, resumePoint, runChain } from "./chain_auth.ts";
import { loginLockPath, withLoginLock } from "./single_flight.ts";
import type { AuthContext, EnvGetter, Progress, Prompter } from "./kind.ts";
import {
  type AuthScope,
  identityKindOf,
  isAmbientChain,
  outputDir,
  providerKindOf,
  rootName,
} from "./links.ts";
import { planKey, secretPathsIn, writePlan } from "./session_plan.ts";
import { realmSetting } from "./realm.ts";
import type { ConsoleRequest, CredentialOutput, WhoamiFacts } from "./output.ts";
import type { KindRegistry } from "./registry/kind_registry.ts";
import { registry as defaultRegistry } from "./registry/table.ts";
import { resolveIdentityName, resolveProviderName } from "./resolve.ts";
import { configSecrets } from "./secrets.ts";
import { buildSession, targetOutputLink } from "./session_build.ts";
import { identityEnvironment } from "./identity_env.ts";
import type { Session } from "./session.ts";
import { authProblems, throwFirst } from "./validation.ts";

export { FRESHNESS_BUFFER_MS };

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
  /** The kinds (default: atmos's registry; its kinds must be loaded for this config). */
  registry?: KindRegistry;
  /** How long to wait for another process's login of the same identity (default 15 min). */
  loginLockTimeoutMs?: number;
  /** The argv that runs this atmos with the same configuration (for `credential_process`). */
  atmosCommand?: () => string[];
}

/** Resolves identities to sessions, with the on-disk cache. */
export class AuthManager {
  readonly realm: string;
  readonly #options: ManagerOptions;
  readonly #registry: KindRegistry;
  readonly #sessions = new Map<string, Session>();
  #store?: Promise<CredentialStore>;
  #problems?: ConfigError[];
  #view?: AuthView;
  #atmosCommand?: string[];

  constructor(options: ManagerOptions) {
    this.#options = options;
    this.#registry = options.registry ?? defaultRegistry;
    this.realm = resolveRealm(options);
  }

  /** The configuration the manager works on (with discovered identities). */
  get #scope(): AuthScope {
    this.#view ??= authView(
      this.#options.loaded,
      this.#options.configDir,
      this.#registry,
      (message) => this.#debug(message),
    );
    this.#atmosCommand ??= this.#options.atmosCommand?.();
    return {
      view: this.#view,
      registry: this.#registry,
      configDir: this.#options.configDir,
      realm: this.realm,
      atmosCommand: this.#atmosCommand,
    };
  }

  /**
   * The merged `auth:` section, plus the identities providers discovered on earlier logins
   * (`auto_provision_identities`); identities written in the configuration win.
   */
  get auth(): AuthConfig {
    return this.#scope.view.auth;
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
    this.#problems ??= authProblems(this.#scope.view, this.#registry);
    return this.#problems;
  }

  /**
   * Throws the first configuration problem of the `auth:` section, if it has any. Every
   * command that reads `auth:` calls this before anything else (see `validation.ts`).
   */
  assertValid(): void {
    throwFirst(this.validate());
  }

  /**
   * Resolves a name given by the user to the configured identity name (exact, then
   * case-insensitive).
   *
   * @throws {AtmosError} exit code 2 with a near-name suggestion, or for an ambiguous name.
   */
  resolveIdentity(name: string): string {
    return resolveIdentityName(this.#scope.view, name);
  }

  /**
   * Resolves a provider name given by the user (exact, then case-insensitive).
   *
   * @throws {AtmosError} exit code 2 with a near-name suggestion, or for an ambiguous name.
   */
  resolveProvider(name: string): string {
    return resolveProviderName(this.#scope.view, name);
  }

  /** The chain `[root, …, target]` for a configured identity name. */
  chain(identity: string): ChainLink[] {
    const scope = this.#scope;
    return buildChain(
      scope.view.auth,
      scope.view.graph,
      identity,
      (path, message, hint) => configIssue(scope.view.loaded, path, message, hint),
    );
  }

  /** Directory name of the chain's files (root provider, or a standalone kind's own). */
  rootName(chain: ChainLink[]): string {
    return rootName(this.#scope, chain);
  }

  /**
   * The session for an identity from the cache alone (no network), or `undefined` when the
   * target's cached credentials are missing or within 5 minutes of expiry.
   */
  cachedSession(identity: string): Session | undefined {
    this.assertValid();
    const name = this.resolveIdentity(identity);
    const known = this.#sessions.get(name);
    if (known && this.#fresh(known.expiration)) return known;
    const scope = this.#scope;
    const chain = this.chain(name);
    const kind = identityKindOf(scope, targetOf(chain));
    if (!kind.output.persistent) return buildSession(scope, chain, undefined, "ambient");
    const from = resumePoint(scope, chain, this.#now(), (m) => this.#debug(m));
    if (from.start !== chain.length || !from.input) return undefined;
    return this.#remember(buildSession(scope, chain, from.input, "cache"));
  }

  /**
   * The session as it is or would be after login, without any network call: the cached one
   * when fresh, else the same file pointers with no expiry (for `auth env` without `--login`).
   */
  plannedSession(identity: string): Session {
    const cached = this.cachedSession(identity);
    if (cached) return cached;
    return buildSession(
      this.#scope,
      this.chain(this.resolveIdentity(identity)),
      undefined,
      "planned",
    );
  }

  /**
   * The session for an identity: cached when fresh, else authenticated. With `background`,
   * nothing is ever prompted or shown (a link that needs a person throws an error with
   * `needsPerson`), e.g. for a client's `credential_process` call.
   */
  async session(
    identity: string,
    options: { force?: boolean; background?: boolean } = {},
  ): Promise<Session> {
    if (!options.force) {
      const cached = this.cachedSession(identity);
      if (cached) return cached;
    }
    return await this.authenticate(identity, options);
  }

  /**
   * Authenticates an identity, resuming from the nearest fresh cached link unless `force`.
   */
  async authenticate(
    identity: string,
    options: { force?: boolean; background?: boolean } = {},
  ): Promise<Session> {
    this.assertValid();
    const name = this.resolveIdentity(identity);
    const scope = this.#scope;
    const chain = this.chain(name);
    if (!identityKindOf(scope, targetOf(chain)).output.persistent) {
      return buildSession(scope, chain, undefined, "ambient");
    }
    const resume = () =>
      options.force
        ? { start: 0, input: null }
        : resumePoint(scope, chain, this.#now(), (m) => this.#debug(m));
    const cached = (from: ResumePoint) =>
      from.start === chain.length && from.input
        ? this.#remember(buildSession(scope, chain, from.input, "cache"))
        : undefined;
    const first = resume();
    const warm = cached(first);
    if (warm) return warm;
    // Open the sandboxed writer (which revokes write in this thread) before any network call.
    const writer = await this.#writer();
    const ctx = options.background
      ? { ...this.#context(), interactive: false, background: true }
      : this.#context();
    const login = async (from: ResumePoint) => {
      const creds = await runChain(scope, chain, from, ctx, writer);
      const session = this.#remember(buildSession(scope, chain, creds, "login"));
      await this.#keepPlan(chain, session, writer);
      return session;
    };
    // An ambient chain is never resumed from files: each caller logs in (see single_flight.ts).
    if (isAmbientChain(scope, chain)) return await login(first);
    return await withLoginLock(writer, this.#loginLock(chain, name), ctx, async () => {
      // Another process may have logged in while this one waited: read the cache again.
      const from = resume();
      return cached(from) ?? await login(from);
    });
  }

  /**
   * What `auth credential-process` prints for an identity: its current session (renewed first
   * when it has 5 minutes or less left, never prompting) in its output's protocol format.
   *
   * @throws {AtmosError} exit 2 when the identity's output has no such protocol.
   */
  async credentialProcess(identity: string): Promise<string> {
    const { output, chain } = this.#target(identity);
    const target = targetOf(chain);
    if (!output.credentialProcess) {
      throw new AtmosError(
        `identity "${target.name}" (${target.config.kind}) cannot be used as a credential process`,
        { exitCode: 2, hint: "credential_process serves AWS identities" },
      );
    }
    await this.session(target.name, { background: true });
    const creds = output.readCached(targetOutputLink(this.#scope, chain));
    if (!creds) throw new AtmosError(`no cached session for "${target.name}" after login`);
    return output.credentialProcess(creds);
  }

  /**
   * Renews an identity before its session expires: its own link runs again from the nearest
   * fresh link before it (a role is re-assumed from a cached MFA session, an SSO token is
   * refreshed silently), whatever is left of its own session. Never prompts and never shows a
   * sign-in (a link that needs a person throws an error with `needsPerson`) unless
   * `interactive` is set: then a link may ask as a login would (before a workflow step, when
   * no child owns the terminal).
   */
  async renew(identity: string, options: { interactive?: boolean } = {}): Promise<Session> {
    this.assertValid();
    const name = this.resolveIdentity(identity);
    const scope = this.#scope;
    const chain = this.chain(name);
    if (!identityKindOf(scope, targetOf(chain)).output.persistent) {
      return buildSession(scope, chain, undefined, "ambient");
    }
    const seen = this.storedExpiration(name)?.getTime();
    const writer = await this.#writer();
    const ctx = options.interactive
      ? this.#context()
      : { ...this.#context(), interactive: false, background: true };
    const renewed = async () => {
      const from = resumePoint(scope, chain, this.#now(), (m) => this.#debug(m), { renew: true });
      const creds = await runChain(scope, chain, from, ctx, writer);
      const session = this.#remember(buildSession(scope, chain, creds, "login"));
      await this.#keepPlan(chain, session, writer);
      return session;
    };
    if (isAmbientChain(scope, chain)) return await renewed();
    return await withLoginLock(writer, this.#loginLock(chain, name), ctx, async () => {
      // Renewed by another process while this one waited (several shells renewing one
      // identity at once): that session serves, unless it is no longer fresh either.
      const stored = this.storedExpiration(name)?.getTime();
      if (seen !== undefined && stored !== undefined && stored > seen) {
        const from = resumePoint(scope, chain, this.#now(), (m) => this.#debug(m));
        if (from.start === chain.length && from.input) {
          this.#debug(`"${name}" was renewed by another process meanwhile`);
          return this.#remember(buildSession(scope, chain, from.input, "cache"));
        }
      }
      return await renewed();
    });
  }

  /** The login lock of an identity (see `single_flight.ts`); renewals take it too. */
  #loginLock(chain: ChainLink[], name: string) {
    return {
      path: loginLockPath(targetOutputLink(this.#scope, chain).dir, name),
      identity: name,
      timeoutMs: this.#options.loginLockTimeoutMs,
    };
  }

  /**
   * When the identity's session as its files hold it now expires (another process may have
   * renewed it), however little is left; `undefined` when there is none. No network call.
   */
  storedExpiration(identity: string): Date | undefined {
    const name = this.resolveIdentity(identity);
    const scope = this.#scope;
    const chain = this.chain(name);
    const output = identityKindOf(scope, targetOf(chain)).output;
    if (!output.persistent) return undefined;
    const stored = output.readCached(targetOutputLink(scope, chain))?.expiration;
    const known = this.#sessions.get(name);
    if (stored && known && stored.getTime() > (known.expiration?.getTime() ?? 0)) {
      this.#sessions.delete(name); // the in-process copy is older than the files
    }
    return stored;
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
    const config = this.auth.providers![name];
    await this.#writer();
    this.#debug(`authenticating provider "${name}" (${config.kind})`);
    const creds = await providerKindOf(this.#scope, config.kind).authenticate(
      { name, config, upstream: [] },
      this.#context(),
    );
    return creds.expiration;
  }

  /** Who an identity's current credentials belong to (its output may call the cloud). */
  async whoami(session: Session): Promise<WhoamiFacts> {
    const { output, chain } = this.#target(session.identity);
    if (!output.whoami) return { principal: session.principal, details: {} };
    const link = targetOutputLink(this.#scope, chain);
    return await output.whoami(
      { ...link, region: session.region ?? link.region },
      this.#outputContext(),
    );
  }

  /**
   * Refuses a console request the identity's output cannot serve, before any login.
   * Returns what the console is called (e.g. `AWS console`), for messages.
   *
   * @throws {AtmosError} exit 2 when the identity has no console, or the request is bad.
   */
  async checkConsole(identity: string, request: ConsoleRequest): Promise<string> {
    const { output, chain } = this.#target(identity);
    if (!output.console) {
      const target = targetOf(chain);
      const clouds = this.#registry.cloudLabels().map((label) => `${label} session`);
      throw new AtmosError(
        `identity "${target.name}" (${target.config.kind}) has no ${
          clouds.join(" or ")
        } to open a console with`,
        { exitCode: 2, hint: "choose an identity that signs in to a cloud (e.g. a role)" },
      );
    }
    await output.checkConsole?.(request);
    return output.consoleName ?? "console";
  }

  /** A console sign-in URL for an authenticated session (a secret: never logged). */
  async consoleUrl(session: Session, request: ConsoleRequest): Promise<string> {
    await this.checkConsole(session.identity, request);
    const { output, chain } = this.#target(session.identity);
    const link = targetOutputLink(this.#scope, chain);
    return await output.console!(
      { ...link, region: session.region ?? link.region },
      request,
      this.#outputContext(),
    );
  }

  /**
   * Removes an identity's own credentials.
   *
   * @returns what was (or, with `dryRun`, would be) removed.
   */
  async logoutIdentity(identity: string, options: { dryRun?: boolean } = {}): Promise<string[]> {
    const name = this.resolveIdentity(identity);
    const writer = options.dryRun ? undefined : await this.#writer();
    const { logoutIdentity } = await import("./logout.ts");
    const removed = await logoutIdentity(this.#scope, name, writer);
    this.#sessions.delete(name);
    return removed;
  }

  /**
   * Removes everything of a chain root (all identities rooted there) under every output and,
   * when the root is a provider with caches of its own (an SSO token), those too.
   */
  async logoutRoot(root: string, options: { dryRun?: boolean } = {}): Promise<string[]> {
    const writer = options.dryRun ? undefined : await this.#writer();
    const { logoutRoot } = await import("./logout.ts");
    const removed = await logoutRoot(this.#scope, root, this.#context(), writer);
    this.#sessions.clear();
    return removed;
  }

  /** Root directory names of every configured identity's chain, sorted and unique. */
  configuredRoots(): string[] {
    const roots = new Set<string>();
    for (const name of this.identityNames()) {
      if (!this.#scope.view.graph.chain(name).ok) continue; // a broken chain has no files
      roots.add(this.rootName(this.chain(name)));
    }
    return [...roots].sort();
  }

  /** Roots that may hold files without any configured chain (e.g. `aws-user`). */
  fixedRoots(): string[] {
    return this.#registry.fixedRootDirs();
  }

  /**
   * Long-lived secret values written in (or read by `!env` into) identity configuration, and
   * the credential-store password; isolated children never receive a variable holding one.
   */
  configSecrets(): string[] {
    return configSecrets(this.#scope, this.#options.env);
  }

  /** The credential store, opened once. */
  store(): Promise<CredentialStore> {
    this.#store ??= this.#options.openStore();
    return this.#store;
  }

  #target(identity: string): { output: CredentialOutput; chain: ChainLink[] } {
    const chain = this.chain(this.resolveIdentity(identity));
    return { output: identityKindOf(this.#scope, targetOf(chain)).output, chain };
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

  #outputContext() {
    return { env: this.#options.env, debug: (message: string) => this.#debug(message) };
  }

  /**
   * Keeps the plan of `identity`'s current session (lib/auth/session_plan.ts) so that warm
   * `auth exec`/`auth shell` runs start without the manager: `auth login` calls it for a
   * session it found cached (after an edit of the configuration, say); logins and renewals
   * keep theirs themselves.
   */
  async keepPlan(identity: string): Promise<void> {
    const name = this.resolveIdentity(identity);
    const session = this.cachedSession(name);
    if (!session || session.source !== "cache") return;
    await this.#keepPlan(this.chain(name), session, await this.#writer());
  }

  /** Writes the plan of a session of a validated section; a failure is only logged. */
  async #keepPlan(chain: ChainLink[], session: Session, writer: FileWriter): Promise<void> {
    const scope = this.#scope;
    const target = targetOf(chain);
    const own = this.#options.loaded.config.auth;
    // A configured identity (not a discovered one) whose session lives in files.
    if (!own?.identities || !Object.hasOwn(own.identities, target.name)) return;
    const kind = identityKindOf(scope, target);
    if (!kind.output.persistent || kind.ambient || isAmbientChain(scope, chain)) return;
    try {
      const configDir = this.#options.configDir;
      const { expiration: _expiration, principal: _principal, source: _source, ...handed } =
        session;
      // The identity's own env: is read from the configuration on use; keep what the output set.
      const identityEnv = identityEnvironment(target.config);
      const set = Object.fromEntries(
        Object.entries(session.env.set).filter(([name, value]) => identityEnv[name] !== value),
      );
      await writePlan(writer, configDir, {
        version: 1,
        key: await planKey({
          configDir,
          realm: this.realm,
          identity: target.name,
          auth: own,
          atmosCommand: scope.atmosCommand,
        }),
        identity: target.name,
        output: kind.output.name,
        dir: outputDir(scope, kind.output.name, rootName(scope, chain)),
        upstream: chain.slice(0, -1).reverse().map((link) => ({
          role: link.role,
          name: link.name,
        })),
        session: { ...handed, env: { set, unset: session.env.unset } },
        secretPaths: secretPathsIn(own, this.configSecrets()),
      });
    } catch (error) {
      this.#debug(`session plan of "${target.name}" not written: ${(error as Error).message}`);
    }
  }

  #remember(session: Session): Session {
    this.#sessions.set(session.identity, session);
    return session;
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

function resolveRealm(options: ManagerOptions): string {
  const { realm, fromEnv } = realmSetting(options.env, options.loaded.config.auth);
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
