/**
 * The one place that resolves provider and identity names and walks `via` links. The
 * validator, the chain builder, identity selection and logout all use it, so a name that one
 * accepts the others accept too.
 *
 * Names match exactly first, then case-insensitively (Atmos lower-cases map keys, so a
 * reference written `github-ci` must reach a provider written `GitHub-CI`); two names equal
 * ignoring case make a case-insensitive reference ambiguous.
 *
 * The walk is memoised per identity and never recurses, so checking every identity of a
 * configuration is linear in its size, whatever the chains' depth.
 *
 * It also holds the rules for names themselves (one per kind of name), checked before anything
 * is written: a provider name is a directory name as written; an identity name is an INI section
 * name (`[name]`, `[profile name]`) and, through `identitySegment`, a directory or file name.
 *
 * @module
 */
import {
  CONTROL_CHARS,
  IDENTITY_SEGMENT_BYTES,
  identitySegment,
  segmentProblem,
} from "../fs/layout.ts";

export { LISTED_NAMES, nameList } from "./name_list.ts";

/**
 * Why `name` cannot be a provider's name, or `undefined` when it can: it names the directory of
 * every chain rooted at the provider, so it must be one path segment as written.
 */
export function providerNameProblem(name: string): string | undefined {
  return segmentProblem(name);
}

/**
 * Why `name` cannot be an identity's name, or `undefined` when it can. An identity name becomes
 * an INI section name (no `[`, `]`, line break or other control character; no space at either
 * end, which INI readers strip), `AWS_PROFILE`'s value, and, encoded, a directory or file name
 * (not too long once encoded). `/` is allowed (`<account>/<permission set>`).
 */
export function identityNameProblem(name: string): string | undefined {
  if (name === "") return "is empty";
  if (CONTROL_CHARS.test(name)) return "holds a control character";
  if (/[[\]]/.test(name)) return 'holds "[" or "]", which INI section names cannot';
  if (name.trim() !== name) return "starts or ends with a space";
  if (new TextEncoder().encode(identitySegment(name)).length > IDENTITY_SEGMENT_BYTES) {
    return "is too long";
  }
  return undefined;
}

/** The outcome of looking a name up in a table. */
export type NameLookup =
  | { readonly found: string }
  | { readonly missing: true }
  | { readonly ambiguous: readonly string[] };

/** Looks `name` up in `table`: exact match, else the one key equal ignoring case. */
export function lookupName(table: Record<string, unknown> | undefined, name: string): NameLookup {
  if (!table) return { missing: true };
  if (Object.hasOwn(table, name)) return { found: name };
  const wanted = name.toLowerCase();
  return ignoringCase(Object.keys(table).filter((key) => key.toLowerCase() === wanted));
}

/**
 * A table's names by their lower-case form, for many case-insensitive lookups: one pass over
 * the table instead of one per lookup (a configuration of 40,000 identities whose references
 * differ in case from the names would otherwise cost 40,000² comparisons).
 */
export class NameIndex {
  readonly #table: Record<string, unknown>;
  #lower?: Map<string, string[]>;

  constructor(table: Record<string, unknown>) {
    this.#table = table;
  }

