/**
 * The template parser: tokens to parse trees, following Go's `text/template/parse` grammar,
 * checks (undefined variables and functions, `break` outside `range`) and error messages
 * (`template: NAME:LINE: …`).
 *
 * @module
 */

import { lex, T, type Token } from "./lexer.ts";
import type {
  ActionNode,
  BranchNode,
  CommandNode,
  DelimiterNode,
  FieldNode,
  ListNode,
  LoopControlNode,
  Node,
  PipeNode,
  TemplateNode,
  VariableNode,
} from "./node.ts";
import { nodeString } from "./node.ts";
import { parseNumber } from "./number_literal.ts";
import { goQuote, goUnquote, INVALID_SYNTAX } from "./quote.ts";
import { utf8Length } from "./value.ts";

/** A named template body. */
export interface Tree {
  name: string;
  root: ListNode;
}

/** Parser settings. */
export interface ParseOptions {
  /** Name of the top-level template (used in error messages). */
  name: string;
  left: string;
  right: string;
  /** Whether a function of that name exists (builtins, Sprig, the caller's). */
  hasFunction: (name: string) => boolean;
}

/** A parse failure; `message` is Go's full text (`template: t:1: unclosed action`). */
export class ParseFailure extends Error {
  /** The line Go reports. */
  readonly line: number;
  constructor(message: string, line: number) {
    super(message);
    this.line = line;
  }
}

/** Maximum nesting of parenthesised pipelines (Go's limit on WebAssembly). */
const MAX_STACK_DEPTH = 1000;

/** Parses a template and its `define`/`block` definitions into a name → tree map. */
export function parse(text: string, options: ParseOptions): Map<string, Tree> {
  const tokens = lex(text, {
    left: options.left || "{{",
    right: options.right || "}}",
    breakOK: !options.hasFunction("break"),
    continueOK: !options.hasFunction("continue"),
  });
  const parser = new Parser(tokens, options);
  parser.parseTop();
  return parser.trees;
}

class Parser {
  readonly tokens: Token[];
  readonly options: ParseOptions;
  readonly trees = new Map<string, Tree>();
  /** Index of the next token. */
  i = 0;
  /** Furthest token read so far: Go reports its line. */
  furthest = 0;
  vars: string[] = ["$"];
  rangeDepth = 0;
  actionLine = 0;
  stackDepth = 0;

  constructor(tokens: Token[], options: ParseOptions) {
    this.tokens = tokens;
    this.options = options;
  }

  // --- token stream -------------------------------------------------------------------

  next(): Token {
    const index = Math.min(this.i, this.tokens.length - 1);
    this.i = index + 1;
    if (index > this.furthest) this.furthest = index;
    return this.tokens[index];
  }

  backup(): void {
    this.i--;
  }

  peek(): Token {
    const token = this.next();
    this.backup();
    return token;
  }

  nextNonSpace(): Token {
    let token = this.next();
    while (token.type === T.Space) token = this.next();
    return token;
  }

  peekNonSpace(): Token {
    const token = this.nextNonSpace();
    this.backup();
    return token;
  }

  // --- errors ---------------------------------------------------------------------------

  errorf(message: string): never {
    const line = this.tokens[this.furthest].line;
    throw new ParseFailure(`template: ${this.options.name}:${line}: ${message}`, line);
  }

  expect(expected: number, context: string): Token {
    const token = this.nextNonSpace();
    if (token.type !== expected) this.unexpected(token, context);
    return token;
  }

  unexpected(token: Token, context: string): never {
    if (token.type === T.Error) {
      let extra = "";
      if (this.actionLine !== 0 && this.actionLine !== token.line) {
        extra = ` in action started at ${this.options.name}:${this.actionLine}`;
        if (token.val.endsWith(" action")) extra = extra.slice(" in action".length);
      }
      this.errorf(token.val + extra);
    }
    this.errorf(`unexpected ${tokenString(token)} in ${context}`);
  }

  // --- templates ------------------------------------------------------------------------

