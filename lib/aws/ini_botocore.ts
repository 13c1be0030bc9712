/**
 * Reading an INI file the way every AWS client a child runs reads it: botocore (boto3, the AWS
 * CLI) parses `~/.aws/credentials` and `~/.aws/config` with Python's
 * `configparser.RawConfigParser()` in its default, strict mode, then splits nested values
 * (`botocore/configloader.py`, `raw_config_parse`). A file it cannot parse makes every client
 * fail with `ConfigParseError`, so atmos must never call such a file a valid cache.
 *
 * The rules, from CPython 3.11's `RawConfigParser._read` and botocore 1.29–1.43:
 * - the text is UTF-8 (a `UnicodeDecodeError` is a parse error) and lines end at `\n`, `\r\n`
 *   or `\r` (universal newlines);
 * - a line whose stripped text starts with `#` or `;` is a comment; there are no inline comments;
 * - a line indented deeper than the line that started the current option continues its value
 *   (blank lines inside a value are kept; comments are skipped and do not end it);
 * - `[<anything>]` at the start of a stripped line is a section header (the name is up to the
 *   last `]`; text after it is ignored); `[DEFAULT]` holds defaults for every section;
 * - any other line needs a section above it (`MissingSectionHeaderError`) and must be
 *   `option = value` or `option : value` with a non-empty option (else `ParsingError`);
 * - a section twice, or an option twice in a section (option names compare lower-cased), is an
 *   error (`DuplicateSectionError`, `DuplicateOptionError`);
 * - a value that starts with a line break holds nested `key = value` lines; one without `=` is
 *   an error.
 *
 * Hand-written: no npm package parses INI with Python's rules (the `ini` package accepts all of
 * the above and more); a differential test runs Python's own parser on generated files.
 *
 * @module
 */

/** A section as botocore sees it: options (lower-case names) and values, joined and stripped. */
export interface BotocoreSection {
  readonly options: ReadonlyMap<string, string>;
  /** Comment lines directly above the header (no other line in between), raw. */
  readonly comments: readonly string[];
}

/** The outcome of {@linkcode parseBotocoreIni}. */
export type BotocoreIni =
  | {
    readonly ok: true;
    /** Sections by their exact name (section names are case-sensitive). */
    readonly sections: ReadonlyMap<string, BotocoreSection>;
    /** Options of `[DEFAULT]`: every section sees them unless it sets its own. */
    readonly defaults: ReadonlyMap<string, string>;
  }
  | {
    readonly ok: false;
    /** Why botocore would refuse the file, e.g. `line 4: duplicate section "dev"`. */
    readonly problem: string;
  };

/** Parses `bytes` with botocore's rules. Never throws. */
export function parseBotocoreIni(bytes: Uint8Array): BotocoreIni {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return { ok: false, problem: "it is not UTF-8 text" };
  }
  return parseBotocoreText(text);
}

interface OpenSection {
  options: Map<string, string[] | null>;
  comments: string[];
}