  /** The same as {@linkcode lookupName} on the table. */
  lookup(name: string): NameLookup {
    if (Object.hasOwn(this.#table, name)) return { found: name };
    if (!this.#lower) {
      this.#lower = new Map();
      for (const key of Object.keys(this.#table)) {
        const lower = key.toLowerCase();
        const group = this.#lower.get(lower);
        if (group) group.push(key);
        else this.#lower.set(lower, [key]);
      }
    }
    return ignoringCase(this.#lower.get(name.toLowerCase()) ?? []);
  }
}

function ignoringCase(matches: readonly string[]): NameLookup {
  if (matches.length === 1) return { found: matches[0] };
  if (matches.length === 0) return { missing: true };
  return { ambiguous: matches };
}

/** The configured name `name` refers to in `table`, or `undefined` (missing or ambiguous). */
export function findName(
  table: Record<string, unknown> | undefined,
  name: string,
): string | undefined {
  const lookup = lookupName(table, name);
  return "found" in lookup ? lookup.found : undefined;
}

/** Groups of keys of `table` that are equal ignoring case (each group in document order). */
export function caseCollisions(table: Record<string, unknown>): string[][] {
  const groups = new Map<string, string[]>();
  for (const key of Object.keys(table)) {
    const lower = key.toLowerCase();
    const group = groups.get(lower);
    if (group) group.push(key);
    else groups.set(lower, [key]);
  }
  return [...groups.values()].filter((group) => group.length > 1);
}

/** One link of a chain: a provider or an identity, by its configured name. */
export interface LinkRef {
  readonly role: "provider" | "identity";
  readonly name: string;
}

/** Why an identity's chain cannot be built. `from` is the identity whose `via` is at fault. */
export type ChainProblem =
  | { readonly type: "cycle"; readonly names: readonly string[] }
  | { readonly type: "no-via"; readonly from: string }
  | { readonly type: "both-via"; readonly from: string }
  | { readonly type: "bad-via"; readonly from: string }
  | {
    readonly type: "unknown" | "ambiguous";
    readonly from: string;
    readonly key: "provider" | "identity";
    readonly ref: string;
    /** For `ambiguous`: the names the reference could mean. */
    readonly candidates?: readonly string[];
  }
  | { readonly type: "not-a-map"; readonly from: string };

/** A chain `[root, …, target]`, or the first problem met walking from the target. */
export type ChainResult =
  | { readonly ok: true; readonly links: readonly LinkRef[] }
  | { readonly ok: false; readonly problem: ChainProblem };

/** The raw `auth:` tables the walk reads (untrusted: entries may have any shape). */
export interface AuthTables {
  providers?: Record<string, unknown> | null;
  identities?: Record<string, unknown> | null;
}

type Step =
  | { readonly kind: "root" }
  | { readonly kind: "provider"; readonly name: string }
  | { readonly kind: "identity"; readonly name: string }
  | { readonly kind: "problem"; readonly problem: ChainProblem };

/** `via` links of a configuration, resolved once per identity. */
export class ViaGraph {
  readonly #providers: Record<string, unknown>;
  readonly #identities: Record<string, unknown>;
  readonly #isStandalone: (kind: unknown) => boolean;
  readonly #providerNames: NameIndex;
  readonly #identityNames: NameIndex;
  /** identity → its own next step (one hop). */
  readonly #steps = new Map<string, Step>();
  /** identity → the first problem on its way to the root, or null when its chain is sound. */
  readonly #status = new Map<string, ChainProblem | null>();

  /**
   * @param isStandalone true for identity kinds that start a chain themselves (no `via`).
   */
  constructor(auth: AuthTables, isStandalone: (kind: unknown) => boolean) {
    this.#providers = isTable(auth.providers) ? auth.providers : {};
    this.#identities = isTable(auth.identities) ? auth.identities : {};
    this.#isStandalone = isStandalone;
    this.#providerNames = new NameIndex(this.#providers);
    this.#identityNames = new NameIndex(this.#identities);
  }

  /** Resolves an identity name as a user or a `via.identity` wrote it. */
  lookupIdentity(name: string): NameLookup {
    return this.#identityNames.lookup(name);
  }

  /** Resolves a provider name as a user or a `via.provider` wrote it. */
  lookupProvider(name: string): NameLookup {
    return this.#providerNames.lookup(name);
  }

  /** The problem with `identity`'s own `via` (one hop), if any. */
  localProblem(identity: string): ChainProblem | undefined {
    const step = this.#step(identity);
    return step.kind === "problem" && step.problem.type !== "cycle" ? step.problem : undefined;
  }

  /**
   * The first problem on the way from `identity` (a configured name) to its root, or
   * `undefined` when its chain is sound. Linear over all identities (memoised, iterative).
   */
  problemOf(identity: string): ChainProblem | undefined {
    if (!this.#status.has(identity)) this.#settle(identity);
    return this.#status.get(identity) ?? undefined;
  }

  /** Every distinct cycle among the identities, each once, in document order of its start. */
  cycles(): ChainProblem[] {
    const seen = new Set<string>();
    const out: ChainProblem[] = [];
    for (const name of Object.keys(this.#identities)) {
      const problem = this.problemOf(name);
      if (problem?.type !== "cycle") continue;
      const key = [...new Set(problem.names)].sort().join("\n");
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(problem);
    }
    return out;
  }

  /** The chain `[root, …, identity]` for a configured identity name, or its first problem. */
  chain(identity: string): ChainResult {
    const problem = this.problemOf(identity);
    if (problem) return { ok: false, problem };
    const links: LinkRef[] = [];
    let name: string | undefined = identity;
    while (name !== undefined) {
      links.push({ role: "identity", name });
      const step = this.#step(name);
      name = undefined;
      if (step.kind === "identity") name = step.name;
      else if (step.kind === "provider") links.push({ role: "provider", name: step.name });
    }
    return { ok: true, links: links.reverse() };
  }

  /** Follows steps from `start` until a settled identity, then settles the path backwards. */
  #settle(start: string): void {
    const path: string[] = [];
    const onPath = new Set<string>();
    let name = start;
    let result: ChainProblem | null = null;
    while (true) {
      if (this.#status.has(name)) {
        result = this.#status.get(name)!;
        break;
      }
      if (onPath.has(name)) {
        const loop = path.slice(path.indexOf(name));
        result = { type: "cycle", names: [...loop, name] };
        // Every identity on the loop has the loop as its problem; those before it too.
        break;
      }
      path.push(name);
      onPath.add(name);
      const step = this.#step(name);
      if (step.kind === "identity") {
        name = step.name;
        continue;
      }
      result = step.kind === "problem" ? step.problem : null;
      break;
    }
    for (const visited of path) this.#status.set(visited, result);
  }

  #step(identity: string): Step {
    let step = this.#steps.get(identity);
    if (!step) {
      step = this.#readStep(identity);
      this.#steps.set(identity, step);
    }
    return step;
  }

  #readStep(identity: string): Step {
    const entry = this.#identities[identity];
    if (!isTable(entry)) return { kind: "problem", problem: { type: "not-a-map", from: identity } };
    // An identity discovered by a provider may name it in `provider:` instead of a via.
    const via = entry.via ??
      (typeof entry.provider === "string" && !this.#isStandalone(entry.kind)
        ? { provider: entry.provider }
        : undefined);
    const hasVia = via !== undefined && via !== null;
    if (!hasVia) {
      if (this.#isStandalone(entry.kind)) return { kind: "root" };
      return { kind: "problem", problem: { type: "no-via", from: identity } };
    }
    if (!isTable(via)) return { kind: "problem", problem: { type: "bad-via", from: identity } };
    const provider = present(via.provider);
    const next = present(via.identity);
    if (provider && next) {
      return { kind: "problem", problem: { type: "both-via", from: identity } };
    }
    if (!provider && !next) {
      if (this.#isStandalone(entry.kind)) return { kind: "root" };
      return { kind: "problem", problem: { type: "no-via", from: identity } };
    }
    const key = provider ? "provider" : "identity";
    const ref = via[key];
    if (typeof ref !== "string") {
      return { kind: "problem", problem: { type: "bad-via", from: identity } };
    }
    const lookup = key === "provider" ? this.lookupProvider(ref) : this.lookupIdentity(ref);
    if ("found" in lookup) return { kind: key, name: lookup.found };
    const type = "ambiguous" in lookup ? "ambiguous" : "unknown";
    const candidates = "ambiguous" in lookup ? lookup.ambiguous : undefined;
    return { kind: "problem", problem: { type, from: identity, key, ref, candidates } };
  }
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
