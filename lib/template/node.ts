/**
 * Parse-tree nodes (Go's `text/template/parse` nodes) and their canonical text, which Go
 * prints in errors (`executing "t" at <index .m "k">`).
 *
 * @module
 */

import type { NumberValue } from "./number_literal.ts";
import { goQuote } from "./quote.ts";

/** Every node has its start offset in the template text. */
interface Base {
  pos: number;
}

/** Plain text. */
export interface TextNode extends Base {
  type: "text";
  text: string;
}

/** `{{pipeline}}`. */
export interface ActionNode extends Base {
  type: "action";
  pipe: PipeNode;
}

/** `$x := cmd | cmd`. */
export interface PipeNode extends Base {
  type: "pipe";
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}

/** A command: a function or value and its arguments. */
export interface CommandNode extends Base {
  type: "command";
  args: Node[];
}

/** A function name. */
export interface IdentifierNode extends Base {
  type: "identifier";
  name: string;
}

/** `$x.Field.Chain` (the first ident includes the `$`). */
export interface VariableNode extends Base {
  type: "variable";
  ident: string[];
}

/** `.`. */
export interface DotNode extends Base {
  type: "dot";
}

/** `nil`. */
export interface NilNode extends Base {
  type: "nil";
}

/** `.Field.Chain`. */
export interface FieldNode extends Base {
  type: "field";
  ident: string[];
}

/** `(pipeline).Field`. */
export interface ChainNode extends Base {
  type: "chain";
  node: Node;
  field: string[];
}

/** `true` / `false`. */
export interface BoolNode extends Base {
  type: "bool";
  value: boolean;
}

/** A number or character constant. */
export interface NumberNode extends Base {
  type: "number";
  num: NumberValue;
}

/** A string constant: `quoted` as written, `text` unquoted. */
export interface StringNode extends Base {
  type: "string";
  quoted: string;
  text: string;
}

/** `if`, `range` and `with`. */
export interface BranchNode extends Base {
  type: "if" | "range" | "with";
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | null;
}

/** A sequence of nodes. */
export interface ListNode extends Base {
  type: "list";
  nodes: Node[];
}

/** `{{template "name" pipeline}}`. */
export interface TemplateNode extends Base {
  type: "template";
  name: string;
  pipe: PipeNode | null;
}

/** `{{break}}` / `{{continue}}`. */
export interface LoopControlNode extends Base {
  type: "break" | "continue";
}

/** `{{end}}` / `{{else}}` while parsing (never in a finished tree). */
export interface DelimiterNode extends Base {
  type: "end" | "else";
}

/** Any node. */
export type Node =
  | TextNode
  | ActionNode
  | PipeNode
  | CommandNode
  | IdentifierNode
  | VariableNode
  | DotNode
  | NilNode
  | FieldNode
  | ChainNode
  | BoolNode
  | NumberNode
  | StringNode
  | BranchNode
  | ListNode
  | TemplateNode
  | LoopControlNode
  | DelimiterNode;

/** Go's `Node.String()`: the canonical source text of a node. */
export function nodeString(node: Node): string {
  switch (node.type) {
    case "text":
      return node.text;
    case "action":
      return "{{" + nodeString(node.pipe) + "}}";
    case "pipe":
      return pipeString(node);
    case "command":
      return node.args.map(argString).join(" ");
    case "identifier":
      return node.name;
    case "variable":
      return node.ident.join(".");
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "field":
      return "." + node.ident.join(".");
    case "chain":
      return argString(node.node) + "." + node.field.join(".");
    case "bool":
      return node.value ? "true" : "false";
    case "number":
      return node.num.text;
    case "string":
      return node.quoted;
    case "if":
    case "range":
    case "with":
      return branchString(node);
    case "list":
      return node.nodes.map(nodeString).join("");
    case "template":
      return "{{template " + goQuote(node.name) +
        (node.pipe ? " " + nodeString(node.pipe) : "") + "}}";
    case "break":
    case "continue":
    case "end":
    case "else":
      return "{{" + node.type + "}}";
  }
}

function argString(node: Node): string {
  return node.type === "pipe" ? "(" + nodeString(node) + ")" : nodeString(node);
}

function pipeString(pipe: PipeNode): string {
  let out = "";
  if (pipe.decl.length > 0) {
    out = pipe.decl.map(nodeString).join(", ") + (pipe.isAssign ? " = " : " := ");
  }
  return out + pipe.cmds.map(nodeString).join(" | ");
}

function branchString(node: BranchNode): string {
  let out = "{{" + node.type + " " + nodeString(node.pipe) + "}}" + nodeString(node.list);
  if (node.elseList) out += "{{else}}" + nodeString(node.elseList);
  return out + "{{end}}";
}
