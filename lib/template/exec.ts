/**
 * The template executor: walks a parse tree with data, as Go's `text/template` `exec.go`
 * does — dot and variables, field chains on maps, pipelines with the previous value as the
 * last argument, Go's argument checks, `missingkey`, and errors that name the template, the
 * line:column and the node (`executing "t" at <.a.b>: …`).
 *
 * @module
 */

import { TemplateError } from "./error.ts";
import { formatValue } from "./fmt.ts";
import { type ArgType, argTypeName, type CallContext, type FuncSpec } from "./func_spec.ts";
import type {
  ActionNode,
  BranchNode,
  ChainNode,
  CommandNode,
  FieldNode,
  IdentifierNode,
  Node,
  NumberNode,
  PipeNode,
  TemplateNode,
  VariableNode,
} from "./node.ts";
import { nodeString } from "./node.ts";
import type { Tree } from "./parser.ts";
import { goQuote } from "./quote.ts";
import {
  goFloat,
  indirect,
  isTrue,
  kindOf,
  mapGet,
  sortedKeys,
  typeName,
  utf8Length,
} from "./value.ts";

/** What to do when a map has no entry for a field: Go's `missingkey` option. */
export type MissingKey = "error" | "default" | "zero";

/** A function found by name; `builtin` marks Go's predefined ones. */
export interface FoundFunc {
  spec: FuncSpec;
  builtin: boolean;
}

/** Everything an execution needs besides the data. */
export interface ExecConfig {
  /** All templates of the parse, by name. */
  trees: ReadonlyMap<string, Tree>;
  /** The whole template text (node offsets point into it). */
  text: string;
  /** Name of the top-level template (Go's `ParseName`, used in locations). */
  parseName: string;
  missingKey: MissingKey;
  lookup: (name: string) => FoundFunc | undefined;
  ctx: CallContext;
}

/** Go's `missingVal`: no value was piped in. */
const MISSING: unique symbol = Symbol("missing");
type Final = unknown;
const BREAK: unique symbol = Symbol("break");
const CONTINUE: unique symbol = Symbol("continue");

/** Go's `maxExecDepth` on WebAssembly: bounds recursive `template` calls. */
const MAX_EXEC_DEPTH = 1000;

interface Variable {
  name: string;
  value: unknown;
  /** The value came out of a map or slice (Go reports its type as `interface {}`). */
  iface: boolean;
}

/** Executes the template `name` with `data` and returns the output. */
export function execute(config: ExecConfig, name: string, data: unknown): string {
  const tree = config.trees.get(name);
  const dot = data === null ? undefined : data;
  const state = new State(config, name, dot, 0);
  if (!tree) return state.errorf(`${goQuote(name)} is an incomplete or empty template`);
  state.walk(dot, false, tree.root);
  return state.out;
}

/** Line and Go column (byte offset within the line) of a text offset. */
export function locate(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < pos; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: utf8Length(text.slice(lineStart, pos)) };
}

class State {
  readonly config: ExecConfig;
  /** Name of the executing template. */
  readonly name: string;
  readonly depth: number;
  out = "";
  node: Node | null = null;
  vars: Variable[];

  constructor(config: ExecConfig, name: string, dot: unknown, depth: number) {
    this.config = config;
    this.name = name;
    this.depth = depth;
    this.vars = [{ name: "$", value: dot, iface: false }];
  }

  /** Throws Go's execution error for the current node; `cause` is a function's own error. */
  errorf(message: string, cause?: unknown): never {
    const name = this.name;
    if (!this.node) {
      throw new TemplateError(`template: ${name}: ${message}`, { templateName: name, cause });
    }
    const { line, column } = locate(this.config.text, this.node.pos);
    throw new TemplateError(
      `template: ${this.config.parseName}:${line}:${column}: executing ${goQuote(name)} at <${
        nodeString(this.node)
      }>: ${message}`,
      { templateName: name, line, column, cause },
    );
  }

  // --- variables ------------------------------------------------------------------------

