/**
 * A cache of YAML parses on disk, so that a run whose `atmos.yaml` (and its imports) did not
 * change skips the YAML parser altogether — loading and running it cold is most of a warm
 * `auth exec`'s time (README, "Benchmarks").
 *
 * One JSON file per source file, named by a hash of its path, holding the path, the text it was
 * parsed from, the atmos version and the {@linkcode YamlSnapshot}. An entry is used only when
 * path, text and version match, so an edited file, another atmos version, a damaged entry or
 * two paths with the same hash are a miss, never an error. Only the parse is kept: tags
 * (`!env`, `!exec`, `!include`) are always evaluated anew. Entries hold what the config file
 * holds (0600 files in the 0700 config dir). No cryptographic hash is needed (the text itself is
 * compared), which keeps `crypto.subtle`'s first use (~1 ms) off the warm path.
 *
 * Hand-written: a few lines over the sandboxed writer; no library caches parses for `yaml`.
 *
 * @module
 */

import type { YamlParseCache } from "./yaml.ts";
import { isSnapshot, type YamlSnapshot } from "./yaml_snapshot.ts";
import { fnv1a64Hex } from "../fnv1a.ts";

/** Bump when the entry's or the snapshot's shape, or the parser's options change. */
const FORMAT = 3;

/** Options for {@linkcode createYamlParseCache}. */
export interface YamlParseCacheOptions {
  /** Directory of the entries (under the config dir, so the sandboxed writer may write it). */
  dir: string;
  /** The atmos version: entries of another version are not used. */
  version: string;
  /**
   * Stores an entry (atomically, 0600). Called during loading; the caller decides when to
   * write — atmos writes them before its first child process, through the sandboxed writer.
   * `data` renders the entry: called only when it is written (a large configuration's entry
   * costs a noticeable time to render, wasted by commands that never write).
   */
  save(path: string, data: () => string): void;
  /** Debug log: which files came from the cache. */
  debug?(message: string): void;
}

interface Entry {
  format: number;
  atmos: string;
  file: string;
  text: string;
  snapshot: YamlSnapshot;
}

/** A {@linkcode YamlParseCache} of JSON files in `options.dir`. */
export function createYamlParseCache(options: YamlParseCacheOptions): YamlParseCache {
  const entryPath = (file: string) => `${options.dir}/${fnv1a64Hex(file)}.json`;
  return {
    get(file, text) {
      let entry: Partial<Entry>;
      try {
        entry = JSON.parse(Deno.readTextFileSync(entryPath(file)));
      } catch {
        return undefined;
      }
      if (
        entry?.format !== FORMAT || entry.atmos !== options.version || entry.file !== file ||
        entry.text !== text || !isSnapshot(entry.snapshot)
      ) {
        options.debug?.(`config: ${file} changed since its cached parse`);
        return undefined;
      }
      options.debug?.(`config: parse of ${file} from the cache`);
      return entry.snapshot;
    },
    put(file, text, snapshot) {
      const entry: Entry = { format: FORMAT, atmos: options.version, file, text, snapshot };
      options.save(entryPath(file), () => JSON.stringify(entry));
    },
  };
}
