/**
 * Sprig's regular expressions: `regexMatch regexReplaceAll regexFind regexFindAll`.
 * Patterns are Go RE2 syntax, translated to JavaScript (`u` flag): `(?P<n>…)`, leading
 * `(?ims)`, `\z`, `\A`, `\Q…\E`, POSIX classes, `\x{…}`, Go's `\s`; what RE2 rejects
 * (lookaround, backreferences, atomic groups) is an error here too, with Go's message.
 * Replacement templates use Go's `$1`/`${name}` expansion; matching follows Go's rules
 * for empty matches. Hand-written: RE2 packages on npm are native addons or multi-MB WASM.
 *
 * @module
 */

import type { FuncSpec } from "../func_spec.ts";
import { LruCache } from "../cache.ts";

const compiled = new LruCache<string, RegExp>(128);

/** A pattern RE2 does not accept: Go's `regexp.MustCompile` panic text. */
function rejected(pattern: string, reason: string, hint = ""): Error {
  const quoted = pattern.includes("`") ? JSON.stringify(pattern) : "`" + pattern + "`";
  return new Error(
    `regexp: Compile(${quoted}): error parsing regexp: ${reason}${hint ? ` (${hint})` : ""}`,
  );
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

const GENERAL_CATEGORY =
  /^(C|Cc|Cf|Co|Cs|L|Ll|Lm|Lo|Lt|Lu|M|Mc|Me|Mn|N|Nd|Nl|No|P|Pc|Pd|Pe|Pf|Pi|Po|Ps|S|Sc|Sk|Sm|So|Z|Zl|Zp|Zs)$/;
const JS_SYNTAX = "^$\\.*+?()[]{}|/";
const GO_SPACE_CLASS = "\\t\\n\\f\\r ";

/** Translates an RE2 pattern to a JavaScript `RegExp` (cached). */
export function compileGoRegex(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    const { source, flags } = new Translator(pattern).run();
    try {
      re = new RegExp(source, flags + "gu");
    } catch (error) {
      throw rejected(
        pattern,
        (error as Error).message.replace(/^Invalid regular expression: /, ""),
      );
    }
    compiled.set(pattern, re);
  }
  return re;
}

class Translator {
  readonly pattern: string;
  i = 0;
  out = "";
  inClass = false;
  /** For each open group: how many extra `)` close its inline flags. */
  groups: number[] = [];
  flags = "";

  constructor(pattern: string) {
    this.pattern = pattern;
  }

  run(): { source: string; flags: string } {
    this.leadingFlags();
    while (this.i < this.pattern.length) this.step();
    if (this.groups.length > 0) {
      throw rejected(this.pattern, `missing closing ): \`${this.pattern}\``);
    }
    return { source: this.out, flags: this.flags };
  }

  leadingFlags(): void {
    const m = /^\(\?([imsU]+)\)/.exec(this.pattern);
    if (!m) return;
    if (m[1].includes("U")) throw this.unsupported("(?U", "ungreedy mode is not supported");
    this.flags = [...new Set(m[1])].join("");
    this.i = m[0].length;
  }

  unsupported(what: string, hint: string): Error {
    return rejected(this.pattern, `invalid or unsupported Perl syntax: \`${what}\``, hint);
  }

  step(): void {
    const ch = this.pattern[this.i];
    if (ch === "\\") return this.escape();
    if (this.inClass) return this.classChar(ch);
    switch (ch) {
      case "[":
        return this.openClass();
      case "(":
        return this.openGroup();
      case ")":
        this.out += ")".repeat((this.groups.pop() ?? 0) + 1);
        this.i++;
        return;
      case "{":
        return this.brace();
      case "}":
        this.out += "\\}";
        this.i++;
        return;
    }
    this.out += ch;
    this.i++;
  }

  openClass(): void {
    this.inClass = true;
    this.out += "[";
    this.i++;
    if (this.pattern[this.i] === "^") {
      this.out += "^";
      this.i++;
    }
    if (this.pattern[this.i] === "]") {
      this.out += "\\]";
      this.i++;
    }
  }

