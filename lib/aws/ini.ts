/**
 * A line-preserving INI codec for `~/.aws/config`-style files.
 *
 * Hand-written because npm `ini` quotes values containing `=` (corrupting base64 session tokens
 * for every AWS SDK), backslash-escapes `;`/`#`, splits `[profile a.b]` on the dot and drops
 * comments (docs: deno.md §2.2). Here every line is kept raw: only the sections you set or remove
 * change, everything else round-trips byte for byte. Values are raw too (no quotes, no escapes,
 * no inline-comment stripping), the way botocore's `RawConfigParser` reads them.
 *
 * @module
 */

/** One `[name]` section with its raw lines. */
export interface IniSection {
  /**
   * The name between the first `[` and the last `]`, as botocore reads it (not trimmed: `[ a ]`
   * is the profile " a "): `default`, `profile dev`, `sso-session corp`.
   */
  name: string;
  /** Raw comment lines immediately above the header (no blank line in between). */
  comments: string[];
  /** The raw header line. */
  header: string;
  /** Raw lines after the header up to the next section's comments or header. */
  body: string[];
}

/** A parsed INI file. Plain data: build new documents with {@linkcode parseIni}(""). */
export interface IniDocument {
  /** Raw lines before the first section (minus the first section's comments). */
  preamble: string[];
  sections: IniSection[];
  /** Whether the text ended with a line break. */
  finalNewline: boolean;
}

/** Options for {@linkcode setSection}. */
export interface SetSectionOptions {
  /**
   * Comment text written as `; <comment>` directly above the header, e.g.
   * `atmos: expiration=2026-08-20T18:04:05Z`, or several such lines in order. Previous
   * `; atmos:` comments of the section are always removed, so omitting this clears them.
   */
  comment?: string | readonly string[];
}