  parseTop(): void {
    const root = this.newList(this.peek().pos);
    while (this.peek().type !== T.EOF) {
      if (this.peek().type === T.LeftDelim) {
        const at = this.i;
        this.next();
        if (this.nextNonSpace().type === T.Define) {
          this.parseDefinition();
          continue;
        }
        this.i = at;
      }
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") this.errorf(`unexpected ${nodeString(n)}`);
      root.nodes.push(n);
    }
    this.add({ name: this.options.name, root });
  }

  /** `{{define "name"}} … {{end}}`; the `define` keyword has been read. */
  parseDefinition(): void {
    const context = "define clause";
    const saved = this.enterTree();
    const token = this.nextNonSpace();
    if (token.type !== T.String && token.type !== T.RawString) this.unexpected(token, context);
    const name = this.unquote(token.val);
    this.expect(T.RightDelim, context);
    const [root, end] = this.itemList();
    if (end.type !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add({ name, root });
    this.leaveTree(saved);
  }

  enterTree(): [string[], number] {
    const saved: [string[], number] = [this.vars, this.rangeDepth];
    this.vars = ["$"];
    this.rangeDepth = 0;
    return saved;
  }

  leaveTree([vars, rangeDepth]: [string[], number]): void {
    this.vars = vars;
    this.rangeDepth = rangeDepth;
  }

  add(tree: Tree): void {
    const existing = this.trees.get(tree.name);
    if (!existing || isEmptyTree(existing.root)) {
      this.trees.set(tree.name, tree);
      return;
    }
    if (!isEmptyTree(tree.root)) {
      this.errorf(`template: multiple definition of template ${goQuote(tree.name)}`);
    }
  }

  /** Nodes up to `{{end}}` or `{{else}}`, which is returned separately. */
  itemList(): [ListNode, DelimiterNode] {
    const list = this.newList(this.peekNonSpace().pos);
    while (this.peekNonSpace().type !== T.EOF) {
      const n = this.textOrAction();
      if (n.type === "end" || n.type === "else") return [list, n];
      list.nodes.push(n);
    }
    this.errorf("unexpected EOF");
  }

  textOrAction(): Node {
    const token = this.nextNonSpace();
    if (token.type === T.Text) return { type: "text", pos: token.pos, text: token.val };
    if (token.type === T.LeftDelim) {
      this.actionLine = token.line;
      try {
        return this.action();
      } finally {
        this.actionLine = 0;
      }
    }
    this.unexpected(token, "input");
  }

  action(): Node {
    const token = this.nextNonSpace();
    switch (token.type) {
      case T.Block:
        return this.blockControl();
      case T.Break:
        return this.loopControl("break", token);
      case T.Continue:
        return this.loopControl("continue", token);
      case T.Else:
        return this.elseControl();
      case T.End:
        return { type: "end", pos: this.expect(T.RightDelim, "end").pos };
      case T.If:
        return this.control("if");
      case T.Range:
        return this.control("range");
      case T.Template:
        return this.templateControl();
      case T.With:
        return this.control("with");
    }
    this.backup();
    const first = this.peek();
    const action: ActionNode = {
      type: "action",
      pos: first.pos,
      pipe: this.pipeline("command", T.RightDelim),
    };
    return action;
  }

  loopControl(kind: "break" | "continue", keyword: Token): LoopControlNode {
    const token = this.nextNonSpace();
    if (token.type !== T.RightDelim) this.unexpected(token, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { type: kind, pos: keyword.pos };
  }

  elseControl(): DelimiterNode {
    const peek = this.peekNonSpace();
    if (peek.type === T.If || peek.type === T.With) return { type: "else", pos: peek.pos };
    const token = this.expect(T.RightDelim, "else");
    return { type: "else", pos: token.pos };
  }

  /** `if`, `range` and `with` (with `else`, `else if`, `else with`). */
  control(kind: "if" | "range" | "with"): BranchNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(kind, T.RightDelim);
    if (kind === "range") this.rangeDepth++;
    const [list, next] = this.itemList();
    if (kind === "range") this.rangeDepth--;
    let elseList: ListNode | null = null;
    if (next.type === "else") {
      const chained = (kind === "if" && this.peek().type === T.If) ||
        (kind === "with" && this.peek().type === T.With);
      if (chained) {
        this.next();
        elseList = this.newList(next.pos);
        elseList.nodes.push(this.control(kind));
      } else {
        const [rest, end] = this.itemList();
        if (end.type !== "end") this.errorf(`expected end; found ${nodeString(end)}`);
        elseList = rest;
      }
    }
    this.vars.length = mark;
    return { type: kind, pos: pipe.pos, pipe, list, elseList };
  }

  blockControl(): TemplateNode {
    const context = "block clause";
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    const pipe = this.pipeline(context, T.RightDelim);
    const saved = this.enterTree();
    const [root, end] = this.itemList();
    if (end.type !== "end") this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add({ name, root });
    this.leaveTree(saved);
    return { type: "template", pos: token.pos, name, pipe };
  }

  templateControl(): TemplateNode {
    const context = "template clause";
    const token = this.nextNonSpace();
    const name = this.templateName(token, context);
    let pipe: PipeNode | null = null;
    if (this.nextNonSpace().type !== T.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, T.RightDelim);
    }
    return { type: "template", pos: token.pos, name, pipe };
  }

