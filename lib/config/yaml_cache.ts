/**
 * A cache of YAML parses on disk, so that a run whose `atmos.yaml` (and its imports) did not
 * change skips the YAML parser altogether — loading and running it cold is most of a warm
 * `auth exec`'s time (README, "Benchmarks").
 *
 * One JSON file per source file, named by the SHA-256 of its path, holding the SHA-256 of the
 * text it was parsed from, the atmos version and the {@linkcode YamlSnapshot}. An entry is used
 * only when all three match, so an edited file, another atmos version or a damaged entry is a
 * miss, never an error. Only the parse is kept: tags (`!env`, `!exec`, `!include`) are always
 * evaluated anew. Entries hold what the config file holds (0600 files in the 0700 config dir).
 *
 * Hand-written: a few lines over `crypto.subtle` and the sandboxed writer; no library caches
 * parses for the `yaml` package.
 *
 * @module
 */

import type { YamlParseCache } from "./yaml.ts";
import { isSnapshot, type YamlSnapshot } from "./yaml_snapshot.ts";

/** Bump when the snapshot's shape or the parser's options change. */
const FORMAT = 1;

/** Options for {@linkcode createYamlParseCache}. */
export interface YamlParseCacheOptions {
  /** Directory of the entries (under the config dir, so the sandboxed writer may write it). */
  dir: string;
  /** The atmos version: entries of another version are not used. */
  version: string;
  /**
   * Stores an entry (atomically, 0600). Called during loading; the caller decides when to
   * write — atmos writes them before its first child process, through the sandboxed writer.
   */
  save(path: string, data: string): void;
  /** Debug log: which files came from the cache. */
  debug?(message: string): void;
}

interface Entry {
  format: number;
  atmos: string;
  file: string;
  sha256: string;
  snapshot: YamlSnapshot;
}

/** A {@linkcode YamlParseCache} of JSON files in `options.dir`. */
export function createYamlParseCache(options: YamlParseCacheOptions): YamlParseCache {
  const entryPath = async (file: string) =>
    `${options.dir}/${(await sha256Hex(file)).slice(0, 40)}.json`;
  return {
    async get(file, text) {
      let entry: Partial<Entry>;
      try {
        entry = JSON.parse(Deno.readTextFileSync(await entryPath(file)));
      } catch {
        return undefined;
      }
      if (
        entry?.format !== FORMAT || entry.atmos !== options.version || entry.file !== file ||
        entry.sha256 !== await sha256Hex(text) || !isSnapshot(entry.snapshot)
      ) {
        options.debug?.(`config: ${file} changed since its cached parse`);
        return undefined;
      }
      options.debug?.(`config: parse of ${file} from the cache`);
      return entry.snapshot;
    },
    async put(file, text, snapshot) {
      const entry: Entry = {
        format: FORMAT,
        atmos: options.version,
        file,
        sha256: await sha256Hex(text),
        snapshot,
      };
      options.save(await entryPath(file), JSON.stringify(entry));
    },
  };
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