/** Python's `configparser` header: `[`, then anything up to the last `]`, after any indent. */
const HEADER = /^\s*\[(.+)\]/s;
const COMMENT = /^\s*[;#]/;
const ATMOS_COMMENT = /^\s*[;#]\s*atmos:/;
const ENTRY = /^([^=]*?)\s*=\s*(.*?)\s*$/;

/** Parses INI text. Never throws: lines that are not sections or `key = value` are kept as is. */
export function parseIni(text: string): IniDocument {
  const lines = text.split("\n");
  const finalNewline = lines.length > 1 && lines[lines.length - 1] === "";
  if (finalNewline || text === "") lines.pop();
  const doc: IniDocument = { preamble: [], sections: [], finalNewline };
  let current = doc.preamble;
  for (const line of lines) {
    const match = HEADER.exec(stripCr(line));
    if (match === null) {
      current.push(line);
      continue;
    }
    const comments = takeTrailingComments(current);
    const section: IniSection = { name: match[1], comments, header: line, body: [] };
    doc.sections.push(section);
    current = section.body;
  }
  return doc;
}

/** Renders a document; an unmodified document gives back the parsed text exactly. */
export function stringifyIni(doc: IniDocument): string {
  const lines = [...doc.preamble];
  for (const section of doc.sections) {
    lines.push(...section.comments, section.header, ...section.body);
  }
  if (lines.length === 0) return "";
  return lines.join("\n") + (doc.finalNewline ? "\n" : "");
}

/**
 * Returns the `key = value` entries of a section (keys and values trimmed, values otherwise raw),
 * or `undefined` when there is no such section. Indented lines under a key with an empty value
 * become `parent.child` keys, as the AWS SDKs read them. Repeated sections merge; later keys win.
 */
export function getSection(doc: IniDocument, name: string): Record<string, string> | undefined {
  const matches = doc.sections.filter((section) => section.name === name);
  if (matches.length === 0) return undefined;
  const entries: Record<string, string> = {};
  for (const section of matches) readEntries(section.body, entries);
  return entries;
}

/**
 * Replaces the section `name` (keeping its position, header line and trailing blank lines) or
 * appends it. Entries are written `key = value`, raw. Later sections with the same name are
 * removed. Throws `TypeError` for a value, key, name or comment that would break the file.
 */
export function setSection(
  doc: IniDocument,
  name: string,
  entries: Record<string, string>,
  options: SetSectionOptions = {},
): void {
  validateName(name);
  const cr = carriageReturn(doc);
  const body: string[] = [];
  for (const [key, value] of Object.entries(entries)) {
    validateKey(key);
    validateValue(key, value);
    body.push(`${key} = ${value}${cr}`);
  }
  const texts = options.comment === undefined ? [] : [options.comment].flat();
  for (const text of texts) validateValue("comment", text);
  const comment = texts.map((text) => `; ${text}${cr}`);

  const index = doc.sections.findIndex((section) => section.name === name);
  if (index === -1) {
    appendSection(doc, { name, comments: comment, header: `[${name}]${cr}`, body }, cr);
    return;
  }
  const section = doc.sections[index];
  section.comments = [...section.comments.filter((line) => !ATMOS_COMMENT.test(line)), ...comment];
  section.body = [...body, ...trailingBlankLines(section.body)];
  doc.sections = doc.sections.filter((other, i) => i <= index || other.name !== name);
}

/** Removes every section called `name` with its comments; returns whether one existed. */
export function removeSection(doc: IniDocument, name: string): boolean {
  const before = doc.sections.length;
  doc.sections = doc.sections.filter((section) => section.name !== name);
  return doc.sections.length !== before;
}

function appendSection(doc: IniDocument, section: IniSection, cr: string): void {
  const previous = doc.sections.at(-1);
  const lastLine = previous ? previous.body.at(-1) ?? previous.header : doc.preamble.at(-1);
  if (lastLine !== undefined && stripCr(lastLine).trim() !== "") {
    (previous ? previous.body : doc.preamble).push(cr);
  }
  doc.sections.push(section);
  doc.finalNewline = true;
}

/** `"\r"` when the document uses CRLF line breaks, so that added lines match. */
function carriageReturn(doc: IniDocument): string {
  const first = doc.preamble[0] ?? doc.sections[0]?.comments[0] ?? doc.sections[0]?.header;
  return first?.endsWith("\r") ? "\r" : "";
}

function readEntries(body: string[], into: Record<string, string>): void {
  let parent: string | undefined;
  for (const raw of body) {
    const line = stripCr(raw);
    if (line.trim() === "" || COMMENT.test(line)) continue;
    const match = ENTRY.exec(line);
    if (match === null) continue;
    const key = match[1].trim();
    if (/^\s/.test(line) && parent !== undefined) {
      into[`${parent}.${key}`] = match[2];
      continue;
    }
    into[key] = match[2];
    parent = match[2] === "" ? key : undefined;
  }
}

function takeTrailingComments(lines: string[]): string[] {
  let start = lines.length;
  while (start > 0 && COMMENT.test(stripCr(lines[start - 1]))) start--;
  return lines.splice(start);
}

function trailingBlankLines(lines: string[]): string[] {
  let start = lines.length;
  while (start > 0 && stripCr(lines[start - 1]).trim() === "") start--;
  return lines.slice(start);
}

function stripCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}

function validateName(name: string): void {
  if (name.trim() !== name || name === "" || /[\]\[\r\n]/.test(name)) {
    throw new TypeError(`Invalid INI section name ${JSON.stringify(name)}`);
  }
}

function validateKey(key: string): void {
  if (key.trim() !== key || key === "" || /[=\r\n\[]/.test(key) || /^[;#]/.test(key)) {
    throw new TypeError(`Invalid INI key ${JSON.stringify(key)}`);
  }
}

function validateValue(key: string, value: string): void {
  // The value is not shown: it may be a secret.
  if (typeof value !== "string" || /[\r\n]/.test(value)) {
    throw new TypeError(`Invalid INI value for "${key}": it must be a string without line breaks`);
  }
}
