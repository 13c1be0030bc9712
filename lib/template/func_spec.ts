/**
 * How template functions are described to the executor: Go-style parameter types (so
 * arguments are checked and converted as Go's `reflect` calls do) and the implementation.
 *
 * @module
 */

/**
 * A parameter type: `any` is `interface{}`, `value` is `reflect.Value` (the raw engine value,
 * nil included), `map` is `map[string]interface{}`; the rest are Go's basic types.
 */
export type ArgType = "any" | "value" | "string" | "int" | "float64" | "bool" | "map";

/** What a function may read besides its arguments. */
export interface CallContext {
  /** Environment lookup for `env` (the caller's getter, never `process.env`). */
  getenv(name: string): string | undefined;
}

/** A template function. */
export interface FuncSpec {
  /** Fixed parameters. */
  params: readonly ArgType[];
  /** Type of the trailing `...` parameter, when variadic. */
  variadic?: ArgType;
  /** The implementation; throws an Error whose message Go would report. */
  fn: (args: unknown[], ctx: CallContext) => unknown;
}

/** Go's spelling of a parameter type in error messages. */
export function argTypeName(type: ArgType): string {
  switch (type) {
    case "any":
      return "interface {}";
    case "value":
      return "reflect.Value";
    case "map":
      return "map[string]interface {}";
    default:
      return type;
  }
}