  classChar(ch: string): void {
    if (ch === "]") {
      this.inClass = false;
      this.out += "]";
      this.i++;
      return;
    }
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.pattern.slice(this.i));
    if (posix && POSIX_CLASSES[posix[2]] !== undefined) {
      if (posix[1]) throw this.unsupported(posix[0], "negated POSIX classes are not supported");
      this.out += POSIX_CLASSES[posix[2]];
      this.i += posix[0].length;
      return;
    }
    this.out += ch === "[" || ch === "/" ? "\\" + ch : ch;
    this.i++;
  }

  openGroup(): void {
    const rest = this.pattern.slice(this.i);
    if (!rest.startsWith("(?")) {
      this.groups.push(0);
      this.out += "(";
      this.i++;
      return;
    }
    const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
    if (named) {
      this.groups.push(0);
      this.out += `(?<${named[1]}>`;
      this.i += named[0].length;
      return;
    }
    if (rest.startsWith("(?<") || rest.startsWith("(?=") || rest.startsWith("(?!")) {
      throw this.unsupported(rest.slice(0, 3), "Go's RE2 has no lookaround");
    }
    const flagged = /^\(\?([imsU]*)(?:-([imsU]*))?(:|\))/.exec(rest);
    if (!flagged || (flagged[1] === "" && flagged[2] === undefined && flagged[3] === ")")) {
      throw this.unsupported(rest.slice(0, 3), "not RE2 syntax");
    }
    if ((flagged[1] + (flagged[2] ?? "")).includes("U")) {
      throw this.unsupported("(?U", "ungreedy mode is not supported");
    }
    this.i += flagged[0].length;
    this.inlineFlags(flagged[1], flagged[2], flagged[3] === ")");
  }

  /** `(?i:…)` maps to a modifier group; `(?i)` only right after `(` (it lasts to the `)`). */
  inlineFlags(on: string, off: string | undefined, bare: boolean): void {
    const modifier = `(?${on}${off ? "-" + off : ""}:`;
    if (!bare) {
      this.groups.push(0);
      this.out += on === "" && !off ? "(?:" : modifier;
      return;
    }
    const atGroupStart = this.out.endsWith("(") ||
      /\(\?<[A-Za-z0-9_]+>$|\(\?[ims-]*:$/.test(this.out);
    if (this.groups.length === 0 || !atGroupStart) {
      throw this.unsupported(`(?${on})`, "put flags at the start of the pattern or of a group");
    }
    this.groups[this.groups.length - 1]++;
    this.out += modifier;
  }

  brace(): void {
    const quantifier = /^\{(\d+)(,(\d*))?\}/.exec(this.pattern.slice(this.i));
    if (quantifier && this.out !== "" && !/[(|]$/.test(this.out)) {
      this.out += quantifier[0];
      this.i += quantifier[0].length;
      return;
    }
    this.out += "\\{";
    this.i++;
  }

  escape(): void {
    const next = this.pattern[this.i + 1];
    if (next === undefined) {
      throw rejected(this.pattern, "trailing backslash at end of expression: ``");
    }
    this.i += 2;
    if (next >= "1" && next <= "9" && !/^[0-7]/.test(this.pattern.slice(this.i))) {
      throw rejected(
        this.pattern,
        `invalid escape sequence: \`\\${next}\``,
        "RE2 has no backreferences",
      );
    }
    if (next >= "0" && next <= "7") return this.octal(next);
    switch (next) {
      case "x":
        return this.hexEscape();
      case "Q":
        return this.quoted();
      case "p":
      case "P":
        return this.property(next);
      case "z":
        return this.anchor("(?![\\s\\S])");
      case "A":
        return this.anchor("(?<![\\s\\S])");
      case "s":
        this.out += this.inClass ? GO_SPACE_CLASS : `[${GO_SPACE_CLASS}]`;
        return;
      case "S":
        if (this.inClass) throw this.unsupported("\\S", "use [^…] outside a class instead");
        this.out += `[^${GO_SPACE_CLASS}]`;
        return;
      case "a":
        this.out += "\\x07";
        return;
    }
    if ("dDwWbBntrfv".includes(next)) {
      this.out += "\\" + next;
      return;
    }
    if (/[A-Za-z0-9]/.test(next)) {
      throw rejected(this.pattern, `invalid escape sequence: \`\\${next}\``);
    }
    if (JS_SYNTAX.includes(next) || (this.inClass && next === "-")) this.out += "\\" + next;
    else this.out += next;
  }

  anchor(replacement: string): void {
    if (this.inClass) throw rejected(this.pattern, "invalid escape sequence in class");
    this.out += replacement;
  }

  octal(first: string): void {
    const more = /^[0-7]{0,2}/.exec(this.pattern.slice(this.i))?.[0] ?? "";
    this.i += more.length;
    this.out += `\\u{${parseInt(first + more, 8).toString(16)}}`;
  }

  hexEscape(): void {
    const rest = this.pattern.slice(this.i);
    const m = /^\{([0-9A-Fa-f]+)\}|^([0-9A-Fa-f]{2})/.exec(rest);
    if (!m) throw rejected(this.pattern, `invalid escape sequence: \`\\x${rest.slice(0, 2)}\``);
    this.i += m[0].length;
    this.out += `\\u{${(m[1] ?? m[2]).replace(/^0+(?=.)/, "")}}`;
  }

  quoted(): void {
    const end = this.pattern.indexOf("\\E", this.i);
    const literal = this.pattern.slice(this.i, end < 0 ? undefined : end);
    this.i = end < 0 ? this.pattern.length : end + 2;
    for (const ch of literal) this.out += JS_SYNTAX.includes(ch) || ch === "-" ? "\\" + ch : ch;
  }

  property(letter: string): void {
    const m = /^\{(\^?)([A-Za-z_]+)\}|^([A-Za-z])/.exec(this.pattern.slice(this.i));
    if (!m) throw rejected(this.pattern, `invalid character class range: \`\\${letter}\``);
    this.i += m[0].length;
    const negate = (letter === "P") !== (m[1] === "^");
    const name = m[2] ?? m[3];
    const body = name === "Any" ? "Any" : GENERAL_CATEGORY.test(name) ? name : `Script=${name}`;
    this.out += `\\${negate ? "P" : "p"}{${body}}`;
  }
}

/** One match: `[start, end]` and the groups (undefined when a group did not take part). */
interface Match {
  start: number;
  end: number;
  groups: (string | undefined)[];
  named: Record<string, string | undefined>;
}

/** Next match at or after `pos`, or undefined. */
function execAt(re: RegExp, text: string, pos: number): Match | undefined {
  re.lastIndex = pos;
  const m = re.exec(text);
  if (!m) return undefined;
  return { start: m.index, end: m.index + m[0].length, groups: [...m], named: m.groups ?? {} };
}

/** Width of the character at `pos` in UTF-16 units (at least 1). */
function charWidth(text: string, pos: number): number {
  const c = text.codePointAt(pos);
  return c !== undefined && c > 0xffff ? 2 : 1;
}

/** Go's `FindAllString` match sequence (`n` < 0 means all). */
function findAll(re: RegExp, text: string, n: number): Match[] {
  const out: Match[] = [];
  let prevEnd = -1;
  for (let pos = 0; (n < 0 || out.length < n) && pos <= text.length;) {
    const m = execAt(re, text, pos);
    if (!m) break;
    let accept = true;
    if (m.end === pos) {
      if (m.start === prevEnd) accept = false;
      pos += charWidth(text, pos);
    } else {
      pos = m.end;
    }
    prevEnd = m.end;
    if (accept) out.push(m);
  }
  return out;
}

/** Go's `ReplaceAllString`: `$1`, `${1}`, `$name`, `${name}` and `$$` in the replacement. */
function replaceAll(re: RegExp, text: string, template: string): string {
  let out = "";
  let lastEnd = 0;
  for (let pos = 0; pos <= text.length;) {
    const m = execAt(re, text, pos);
    if (!m) break;
    out += text.slice(lastEnd, m.start);
    if (m.end > lastEnd || m.start === 0) out += expand(template, m);
    lastEnd = m.end;
    const width = charWidth(text, pos);
    if (pos + width > m.end) pos += width;
    else if (pos + 1 > m.end) pos++;
    else pos = m.end;
  }
  return out + text.slice(lastEnd);
}

/** Go's `Regexp.Expand` for one match. */
function expand(template: string, m: Match): string {
  let out = "";
  let rest = template;
  for (;;) {
    const dollar = rest.indexOf("$");
    if (dollar < 0) return out + rest;
    out += rest.slice(0, dollar);
    rest = rest.slice(dollar + 1);
    if (rest[0] === "$") {
      out += "$";
      rest = rest.slice(1);
      continue;
    }
    const ref = /^\{([\p{L}\p{Nd}_]+)\}|^([\p{L}\p{Nd}_]+)/u.exec(rest);
    if (!ref) {
      out += "$";
      continue;
    }
    rest = rest.slice(ref[0].length);
    out += groupValue(ref[1] ?? ref[2], m);
  }
}

function groupValue(name: string, m: Match): string {
  if (/^\d+$/.test(name)) {
    if (name.length > 1 && name[0] === "0") return "";
    return m.groups[Number(name)] ?? "";
  }
  return m.named[name] ?? "";
}

function regexFindAll(pattern: string, text: string, n: number): string[] {
  const re = compileGoRegex(pattern);
  return findAll(re, text, n).map((m) => text.slice(m.start, m.end));
}

function regexFind(pattern: string, text: string): string {
  const m = findAll(compileGoRegex(pattern), text, 1)[0];
  return m ? text.slice(m.start, m.end) : "";
}

/** The regular expressions group. */
export const REGEX_FUNCS: Record<string, FuncSpec> = {
  regexMatch: {
    params: ["string", "string"],
    fn: (a) => execAt(compileGoRegex(a[0] as string), a[1] as string, 0) !== undefined,
  },
  regexReplaceAll: {
    params: ["string", "string", "string"],
    fn: (a) => replaceAll(compileGoRegex(a[0] as string), a[1] as string, a[2] as string),
  },
  regexFind: {
    params: ["string", "string"],
    fn: (a) => regexFind(a[0] as string, a[1] as string),
  },
  regexFindAll: {
    params: ["string", "string", "int"],
    fn: (a) => regexFindAll(a[0] as string, a[1] as string, Number(a[2])),
  },
};