/** {@linkcode parseBotocoreIni} for text already decoded. */
export function parseBotocoreText(text: string): BotocoreIni {
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  const sections = new Map<string, OpenSection>();
  const defaults: OpenSection = { options: new Map(), comments: [] };
  const added = new Set<string>();
  let current: OpenSection | undefined;
  let sectionName = "";
  let option: string | undefined;
  let indentLevel = 0;
  let pendingComments: string[] = [];
  let problem: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    const number = index + 1;
    const stripped = pyStrip(line);
    if (stripped.startsWith("#") || stripped.startsWith(";")) {
      pendingComments.push(line);
      continue;
    }
    if (stripped === "") {
      pendingComments = [];
      // A blank line inside a value is kept (it may end up trailing, then stripped).
      const values = current && option ? current.options.get(option) : undefined;
      if (values) values.push("");
      continue;
    }
    const comments = pendingComments;
    pendingComments = [];
    const indent = firstNonSpace(line);
    if (current && option && indent > indentLevel) {
      current.options.get(option)?.push(stripped);
      continue;
    }
    indentLevel = indent;
    const header = /^\[(.+)\]/s.exec(stripped);
    if (header) {
      // Greedy, as Python's `\[(?P<header>.+)\]`: the name runs to the last "]".
      sectionName = header[1];
      option = undefined;
      if (sectionName === "DEFAULT") {
        current = defaults;
        continue;
      }
      if (added.has(sectionName)) {
        return { ok: false, problem: `line ${number}: duplicate section "${sectionName}"` };
      }
      added.add(sectionName);
      current = { options: new Map(), comments };
      sections.set(sectionName, current);
      continue;
    }
    if (!current) {
      return { ok: false, problem: `line ${number}: a setting before the first [section]` };
    }
    // The option runs to the first "=" or ":" (Python's `(?P<option>.*?)\s*(?P<vi>=|:)`).
    const delimiter = stripped.search(/[=:]/);
    const name = delimiter < 0 ? "" : pyRstrip(stripped.slice(0, delimiter));
    if (name === "") {
      problem ??= `line ${number}: not a "name = value" line`;
      option = undefined;
      continue;
    }
    option = name.toLowerCase();
    const key = `${sectionName}\0${option}`;
    if (added.has(key)) {
      return {
        ok: false,
        problem: `line ${number}: duplicate setting "${option}" in [${sectionName}]`,
      };
    }
    added.add(key);
    current.options.set(option, [pyStrip(stripped.slice(delimiter + 1))]);
  }
  if (problem) return { ok: false, problem };
  const joined = new Map<string, BotocoreSection>();
  // botocore reads `[DEFAULT]`'s values through the sections (none: never read).
  const defaultOptions = joinValues(defaults.options, sections.size > 0);
  if (typeof defaultOptions === "string") return { ok: false, problem: defaultOptions };
  for (const [name, section] of sections) {
    const options = joinValues(section.options, true);
    if (typeof options === "string") return { ok: false, problem: options };
    joined.set(name, { options, comments: section.comments });
  }
  return { ok: true, sections: joined, defaults: defaultOptions };
}

/** A section's options with `[DEFAULT]`'s beneath them, as `configparser` hands them out. */
export function optionsOf(ini: BotocoreIni & { ok: true }, section: string): Map<string, string> {
  const own = ini.sections.get(section);
  const out = new Map(ini.defaults);
  for (const [key, value] of own?.options ?? []) out.set(key, value);
  return out;
}

/** Joined values (`\n` between lines, trailing space removed); a problem for bad nesting. */
function joinValues(
  options: Map<string, string[] | null>,
  nested: boolean,
): Map<string, string> | string {
  const out = new Map<string, string>();
  for (const [name, lines] of options) {
    const value = pyRstrip((lines ?? []).join("\n"));
    if (nested && value.startsWith("\n")) {
      // botocore's _parse_nested: every non-blank line must be `key = value`.
      for (const nested of value.split(PY_LINE_BREAKS)) {
        if (pyStrip(nested) !== "" && !nested.includes("=")) {
          return `the nested value of "${name}" has a line without "="`;
        }
      }
    }
    out.set(name, value);
  }
  return out;
}

/** Where Python's `str.splitlines()` splits (botocore splits nested values with it). */
// deno-lint-ignore no-control-regex
export const PY_LINE_BREAKS = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/**
 * Python's whitespace (`str.isspace`), for one UTF-16 code unit (all of it is in the BMP): not
 * JavaScript's `\s`, which also counts U+FEFF. Loops, not regular expressions: every line of
 * every file read passes here on a warm run, where a regex's first use (compiling, then scanning
 * a 1 KB session token for trailing space) cost milliseconds.
 */
function isPySpace(code: number): boolean {
  return (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x20) || code === 0x85 ||
    code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 ||
    code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000;
}

function pyStrip(text: string): string {
  return pyRstrip(text.slice(firstNonSpace(text)));
}

function pyRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPySpace(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

/** Index of the first non-space character; the length when there is none. */
function firstNonSpace(line: string): number {
  let index = 0;
  while (index < line.length && isPySpace(line.charCodeAt(index))) index++;
  return index;
}
