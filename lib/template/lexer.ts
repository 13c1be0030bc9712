/**
 * The template lexer: splits text into tokens as Go's `text/template/parse` lexer does
 * (delimiters, trim markers, comments, strings, numbers, fields, variables, keywords).
 * Tokens are produced eagerly up to the first error token, which ends the list.
 *
 * @module
 */

import { goQuote, isPrint } from "./quote.ts";

/** Token types (Go's `itemType`); keywords come after {@linkcode T.Keyword}. */
export const T = {
  Error: 0,
  Bool: 1,
  Char: 2,
  CharConstant: 3,
  Complex: 4,
  Assign: 5,
  Declare: 6,
  EOF: 7,
  Field: 8,
  Identifier: 9,
  LeftDelim: 10,
  LeftParen: 11,
  Number: 12,
  Pipe: 13,
  RawString: 14,
  RightDelim: 15,
  RightParen: 16,
  Space: 17,
  String: 18,
  Text: 19,
  Variable: 20,
  Keyword: 21,
  Block: 22,
  Break: 23,
  Continue: 24,
  Dot: 25,
  Define: 26,
  Else: 27,
  End: 28,
  If: 29,
  Nil: 30,
  Range: 31,
  Template: 32,
  With: 33,
} as const;

/** A token type. */
export type TokenType = typeof T[keyof typeof T];

/** One token: its type, start offset in the text, text and 1-based line. */
export interface Token {
  type: TokenType;
  pos: number;
  val: string;
  line: number;
}

const KEYWORDS: Record<string, TokenType> = {
  ".": T.Dot,
  block: T.Block,
  break: T.Break,
  continue: T.Continue,
  define: T.Define,
  else: T.Else,
  end: T.End,
  if: T.If,
  range: T.Range,
  nil: T.Nil,
  template: T.Template,
  with: T.With,
};

/** Lexer settings. */
export interface LexOptions {
  left: string;
  right: string;
  /** `break`/`continue` are keywords unless a function of that name exists. */
  breakOK: boolean;
  continueOK: boolean;
}

const SPACE_CHARS = " \t\r\n";

function isSpace(ch: string | undefined): boolean {
  return ch === " " || ch === "\t" || ch === "\r" || ch === "\n";
}

const ALNUM = /^[\p{L}\p{Nd}_]$/u;

function isAlphaNumeric(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  if (c < 0x80) {
    return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  }
  return ALNUM.test(ch);
}

function hasLeftTrimMarker(text: string, at: number): boolean {
  return text[at] === "-" && isSpace(text[at + 1]);
}

function hasRightTrimMarker(text: string, at: number): boolean {
  return isSpace(text[at]) && text[at + 1] === "-";
}

/** Go's `%#U` of a character: `U+0029 ')'`. */
export function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const hex = "U+" + code.toString(16).toUpperCase().padStart(4, "0");
  return isPrint(code) ? `${hex} '${ch}'` : hex;
}

/** Lexes a whole template; the list ends with an EOF or an error token. */
export function lex(input: string, options: LexOptions): Token[] {
  return new Lexer(input, options).run();
}

class Lexer {
  readonly input: string;
  readonly options: LexOptions;
  readonly tokens: Token[] = [];
  pos = 0;
  start = 0;
  parenDepth = 0;
  private lineAt = 0;
  private lineCount = 1;

  constructor(input: string, options: LexOptions) {
    this.input = input;
    this.options = options;
  }

  run(): Token[] {
    let inside = false;
    for (;;) {
      const ok: string = inside ? this.insideAction() : this.text();
      if (ok === "error" || ok === "eof") return this.tokens;
      inside = ok === "inside";
    }
  }

  /** 1-based line of an offset (offsets are asked for in increasing order). */
  line(pos: number): number {
    if (pos < this.lineAt) {
      this.lineAt = 0;
      this.lineCount = 1;
    }
    for (let i = this.lineAt; i < pos; i++) {
      if (this.input.charCodeAt(i) === 10) this.lineCount++;
    }
    this.lineAt = pos;
    return this.lineCount;
  }

  emit(type: TokenType): void {
    this.tokens.push({
      type,
      pos: this.start,
      val: this.input.slice(this.start, this.pos),
      line: this.line(this.start),
    });
    this.start = this.pos;
  }

  error(message: string): "error" {
    this.tokens.push({ type: T.Error, pos: this.start, val: message, line: this.line(this.start) });
    return "error";
  }

  /** Plain text up to the next left delimiter. */
  text(): "inside" | "text" | "eof" | "error" {
    const { input } = this;
    const left = this.options.left;
    const x = input.indexOf(left, this.pos);
    if (x < 0) {
      this.pos = input.length;
      if (this.pos > this.start) this.emit(T.Text);
      this.emit(T.EOF);
      return "eof";
    }
    this.pos = x;
    let trim = 0;
    if (hasLeftTrimMarker(input, x + left.length)) {
      trim = rightTrimLength(input.slice(this.start, x));
    }
    this.pos -= trim;
    if (this.pos > this.start) this.emit(T.Text);
    this.pos += trim;
    this.start = this.pos;
    return this.leftDelim();
  }