  templateName(token: Token, context: string): string {
    if (token.type !== T.String && token.type !== T.RawString) this.unexpected(token, context);
    return this.unquote(token.val);
  }

  unquote(literal: string): string {
    try {
      return goUnquote(literal);
    } catch {
      this.errorf(INVALID_SYNTAX);
    }
  }

  // --- pipelines ------------------------------------------------------------------------

  pipeline(context: string, end: number): PipeNode {
    const pipe: PipeNode = {
      type: "pipe",
      pos: this.peekNonSpace().pos,
      isAssign: false,
      decl: [],
      cmds: [],
    };
    this.declarations(pipe, context);
    for (;;) {
      const token = this.nextNonSpace();
      if (token.type === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      if (!STARTS_OPERAND.has(token.type)) this.unexpected(token, context);
      this.backup();
      pipe.cmds.push(this.command());
    }
  }

  /** `$x :=`, `$x =`, and `$i, $v :=` in `range`. */
  declarations(pipe: PipeNode, context: string): void {
    for (;;) {
      const v = this.peekNonSpace();
      if (v.type !== T.Variable) return;
      const at = this.i;
      this.next();
      const next = this.peekNonSpace();
      if (next.type === T.Assign || next.type === T.Declare) {
        pipe.isAssign = next.type === T.Assign;
        this.nextNonSpace();
        pipe.decl.push(variableNode(v.pos, v.val));
        this.vars.push(v.val);
        return;
      }
      if (next.type === T.Char && next.val === ",") {
        this.nextNonSpace();
        pipe.decl.push(variableNode(v.pos, v.val));
        this.vars.push(v.val);
        if (context === "range" && pipe.decl.length < 2) {
          const t = this.peekNonSpace().type;
          if (t === T.Variable || t === T.RightDelim || t === T.RightParen) continue;
          this.errorf("range can only initialize variables");
        }
        this.errorf(`too many declarations in ${context}`);
      }
      this.i = at;
      return;
    }
  }

  checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    for (let i = 1; i < pipe.cmds.length; i++) {
      const t = pipe.cmds[i].args[0].type;
      if (t === "bool" || t === "dot" || t === "nil" || t === "number" || t === "string") {
        this.errorf(`non executable command in pipeline stage ${i + 1}`);
      }
    }
  }

  command(): CommandNode {
    const cmd: CommandNode = { type: "command", pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const operand = this.operand();
      if (operand) cmd.args.push(operand);
      const token = this.next();
      if (token.type === T.Space) continue;
      if (token.type === T.RightDelim || token.type === T.RightParen) this.backup();
      else if (token.type !== T.Pipe) this.unexpected(token, "operand");
      break;
    }
    if (cmd.args.length === 0) this.errorf("empty command");
    return cmd;
  }

