/**
 * The per-process state commands share: environment, terminal facts, output streams, the
 * loaded configuration, the sandboxed writer and the auth manager. Built once by the app.
 *
 * @module
 */
import { AtmosError } from "../errors.ts";
import type { EnvGetter } from "../env.ts";
import { createLogger, type Logger, setProcessLogger } from "../log.ts";
import type { LoadedConfig } from "../config/load.ts";
import type { YamlParseCache } from "../config/yaml.ts";
import type { FileWriter } from "../fs/writer.ts";
import { atmosConfigDir } from "../fs/xdg.ts";
import { checkConfigRoot } from "../fs/config_root.ts";
import type { AuthManager } from "../auth/manager.ts";
import type { Prompter } from "../auth/kind.ts";
import type { CredentialStore } from "../store/types.ts";
import type { Question } from "../exec/steps.ts";
import { isInteractive } from "./prompt/interactive.ts";
import { atmosCommandOf, selfCommand } from "../exec/self.ts";
import { startSpinner } from "./spinner.ts";
import { VERSION } from "../version.ts";

const encoder = new TextEncoder();

/** Shared state for one CLI invocation. */
export class Runtime {
  /** The process environment at start. */
  readonly env: Record<string, string>;
  /** The working directory (`-C`/`--chdir` changes it before anything reads it). */
  cwd: string;
  /** The logger (`--logs-level` replaces it before anything logs). */
  logger: Logger;
  /** True when prompts may be shown (stdin and stderr are terminals, not CI). */
  readonly interactive: boolean;
  #configDir?: string;
  #writer?: Promise<FileWriter>;
  #sealed = false;
  /** Files opened for appending before write permission was revoked (e.g. `$GITHUB_ENV`). */
  readonly preopened = new Map<string, Deno.FsFile>();
  /** `--config` / `--config-path` values. */
  configFiles: string[] = [];
  configPaths: string[] = [];
  #loaded?: Promise<LoadedConfig>;
  #parseCache?: Promise<YamlParseCache>;
  /** Config parse-cache entries waiting for the writer: path → JSON. */
  readonly #pendingSaves = new Map<string, () => string>();
  #manager?: AuthManager;
  mfaToken?: string;
  #self?: string[];
  /** `--no-browser`: never open a browser for a sign-in. */
  noBrowser = false;

  constructor(
    options: { env: Record<string, string>; cwd: string; interactive?: boolean; self?: string[] },
  ) {
    this.env = options.env;
    this.cwd = options.cwd;
    this.#self = options.self;
    this.logger = createLogger(options.env.ATMOS_LOGS_LEVEL);
    setProcessLogger(this.logger);
    this.interactive = options.interactive ?? isInteractive(options.env);
  }

  /**
   * `<config>/atmos`, resolved and checked on first use (so `version` and `--help` work without
   * a HOME): a relative or missing base, or a directory that is a symlink or another user's, is a
   * usage error (exit 2) before anything is read from it or written to it.
   */
  get configDir(): string {
    if (this.#configDir === undefined) {
      const dir = atmosConfigDir({ get: (name) => this.env[name] });
      checkConfigRoot(dir);
      this.#configDir = dir;
    }
    return this.#configDir;
  }