  leftDelim(): "inside" | "text" | "error" {
    const { input } = this;
    this.pos += this.options.left.length;
    const trim = hasLeftTrimMarker(input, this.pos);
    const afterMarker = trim ? 2 : 0;
    if (input.startsWith("/*", this.pos + afterMarker)) {
      this.pos += afterMarker;
      this.start = this.pos;
      return this.comment();
    }
    this.emit(T.LeftDelim);
    this.pos += afterMarker;
    this.start = this.pos;
    this.parenDepth = 0;
    return "inside";
  }

  comment(): "text" | "error" {
    const { input } = this;
    this.pos += 2;
    const end = input.indexOf("*/", this.pos);
    if (end < 0) return this.error("unclosed comment");
    this.pos = end + 2;
    const [delim, trim] = this.atRightDelim();
    if (!delim) return this.error("comment ends before closing delimiter");
    if (trim) this.pos += 2;
    this.pos += this.options.right.length;
    if (trim) this.pos += leftTrimLength(input, this.pos);
    this.start = this.pos;
    return "text";
  }

  atRightDelim(): [boolean, boolean] {
    const { input, pos } = this;
    const right = this.options.right;
    if (hasRightTrimMarker(input, pos) && input.startsWith(right, pos + 2)) return [true, true];
    if (input.startsWith(right, pos)) return [true, false];
    return [false, false];
  }

  rightDelim(): "text" {
    const trim = hasRightTrimMarker(this.input, this.pos);
    if (trim) {
      this.pos += 2;
      this.start = this.pos;
    }
    this.pos += this.options.right.length;
    this.emit(T.RightDelim);
    if (trim) {
      this.pos += leftTrimLength(this.input, this.pos);
      this.start = this.pos;
    }
    return "text";
  }

  peekChar(): string | undefined {
    const { input, pos } = this;
    if (pos >= input.length) return undefined;
    const c = input.charCodeAt(pos);
    if (c < 0xd800 || c > 0xdbff) return input[pos];
    return input.slice(pos, pos + 2);
  }

  /** Consumes letters, digits and underscores. */
  alphaNumerics(): void {
    const { input } = this;
    for (;;) {
      const c = input.charCodeAt(this.pos);
      if (c < 0x80) {
        const ascii = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ||
          c === 95;
        if (!ascii) return;
        this.pos++;
      } else if (isAlphaNumeric(this.peekChar())) {
        this.nextChar();
      } else {
        return;
      }
    }
  }

  nextChar(): string | undefined {
    const ch = this.peekChar();
    if (ch !== undefined) this.pos += ch.length;
    return ch;
  }

  /** One token inside an action. */
  insideAction(): "inside" | "text" | "error" {
    const [delim] = this.atRightDelim();
    if (delim) {
      if (this.parenDepth === 0) return this.rightDelim();
      return this.error("unclosed left paren");
    }
    const ch = this.nextChar();
    if (ch === undefined) return this.error("unclosed action");
    if (isSpace(ch)) {
      this.pos -= 1;
      return this.space();
    }
    switch (ch) {
      case "=":
        this.emit(T.Assign);
        return "inside";
      case ":":
        if (this.nextChar() !== "=") return this.error("expected :=");
        this.emit(T.Declare);
        return "inside";
      case "|":
        this.emit(T.Pipe);
        return "inside";
      case '"':
        return this.quote();
      case "`":
        return this.rawQuote();
      case "$":
        return this.variable();
      case "'":
        return this.charConstant();
      case "(":
        this.emit(T.LeftParen);
        this.parenDepth++;
        return "inside";
      case ")":
        this.parenDepth--;
        if (this.parenDepth < 0) return this.error("unexpected right paren");
        this.emit(T.RightParen);
        return "inside";
    }
    if (ch === ".") {
      const next = this.input[this.pos];
      if (next !== undefined && (next < "0" || next > "9")) return this.fieldOrVariable(T.Field);
    }
    if (ch === "." || ch === "+" || ch === "-" || (ch >= "0" && ch <= "9")) {
      this.pos -= 1;
      return this.number();
    }
    if (isAlphaNumeric(ch)) {
      this.pos -= ch.length;
      return this.identifier();
    }
    const code = ch.codePointAt(0) as number;
    if (code < 0x80 && code >= 0x20 && code !== 0x7f) {
      this.emit(T.Char);
      return "inside";
    }
    return this.error(`unrecognized character in action: ${describeChar(ch)}`);
  }