  /** A term followed by `.Field` accesses. */
  operand(): Node | null {
    const node = this.term();
    if (!node || this.peek().type !== T.Field) return node;
    const pos = this.peek().pos;
    const fields: string[] = [];
    while (this.peek().type === T.Field) fields.push(this.next().val.slice(1));
    switch (node.type) {
      case "field": {
        const field: FieldNode = { type: "field", pos, ident: [...node.ident, ...fields] };
        return field;
      }
      case "variable":
        return { type: "variable", pos, ident: [...node.ident, ...fields] };
      case "bool":
      case "string":
      case "number":
      case "nil":
      case "dot":
        this.errorf(`unexpected . after term ${goQuote(nodeString(node))}`);
    }
    return { type: "chain", pos, node, field: fields };
  }

  term(): Node | null {
    const token = this.nextNonSpace();
    switch (token.type) {
      case T.Identifier:
        if (!this.options.hasFunction(token.val)) {
          this.errorf(`function ${goQuote(token.val)} not defined`);
        }
        return { type: "identifier", pos: token.pos, name: token.val };
      case T.Dot:
        return { type: "dot", pos: token.pos };
      case T.Nil:
        return { type: "nil", pos: token.pos };
      case T.Variable:
        return this.useVar(token.pos, token.val);
      case T.Field:
        return { type: "field", pos: token.pos, ident: token.val.slice(1).split(".") };
      case T.Bool:
        return { type: "bool", pos: token.pos, value: token.val === "true" };
      case T.CharConstant:
      case T.Complex:
      case T.Number:
        return this.number(token);
      case T.LeftParen:
        return this.parenthesized();
      case T.String:
      case T.RawString:
        return { type: "string", pos: token.pos, quoted: token.val, text: this.unquote(token.val) };
    }
    this.backup();
    return null;
  }

  parenthesized(): PipeNode {
    if (this.stackDepth >= MAX_STACK_DEPTH) this.errorf("max expression depth exceeded");
    this.stackDepth++;
    try {
      return this.pipeline("parenthesized pipeline", T.RightParen);
    } finally {
      this.stackDepth--;
    }
  }

  number(token: Token): Node {
    try {
      const num = parseNumber(token.val, token.type === T.CharConstant, token.type === T.Complex);
      return { type: "number", pos: token.pos, num };
    } catch (error) {
      this.errorf((error as Error).message);
    }
  }

  useVar(pos: number, name: string): VariableNode {
    const v = variableNode(pos, name);
    if (!this.vars.includes(v.ident[0])) this.errorf(`undefined variable ${goQuote(v.ident[0])}`);
    return v;
  }

  newList(pos: number): ListNode {
    return { type: "list", pos, nodes: [] };
  }
}

const STARTS_OPERAND = new Set<number>([
  T.Bool,
  T.CharConstant,
  T.Complex,
  T.Dot,
  T.Field,
  T.Identifier,
  T.Number,
  T.Nil,
  T.RawString,
  T.String,
  T.Variable,
  T.LeftParen,
]);

function variableNode(pos: number, name: string): VariableNode {
  return { type: "variable", pos, ident: name.split(".") };
}

/** Go's `item.String()` for error messages. */
function tokenString(token: Token): string {
  if (token.type === T.EOF) return "EOF";
  if (token.type === T.Error) return token.val;
  if (token.type > T.Keyword) return `<${token.val}>`;
  if (utf8Length(token.val) > 10) return goQuote([...token.val].slice(0, 10).join("")) + "...";
  return goQuote(token.val);
}

/** Go's `IsEmptyTree`: only whitespace text (and comments). */
function isEmptyTree(node: Node): boolean {
  if (node.type === "list") return node.nodes.every(isEmptyTree);
  if (node.type === "text") return node.text.trim() === "";
  return false;
}