  setVar(name: string, value: unknown, iface: boolean): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i] = { name, value, iface };
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }

  setTopVar(n: number, value: unknown, iface: boolean): void {
    const i = this.vars.length - n;
    this.vars[i] = { name: this.vars[i].name, value, iface };
  }

  varValue(name: string): Variable {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) return this.vars[i];
    }
    this.errorf(`undefined variable: ${name}`);
  }

  // --- walking --------------------------------------------------------------------------

  walk(dot: unknown, dotIface: boolean, node: Node): void {
    this.node = node;
    switch (node.type) {
      case "text":
        this.out += node.text;
        return;
      case "action":
        return this.walkAction(dot, dotIface, node);
      case "list":
        for (const child of node.nodes) this.walk(dot, dotIface, child);
        return;
      case "if":
      case "with":
        return this.walkIfOrWith(dot, dotIface, node);
      case "range":
        return this.walkRange(dot, dotIface, node);
      case "template":
        return this.walkTemplate(dot, dotIface, node);
      case "break":
        throw BREAK;
      case "continue":
        throw CONTINUE;
    }
    this.errorf(`unknown node: ${nodeString(node)}`);
  }

  walkAction(dot: unknown, dotIface: boolean, node: ActionNode): void {
    const value = this.evalPipeline(dot, dotIface, node.pipe);
    if (node.pipe.decl.length === 0) this.printValue(node, value);
  }

  printValue(node: Node, value: unknown): void {
    this.node = node;
    if (typeof value === "function") {
      this.errorf(`can't print ${nodeString(node)} of type ${typeName(value)}`);
    }
    this.out += value === undefined ? "<no value>" : formatValue(value);
  }

  walkIfOrWith(dot: unknown, dotIface: boolean, node: BranchNode): void {
    const mark = this.vars.length;
    const value = this.evalPipeline(dot, dotIface, node.pipe);
    if (isTrue(value)) {
      if (node.type === "with") this.walk(value, false, node.list);
      else this.walk(dot, dotIface, node.list);
    } else if (node.elseList) {
      this.walk(dot, dotIface, node.elseList);
    }
    this.vars.length = mark;
  }

  walkRange(dot: unknown, dotIface: boolean, node: BranchNode): void {
    this.node = node;
    const mark = this.vars.length;
    const value = this.evalPipeline(dot, dotIface, node.pipe);
    const bodyMark = this.vars.length;
    let ran: boolean;
    try {
      ran = this.rangeOver(value, node, bodyMark);
    } catch (error) {
      if (error !== BREAK) throw error;
      ran = true;
    }
    if (!ran && node.elseList) this.walk(dot, dotIface, node.elseList);
    this.vars.length = mark;
  }

  /** Iterates; returns false when there was nothing to iterate over. */
  rangeOver(value: unknown, node: BranchNode, mark: number): boolean {
    switch (kindOf(value)) {
      case "int": {
        if (node.pipe.decl.length > 1) {
          this.errorf(`can't use ${formatValue(value)} to iterate over more than one variable`);
        }
        const n = Number(value);
        for (let i = 0; i < n; i++) this.iteration(node, mark, undefined, i, false);
        return n > 0;
      }
      case "slice": {
        const list = value as unknown[];
        for (let i = 0; i < list.length; i++) this.iteration(node, mark, i, list[i] ?? null, true);
        return list.length > 0;
      }
      case "map": {
        const keys = sortedKeys(value);
        const values = keys.map((key) => mapGet(value, key).value);
        for (let i = 0; i < keys.length; i++) this.iteration(node, mark, keys[i], values[i], true);
        return keys.length > 0;
      }
      case "invalid":
        return false;
    }
    this.errorf(`range can't iterate over ${formatValue(value)}`);
  }

  iteration(node: BranchNode, mark: number, index: unknown, elem: unknown, iface: boolean): void {
    const { decl, isAssign } = node.pipe;
    if (decl.length > 0) {
      if (!isAssign) this.setTopVar(1, elem, iface);
      else if (decl.length > 1) this.setVar(decl[0].ident[0], index, false);
      else this.setVar(decl[0].ident[0], elem, iface);
    }
    if (decl.length > 1) {
      if (isAssign) this.setVar(decl[1].ident[0], elem, iface);
      else this.setTopVar(2, index, false);
    }
    try {
      this.walk(elem, iface, node.list);
    } catch (error) {
      if (error !== CONTINUE) throw error;
    }
    this.vars.length = mark;
  }

  walkTemplate(dot: unknown, dotIface: boolean, node: TemplateNode): void {
    this.node = node;
    const tree = this.config.trees.get(node.name);
    if (!tree) this.errorf(`template ${goQuote(node.name)} not defined`);
    if (this.depth === MAX_EXEC_DEPTH) {
      this.errorf(`exceeded maximum template depth (${MAX_EXEC_DEPTH})`);
    }
    const newDot = this.evalPipeline(dot, dotIface, node.pipe);
    const child = new State(this.config, node.name, newDot, this.depth + 1);
    child.walk(newDot, false, tree.root);
    this.out += child.out;
  }

  // --- evaluation -----------------------------------------------------------------------

  evalPipeline(dot: unknown, dotIface: boolean, pipe: PipeNode | null): unknown {
    if (!pipe) return undefined;
    this.node = pipe;
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, dotIface, cmd, value);
      if (value === null) value = undefined;
    }
    for (const variable of pipe.decl) {
      if (pipe.isAssign) this.setVar(variable.ident[0], value, false);
      else this.vars.push({ name: variable.ident[0], value, iface: false });
    }
    return value;
  }

  notAFunction(args: Node[] | null, final: Final): void {
    if ((args && args.length > 1) || final !== MISSING) {
      this.errorf(`can't give argument to non-function ${nodeString((args as Node[])[0])}`);
    }
  }

  evalCommand(dot: unknown, dotIface: boolean, cmd: CommandNode, final: Final): unknown {
    const first = cmd.args[0];
    switch (first.type) {
      case "field":
        return this.evalFieldNode(dot, dotIface, first, cmd.args, final);
      case "chain":
        return this.evalChainNode(dot, dotIface, first, cmd.args, final);
      case "identifier":
        return this.evalFunction(dot, dotIface, first, cmd, cmd.args, final);
      case "pipe":
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, dotIface, first);
      case "variable":
        return this.evalVariableNode(first, cmd.args, final);
    }
    this.node = first;
    this.notAFunction(cmd.args, final);
    switch (first.type) {
      case "bool":
        return first.value;
      case "dot":
        return dot;
      case "nil":
        this.errorf("nil is not a command");
        break;
      case "number":
        return this.idealConstant(first);
      case "string":
        return first.text;
    }
    this.errorf(`can't evaluate command ${goQuote(nodeString(first))}`);
  }

  /** A number whose type comes from its syntax: float64 with `.eEpP`, else int. */
  idealConstant(node: NumberNode): unknown {
    this.node = node;
    const num = node.num;
    const text = num.text;
    const isHexInt = /^[+-]?0[xX]/.test(text) && !/[pP]/.test(text);
    if (num.isFloat && !isHexInt && text[0] !== "'" && /[.eEpP]/.test(text)) {
      return goFloat(num.float);
    }
    if (num.isInt) return intValue(num.int);
    if (num.isUint) this.errorf(`${text} overflows int`);
    return undefined;
  }

  evalFieldNode(
    dot: unknown,
    dotIface: boolean,
    field: FieldNode,
    args: Node[] | null,
    final: Final,
  ): unknown {
    this.node = field;
    return this.evalFieldChain(dot, dotIface, field.ident, 0, args, final);
  }

  evalChainNode(
    dot: unknown,
    dotIface: boolean,
    chain: ChainNode,
    args: Node[] | null,
    final: Final,
  ): unknown {
    this.node = chain;
    if (chain.node.type === "nil") {
      this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    }
    const receiver = this.evalArg(dot, dotIface, null, chain.node);
    return this.evalFieldChain(receiver, false, chain.field, 0, args, final);
  }

  evalVariableNode(variable: VariableNode, args: Node[] | null, final: Final): unknown {
    this.node = variable;
    const v = this.varValue(variable.ident[0]);
    if (variable.ident.length === 1) {
      this.notAFunction(args, final);
      return v.value;
    }
    return this.evalFieldChain(v.value, v.iface, variable.ident, 1, args, final);
  }

  /** `.X.Y.Z` from `start`; only the last field sees the arguments. */
  evalFieldChain(
    receiver: unknown,
    receiverIface: boolean,
    ident: string[],
    start: number,
    args: Node[] | null,
    final: Final,
  ): unknown {
    const last = ident.length - 1;
    for (let i = start; i < last; i++) {
      receiver = this.evalField(ident[i], null, MISSING, receiver, receiverIface);
      receiverIface = true;
    }
    return this.evalField(ident[last], args, final, receiver, receiverIface);
  }

  evalField(
    fieldName: string,
    args: Node[] | null,
    final: Final,
    receiver: unknown,
    receiverIface: boolean,
  ): unknown {
    if (receiver === undefined) {
      if (this.config.missingKey === "error") {
        this.errorf(`nil data; no entry for key ${goQuote(fieldName)}`);
      }
      return undefined;
    }
    if (receiver === null) this.errorf(`nil pointer evaluating interface {}.${fieldName}`);
    if (kindOf(receiver) === "map") {
      if ((args && args.length > 1) || final !== MISSING) {
        this.errorf(`${fieldName} is not a method but has arguments`);
      }
      const found = mapGet(receiver, fieldName);
      if (found.found) return found.value;
      switch (this.config.missingKey) {
        case "error":
          this.errorf(`map has no entry for key ${goQuote(fieldName)}`);
          break;
        case "zero":
          return null;
      }
      return undefined;
    }
    const type = receiverIface ? "interface {}" : typeName(receiver);
    this.errorf(`can't evaluate field ${fieldName} in type ${type}`);
  }

  evalFunction(
    dot: unknown,
    dotIface: boolean,
    node: IdentifierNode,
    cmd: Node,
    args: Node[] | null,
    final: Final,
  ): unknown {
    this.node = node;
    const found = this.config.lookup(node.name);
    if (!found) this.errorf(`${goQuote(node.name)} is not a defined function`);
    return this.evalCall(dot, dotIface, found, cmd, node.name, args, final);
  }

  evalCall(
    dot: unknown,
    dotIface: boolean,
    found: FoundFunc,
    node: Node,
    name: string,
    args: Node[] | null,
    final: Final,
  ): unknown {
    const { spec, builtin } = found;
    const numArgs = args ? args.length - 1 : 0;
    const hasFinal = final !== MISSING;
    const numIn = numArgs + (hasFinal ? 1 : 0);
    const numParams = spec.params.length;
    let numFixed = numArgs;
    if (spec.variadic) {
      numFixed = numParams;
      if (numIn < numFixed) {
        this.errorf(`wrong number of args for ${name}: want at least ${numParams} got ${numArgs}`);
      }
    } else if (numIn !== numParams) {
      this.errorf(`wrong number of args for ${name}: want ${numParams} got ${numIn}`);
    }
    if (builtin && (name === "and" || name === "or")) {
      return this.evalAndOr(dot, dotIface, name, args, final);
    }
    const argv: unknown[] = new Array(numIn);
    let i = 0;
    for (; i < numFixed && i < numArgs; i++) {
      argv[i] = this.evalArg(dot, dotIface, spec.params[i], (args as Node[])[i + 1]);
    }
    if (spec.variadic) {
      for (; i < numArgs; i++) {
        argv[i] = this.evalArg(dot, dotIface, spec.variadic, (args as Node[])[i + 1]);
      }
    }
    if (hasFinal) {
      let type = spec.params[numParams - 1];
      if (spec.variadic) type = numIn - 1 < numFixed ? spec.params[numIn - 1] : spec.variadic;
      argv[i] = this.validateType(final, type);
    }
    if (builtin && name === "call") argv.unshift(calleeName(args, final));
    try {
      return spec.fn(argv, this.config.ctx);
    } catch (error) {
      this.node = node;
      const reason = error instanceof Error ? error.message : String(error);
      this.errorf(`error calling ${name}: ${reason}`, error);
    }
  }

  /** `and`/`or` evaluate arguments only until the result is known. */
  evalAndOr(
    dot: unknown,
    dotIface: boolean,
    name: string,
    args: Node[] | null,
    final: Final,
  ): unknown {
    let value: unknown = undefined;
    const wanted = name === "or";
    const list = args ?? [];
    for (let i = 1; i < list.length; i++) {
      value = this.evalArg(dot, dotIface, "value", list[i]);
      if (isTrue(indirect(value)) === wanted) return value;
    }
    if (final !== MISSING) value = this.validateType(final, "value");
    return value;
  }

  /** Checks that a value fits a parameter type (Go's `validateType`). */
  validateType(value: unknown, type: ArgType | null): unknown {
    if (value === undefined) {
      if (type === null || type === "value") return undefined;
      if (type === "any" || type === "map") return null;
      this.errorf(`invalid value; expected ${argTypeName(type)}`);
    }
    if (type === null || type === "value" || type === "any" || assignable(value, type)) {
      return value;
    }
    this.errorf(`wrong type for value; expected ${argTypeName(type)}; got ${typeName(value)}`);
  }

  evalArg(dot: unknown, dotIface: boolean, type: ArgType | null, node: Node): unknown {
    this.node = node;
    switch (node.type) {
      case "dot":
        return this.validateType(dot, type);
      case "nil":
        if (type === "value") return undefined;
        if (type === "any" || type === "map") return null;
        this.errorf(`cannot assign nil to ${type === null ? "<nil>" : argTypeName(type)}`);
        break;
      case "field":
        return this.validateType(this.evalFieldNode(dot, dotIface, node, [node], MISSING), type);
      case "variable":
        return this.validateType(this.evalVariableNode(node, null, MISSING), type);
      case "pipe":
        return this.validateType(this.evalPipeline(dot, dotIface, node), type);
      case "identifier":
        return this.validateType(this.evalFunction(dot, dotIface, node, node, null, MISSING), type);
      case "chain":
        return this.validateType(this.evalChainNode(dot, dotIface, node, null, MISSING), type);
    }
    return this.evalConstantArg(type, node);
  }

  /** A literal argument converted to the parameter type, as Go's `evalBool`, `evalInteger`… */
  evalConstantArg(type: ArgType | null, node: Node): unknown {
    switch (type) {
      case "bool":
        if (node.type === "bool") return node.value;
        this.errorf(`expected bool; found ${nodeString(node)}`);
        break;
      case "float64":
        if (node.type === "number" && node.num.isFloat) return goFloat(node.num.float);
        this.errorf(`expected float; found ${nodeString(node)}`);
        break;
      case "int":
        if (node.type === "number" && node.num.isInt) return intValue(node.num.int);
        this.errorf(`expected integer; found ${nodeString(node)}`);
        break;
      case "string":
        if (node.type === "string") return node.text;
        this.errorf(`expected string; found ${nodeString(node)}`);
        break;
      case "map":
        this.errorf(`can't handle ${nodeString(node)} for arg of type ${argTypeName(type)}`);
    }
    switch (node.type) {
      case "bool":
        return node.value;
      case "number":
        return this.idealConstant(node);
      case "string":
        return node.text;
    }
    this.errorf(`can't handle assignment of ${nodeString(node)} to empty interface argument`);
  }
}

function assignable(value: unknown, type: ArgType): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "bool":
      return typeof value === "boolean";
    case "int":
      return kindOf(value) === "int";
    case "float64":
      return kindOf(value) === "float";
    case "map":
      return kindOf(value) === "map";
  }
  return true;
}

function intValue(value: bigint): number | bigint {
  return value >= -9007199254740991n && value <= 9007199254740991n ? Number(value) : value;
}

/** The callee name Go's `call` reports: the argument as written, or the piped value. */
function calleeName(args: Node[] | null, final: Final): string {
  if (args && args.length > 1) return nodeString(args[1]);
  return typeof final === "string" ? final : `<${typeName(final)} Value>`;
}