  space(): "inside" | "text" {
    let count = 0;
    while (isSpace(this.input[this.pos])) {
      this.pos++;
      count++;
    }
    const at = this.pos - 1;
    if (hasRightTrimMarker(this.input, at) && this.input.startsWith(this.options.right, at + 2)) {
      this.pos = at;
      if (count === 1) return this.rightDelim();
    }
    this.emit(T.Space);
    return "inside";
  }

  identifier(): "inside" | "error" {
    this.alphaNumerics();
    const word = this.input.slice(this.start, this.pos);
    if (!this.atTerminator()) {
      return this.error(`bad character ${describeChar(this.peekChar() ?? "")}`);
    }
    const keyword = KEYWORDS[word];
    if (keyword !== undefined && Object.hasOwn(KEYWORDS, word)) {
      const gated = (keyword === T.Break && !this.options.breakOK) ||
        (keyword === T.Continue && !this.options.continueOK);
      this.emit(gated ? T.Identifier : keyword);
    } else if (word === "true" || word === "false") {
      this.emit(T.Bool);
    } else {
      this.emit(T.Identifier);
    }
    return "inside";
  }

  variable(): "inside" | "error" {
    if (this.atTerminator()) {
      this.emit(T.Variable);
      return "inside";
    }
    return this.fieldOrVariable(T.Variable);
  }

  fieldOrVariable(type: TokenType): "inside" | "error" {
    if (this.atTerminator()) {
      this.emit(type === T.Variable ? T.Variable : T.Dot);
      return "inside";
    }
    this.alphaNumerics();
    if (!this.atTerminator()) {
      return this.error(`bad character ${describeChar(this.peekChar() ?? "")}`);
    }
    this.emit(type);
    return "inside";
  }

  atTerminator(): boolean {
    const ch = this.peekChar();
    if (ch === undefined || isSpace(ch)) return true;
    switch (ch) {
      case ".":
      case ",":
      case "|":
      case ":":
      case ")":
      case "(":
        return true;
    }
    return ch === String.fromCodePoint(this.options.right.codePointAt(0) as number);
  }

  charConstant(): "inside" | "error" {
    return this.escapedUntil("'", T.CharConstant, "unterminated character constant");
  }

  quote(): "inside" | "error" {
    return this.escapedUntil('"', T.String, "unterminated quoted string");
  }

  /** Scans to the closing `close`, honouring backslash escapes; newlines end it as an error. */
  escapedUntil(close: string, token: TokenType, unterminated: string): "inside" | "error" {
    for (;;) {
      const ch = this.nextChar();
      if (ch === "\\") {
        const escaped = this.nextChar();
        if (escaped !== undefined && escaped !== "\n") continue;
      }
      if (ch === "\\" || ch === undefined || ch === "\n") return this.error(unterminated);
      if (ch === close) break;
    }
    this.emit(token);
    return "inside";
  }

  rawQuote(): "inside" | "error" {
    const end = this.input.indexOf("`", this.pos);
    if (end < 0) {
      this.pos = this.input.length;
      return this.error("unterminated raw quoted string");
    }
    this.pos = end + 1;
    this.emit(T.RawString);
    return "inside";
  }

  number(): "inside" | "error" {
    if (!this.scanNumber()) {
      return this.error(`bad number syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
    }
    const sign = this.input[this.pos];
    if (sign === "+" || sign === "-") {
      if (!this.scanNumber() || this.input[this.pos - 1] !== "i") {
        return this.error(`bad number syntax: ${goQuote(this.input.slice(this.start, this.pos))}`);
      }
      this.emit(T.Complex);
    } else {
      this.emit(T.Number);
    }
    return "inside";
  }

  accept(valid: string): boolean {
    const ch = this.input[this.pos];
    if (ch !== undefined && valid.includes(ch)) {
      this.pos++;
      return true;
    }
    return false;
  }

  acceptRun(valid: string): void {
    while (this.accept(valid));
  }

  scanNumber(): boolean {
    this.accept("+-");
    let digits = "0123456789_";
    if (this.accept("0")) {
      if (this.accept("xX")) digits = "0123456789abcdefABCDEF_";
      else if (this.accept("oO")) digits = "01234567_";
      else if (this.accept("bB")) digits = "01_";
    }
    this.acceptRun(digits);
    if (this.accept(".")) this.acceptRun(digits);
    if (digits.length === 11 && this.accept("eE")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    if (digits.length === 23 && this.accept("pP")) {
      this.accept("+-");
      this.acceptRun("0123456789_");
    }
    this.accept("i");
    if (isAlphaNumeric(this.peekChar())) {
      this.nextChar();
      return false;
    }
    return true;
  }
}

function rightTrimLength(text: string): number {
  let n = text.length;
  while (n > 0 && SPACE_CHARS.includes(text[n - 1])) n--;
  return text.length - n;
}

function leftTrimLength(text: string, from: number): number {
  let i = from;
  while (i < text.length && SPACE_CHARS.includes(text[i])) i++;
  return i - from;
}
