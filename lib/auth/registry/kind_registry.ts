/**
 * The kinds registry's mechanics: a table of provider kinds, identity kinds and credential
 * outputs (clouds), loaded lazily and loud on mistakes. It names no kind and no cloud itself:
 * the lines live in `table.ts` (and tests build registries of fake kinds).
 *
 * Each kind's module is imported only when a configuration names it ({@linkcode
 * KindRegistry.load}): a warm `auth exec` with IAM users and roles never loads the IAM Identity
 * Center or OIDC code. What must be known before loading — the names, which identity kinds start
 * a chain themselves, a standalone kind's fixed directory name, the outputs' directory names —
 * lives in the table. Every output's list of credential variables is loaded on every
 * {@linkcode KindRegistry.load} (small modules): an isolated child loses them all.
 *
 * @module
 */
import type { IdentityKind, KindFields, ProviderKind } from "../kind.ts";
import type { CredentialOutput } from "../output.ts";

/** A provider kind's line. */
export interface ProviderEntry {
  readonly kind: string;
  /** Identity kinds of the identities this provider discovers (`auto_provision_identities`). */
  readonly provisions?: readonly string[];
  load(): Promise<ProviderKind>;
}

/** An identity kind's line. */
export interface IdentityEntry {
  readonly kind: string;
  /** Standalone kinds have no `via` and start a chain themselves. */
  readonly standalone: boolean;
  /** For a standalone kind: the directory of its chains' files, when not its own name. */
  readonly rootDir?: string;
  load(): Promise<IdentityKind>;
}

/** A credential output's line (one per cloud that writes files). */
export interface OutputEntry {
  /** The output's name and directory segment (`<config>/atmos/[<realm>/]<name>/<root>`). */
  readonly name: string;
  /** The cloud's name for messages, e.g. `AWS`. */
  readonly label: string;
  /** Loads the variables that carry or select this cloud's credentials (a small module). */
  variables(): Promise<readonly string[]>;
  /** Loads the output itself (for reading a cache with no configuration loaded). */
  load(): Promise<CredentialOutput>;
}

/** The lines of a registry. */
export interface RegistryTable {
  readonly providers: readonly ProviderEntry[];
  readonly identities: readonly IdentityEntry[];
  readonly outputs: readonly OutputEntry[];
}

/** The `auth:` entries whose kinds are loaded (only their `kind` is read). */
export interface KindNames {
  providers?: Record<string, { kind?: unknown } | null | undefined> | null;
  identities?: Record<string, { kind?: unknown } | null | undefined> | null;
}

/** The kind lists the structural validator needs. */
export interface KindLists {
  providerKinds: string[];
  identityKinds: string[];
  standaloneIdentityKinds: string[];
}

/** Kinds and outputs by name, loaded on demand. */
export class KindRegistry {
  readonly #table: RegistryTable;
  readonly #providers = new Map<string, ProviderKind>();
  readonly #identities = new Map<string, IdentityKind>();
  #variables?: readonly string[];

  constructor(table: RegistryTable) {
    this.#table = table;
  }