  /**
   * The sandboxed writer, opened on first use: spawns the writer worker and revokes write
   * permission in this thread.
   */
  ensureWriter(): Promise<FileWriter> {
    if (this.#sealed && !this.#writer) {
      return Promise.reject(
        new AtmosError("Internal error: a write was attempted after write permission was revoked"),
      );
    }
    this.#writer ??= import("../fs/writer.ts").then(({ openSandboxedWriter }) =>
      openSandboxedWriter(this.configDir)
    );
    return this.#writer;
  }

  /** Revokes write permission for the rest of the process unless the writer already did. */
  async sealWrites(): Promise<void> {
    if (this.#sealed) return;
    await this.#savePending();
    this.#sealed = true;
    // An open writer has revoked write in this thread; one that failed to open has not.
    if (this.#writer && await this.#writer.then(() => true, () => false)) return;
    const { revokeWrite } = await import("../fs/revoke.ts");
    await revokeWrite();
  }

  /** Stops the writer worker, if one was started. */
  closeWriter(): void {
    this.#writer?.then((writer) => writer.close(), () => undefined);
  }

  /** A writer facade that opens the real writer on first use (for the credential store). */
  readonly lazyWriter = {
    mkdir: async (path: string, mode?: number) => (await this.ensureWriter()).mkdir(path, mode),
    writeAtomic: async (path: string, data: string | Uint8Array, mode?: number) =>
      (await this.ensureWriter()).writeAtomic(path, data, mode),
    remove: async (path: string, options?: { recursive?: boolean }) =>
      (await this.ensureWriter()).remove(path, options),
  };

  /**
   * The argv prefix that re-invokes this same atmos (`type: atmos` steps): the compiled binary,
   * or `deno run` with the production flags and this main module.
   */
  selfCommand = (): string[] => {
    this.#self ??= selfCommand();
    return [...this.#self];
  };

  /** Writes to stdout. */
  out(text: string): void {
    writeAll(Deno.stdout, text);
  }

  /** Writes to stderr. */
  err(text: string): void {
    writeAll(Deno.stderr, text);
  }

  /** Looks up variables of {@linkcode env}. */
  readonly envLookup: EnvGetter = { get: (name) => this.env[name] };

  /**
   * The parse cache under the config dir (created once): parses of unchanged `atmos.yaml`
   * files, their imports and workflow manifests are read from it; fresh ones are saved once
   * writing is settled (at once when the writer is open, else before the first child or at the
   * end; never by commands that revoked write at start). The cache is only an optimisation: with
   * an unusable config dir (no HOME, a symlink) there is none, and commands that need the dir
   * for credentials report the problem themselves.
   */
  parseCache(): Promise<YamlParseCache> {
    this.#parseCache ??= import("../config/yaml_cache.ts").then(({ createYamlParseCache }) => {
      let dir: string;
      try {
        dir = `${this.configDir}/cache/yaml`;
      } catch (error) {
        this.logger.debug(`config: no parse cache: ${(error as Error).message}`);
        return { get: () => undefined, put: () => undefined };
      }
      return createYamlParseCache({
        dir,
        version: VERSION,
        save: (path, data) => this.#pendingSaves.set(path, data),
        debug: (message) => this.logger.debug(message),
      });
    });
    return this.#parseCache;
  }

  /** Loads (once) and returns the merged configuration, through {@linkcode parseCache}. */
  config(): Promise<LoadedConfig> {
    this.#loaded ??= (async () => {
      const [{ loadConfig }, cache] = await Promise.all([
        import("../config/load.ts"),
        this.parseCache(),
      ]);
      const loaded = await loadConfig({
        cwd: this.cwd,
        env: this.envLookup,
        configFiles: this.configFiles.length > 0 ? this.configFiles : undefined,
        configPaths: this.configPaths.length > 0 ? this.configPaths : undefined,
        cache,
      });
      if (this.#writer) await this.#savePending();
      return loaded;
    })();
    return this.#loaded;
  }

  /**
   * Writes the pending parse-cache entries when this process may still write (through the
   * writer, opening it if need be); a cache that cannot be written is only logged.
   */
  async #savePending(): Promise<void> {
    if (this.#pendingSaves.size === 0 || this.#sealed) return;
    const entries = [...this.#pendingSaves];
    this.#pendingSaves.clear();
    try {
      if (!this.#writer && (await Deno.permissions.query({ name: "write" })).state !== "granted") {
        return;
      }
      const writer = await this.ensureWriter();
      for (const [path, data] of entries) await writer.writeAtomic(path, data(), 0o600);
      this.logger.debug(`config: saved ${entries.length} parse(s) to the cache`);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.logger.debug(`config: parse cache not saved: ${why}`);
    }
  }

  /** The auth manager over the loaded configuration (created once). */
  async manager(): Promise<AuthManager> {
    this.#manager ??= await this.managerFor(await this.config());
    return this.#manager;
  }

  /**
   * A new auth manager over `loaded` — e.g. the configuration with a component's merged stack
   * `auth` in place of the global one (`atmos terraform`).
   */
  async managerFor(loaded: LoadedConfig): Promise<AuthManager> {
    const [{ AuthManager }, { registry }] = await Promise.all([
      import("../auth/manager.ts"),
      import("../auth/registry/table.ts"),
    ]);
    await registry.load(loaded.config.auth);
    return new AuthManager({
      loaded,
      env: this.envLookup,
      configDir: this.configDir,
      interactive: this.interactive,
      prompter: this.prompter,
      mfaToken: this.mfaToken,
      writer: () => this.ensureWriter(),
      openStore: () => this.openStore(loaded),
      debug: (message) => this.logger.debug(message),
      atmosCommand: () => this.atmosCommand(),
      browser: !this.noBrowser,
      notice: (text) => this.err(`${text}\n`),
      progress: (message) =>
        startSpinner(message, {
          write: (text) => this.err(text),
          terminal: Deno.stderr.isTerminal(),
        }),
    });
  }

  /** The argv that runs this same atmos with the same configuration (`--config` and so on). */
  atmosCommand(): string[] {
    return atmosCommandOf(this);
  }

  /** Opens the credential store chosen by `ATMOS_KEYRING_TYPE` > `auth.keyring.type`. */
  async openStore(loaded: LoadedConfig): Promise<CredentialStore> {
    const { openStore } = await import("../store/open.ts");
    const keyring = loaded.config.auth?.keyring;
    const store = await openStore({
      type: this.env.ATMOS_KEYRING_TYPE || keyring?.type,
      env: this.envLookup,
      fileDir: this.env.ATMOS_KEYRING_FILE_PATH || keyring?.spec?.path ||
        `${this.configDir}/keyring`,
      passwordEnv: this.env.ATMOS_KEYRING_PASSWORD_ENV || keyring?.spec?.password_env,
      writer: this.lazyWriter,
      promptPassword: this.interactive
        ? () => this.prompter.secret("Credential store password: ")
        : undefined,
    });
    const reason = (store as { fallbackReason?: string }).fallbackReason;
    if (reason) this.logger.debug(`credential store: ${reason}`);
    return store;
  }

  /** Terminal prompts (they throw when not interactive); their code loads on first use. */
  readonly prompter: Prompter = {
    secret: async (message) => {
      this.#requireTty(message);
      const [{ runPrompt }, { createSecret }] = await Promise.all([
        import("./prompt/driver.ts"),
        import("./prompt/secret.ts"),
      ]);
      return await runPrompt(createSecret({ message }));
    },
    text: async (message, validate) => {
      this.#requireTty(message);
      const [{ runPrompt }, { createText }] = await Promise.all([
        import("./prompt/driver.ts"),
        import("./prompt/text.ts"),
      ]);
      return await runPrompt(createText({ message, validate }));
    },
  };

  /** Asks the question of an `input`, `choose` or `confirm` step (throws when not interactive). */
  ask = async (question: Question): Promise<string> => {
    this.#requireTty(question.message);
    const { askQuestion } = await import("./prompt/ask.ts");
    return await askQuestion(question);
  };

  /** Shows a picker (throws when not interactive). */
  pick = async (message: string, options: string[]): Promise<string> => {
    this.#requireTty(message);
    const [{ runPrompt }, { createSelect }] = await Promise.all([
      import("./prompt/driver.ts"),
      import("./prompt/select.ts"),
    ]);
    return await runPrompt(createSelect({ message, options }));
  };

  #requireTty(message: string): void {
    if (!this.interactive) {
      throw new AtmosError(`Cannot ask "${message.trim()}": not running on a terminal`, {
        exitCode: 2,
        needsPerson: true,
      });
    }
  }
}

function writeAll(stream: { writeSync(p: Uint8Array): number }, text: string): void {
  const data = encoder.encode(text);
  let offset = 0;
  while (offset < data.length) offset += stream.writeSync(data.subarray(offset));
}