  /**
   * Imports the kinds `auth` names (and the identity kinds its providers discover) and every
   * output's variable list. Unknown names are skipped: validation reports them.
   */
  async load(auth: KindNames | undefined | null): Promise<void> {
    const wantedProviders = kindsOf(auth?.providers);
    const wantedIdentities = kindsOf(auth?.identities);
    for (const entry of this.#table.providers) {
      if (wantedProviders.has(entry.kind)) {
        for (const kind of entry.provisions ?? []) wantedIdentities.add(kind);
      }
    }
    await Promise.all([
      ...this.#table.providers
        .filter((e) => wantedProviders.has(e.kind) && !this.#providers.has(e.kind))
        .map(async (e) => this.#providers.set(e.kind, checked(e.kind, await e.load()))),
      ...this.#table.identities
        .filter((e) => wantedIdentities.has(e.kind) && !this.#identities.has(e.kind))
        .map(async (e) => this.#identities.set(e.kind, checked(e.kind, await e.load()))),
      this.#loadVariables(),
    ]);
  }

  /** Imports every kind (for the JSON Schema, which describes each kind's fields). */
  async loadAll(): Promise<void> {
    await this.load({
      providers: Object.fromEntries(this.#table.providers.map((e) => [e.kind, { kind: e.kind }])),
      identities: Object.fromEntries(
        this.#table.identities.map((e) => [e.kind, { kind: e.kind }]),
      ),
    });
  }

  /**
   * The fields of every kind, by kind name.
   *
   * @throws {Error} before {@linkcode loadAll} (a bug).
   */
  fieldsByKind(): {
    providers: Record<string, KindFields>;
    identities: Record<string, KindFields>;
  } {
    return {
      providers: Object.fromEntries(
        this.#table.providers.map((e) => [e.kind, this.provider(e.kind)!.fields]),
      ),
      identities: Object.fromEntries(
        this.#table.identities.map((e) => [e.kind, this.identity(e.kind)!.fields]),
      ),
    };
  }

  /**
   * The provider kind named `kind`: `undefined` when no such kind exists.
   *
   * @throws {Error} when the kind exists but {@linkcode load} did not load it (a bug).
   */
  provider(kind: unknown): ProviderKind | undefined {
    return find(kind, this.#providers, this.#table.providers, "provider");
  }

  /**
   * The identity kind named `kind`: `undefined` when no such kind exists.
   *
   * @throws {Error} when the kind exists but {@linkcode load} did not load it (a bug).
   */
  identity(kind: unknown): IdentityKind | undefined {
    return find(kind, this.#identities, this.#table.identities, "identity");
  }

  /** True for identity kinds that have no `via` and start a chain themselves. */
  isStandalone(kind: unknown): boolean {
    return this.#table.identities.some((e) => e.kind === kind && e.standalone);
  }

  /** The directory of a chain rooted at a standalone identity `name` of kind `kind`. */
  rootDirOf(kind: unknown, name: string): string {
    return this.#table.identities.find((e) => e.kind === kind)?.rootDir ?? name;
  }

  /** Fixed root directory names of standalone kinds (e.g. `aws-user`), sorted. */
  fixedRootDirs(): string[] {
    return [...new Set(this.#table.identities.flatMap((e) => e.rootDir ? [e.rootDir] : []))]
      .sort();
  }

  /** The names of the outputs that write files (their directory segments). */
  outputNames(): string[] {
    return this.#table.outputs.map((e) => e.name);
  }

  /** The output named `name` (loaded on first use), or `undefined` when none is. */
  async output(name: string): Promise<CredentialOutput | undefined> {
    const entry = this.#table.outputs.find((e) => e.name === name);
    if (!entry) return undefined;
    const output = await entry.load();
    if (output.name !== name) {
      throw new Error(`Internal error: the output registered as "${name}" is "${output.name}"`);
    }
    return output;
  }

  /** The clouds' names for messages, e.g. `["AWS"]`. */
  cloudLabels(): string[] {
    return this.#table.outputs.map((e) => e.label);
  }

  /**
   * Every registered output's credential variables (each once, in table order).
   *
   * @throws {Error} before {@linkcode load} (a bug).
   */
  credentialVariables(): readonly string[] {
    if (!this.#variables) {
      throw new Error("Internal error: credential variables were used before they were loaded");
    }
    return this.#variables;
  }

  /** The kind lists the structural validator needs. */
  kindLists(): KindLists {
    return {
      providerKinds: this.#table.providers.map((e) => e.kind),
      identityKinds: this.#table.identities.map((e) => e.kind),
      standaloneIdentityKinds: this.#table.identities.filter((e) => e.standalone).map((e) =>
        e.kind
      ),
    };
  }

  async #loadVariables(): Promise<void> {
    if (this.#variables) return;
    const lists = await Promise.all(this.#table.outputs.map((e) => e.variables()));
    this.#variables = [...new Set(lists.flat())];
  }
}

function kindsOf(
  entries: Record<string, { kind?: unknown } | null | undefined> | undefined | null,
): Set<string> {
  const out = new Set<string>();
  if (!entries || typeof entries !== "object") return out;
  for (const entry of Object.values(entries)) {
    if (typeof entry?.kind === "string") out.add(entry.kind);
  }
  return out;
}

function checked<K extends { kind: string }>(kind: string, loaded: K): K {
  if (loaded.kind !== kind) {
    throw new Error(`Internal error: the module registered as "${kind}" is "${loaded.kind}"`);
  }
  return loaded;
}

function find<K>(
  kind: unknown,
  loaded: Map<string, K>,
  entries: readonly { kind: string }[],
  what: string,
): K | undefined {
  if (typeof kind !== "string") return undefined;
  const found = loaded.get(kind);
  if (found !== undefined || !entries.some((e) => e.kind === kind)) return found;
  throw new Error(`Internal error: ${what} kind "${kind}" was used before it was loaded`);
}
