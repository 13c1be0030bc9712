/**
 * Fake keychain programs for the system store tests: a CommandRunner that imitates
 * `secret-tool` and `security` over an in-memory map and records every call.
 *
 * @module
 */

import type { CommandResult, CommandRunner } from "../../lib/store/mod.ts";

/** One recorded command. */
export interface RecordedCall {
  cmd: string;
  args: string[];
  stdin?: string;
}

/** A fake keychain: `items` maps `service/account` to the stored text. */
export interface FakeKeychain {
  run: CommandRunner;
  calls: RecordedCall[];
  items: Map<string, string>;
}

/** Imitates libsecret's `secret-tool` (store/lookup/clear with attribute pairs). */
export function fakeSecretTool(): FakeKeychain {
  const calls: RecordedCall[] = [];
  const items = new Map<string, string>();
  function run(cmd: string, args: string[], stdin?: string): Promise<CommandResult> {
    calls.push({ cmd, args: [...args], stdin });
    if (cmd !== "secret-tool") return Promise.reject(new Deno.errors.NotFound(cmd));
    const [verb, ...rest] = args;
    const attrs = rest.filter((arg) => !arg.startsWith("--"));
    const id = attributeId(attrs);
    if (verb === "store") {
      items.set(id, stdin ?? "");
      return ok("");
    }
    if (verb === "lookup") {
      const value = items.get(id);
      return value === undefined ? result(1, "", "") : ok(value);
    }
    if (verb === "clear") {
      items.delete(id);
      return ok("");
    }
    return result(2, "", "usage");
  }
  return { run, calls, items };
}

/** Imitates macOS `security` (find/delete-generic-password, and `-i` reading one add command). */
export function fakeSecurity(): FakeKeychain {
  const calls: RecordedCall[] = [];
  const items = new Map<string, string>();
  function run(cmd: string, args: string[], stdin?: string): Promise<CommandResult> {
    calls.push({ cmd, args: [...args], stdin });
    if (cmd !== "security") return Promise.reject(new Deno.errors.NotFound(cmd));
    if (args[0] === "-i") return interactive(stdin ?? "");
    const id = `${option(args, "-s")}/${option(args, "-a")}`;
    const value = items.get(id);
    if (args[0] === "find-generic-password") {
      if (value === undefined) return notFound();
      return ok(args.includes("-w") ? `${value}\n` : "keychain: ...\n");
    }
    if (args[0] === "delete-generic-password") {
      if (value === undefined) return notFound();
      items.delete(id);
      return ok("");
    }
    return result(2, "", "usage");
  }
  function interactive(input: string): Promise<CommandResult> {
    const words = input.trim().match(/'[^']*'|\S+/g) ?? [];
    const unquoted = words.map((word) => word.replace(/^'(.*)'$/, "$1"));
    if (unquoted[0] !== "add-generic-password") return result(1, "", "unknown command");
    const id = `${option(unquoted, "-s")}/${option(unquoted, "-a")}`;
    items.set(id, option(unquoted, "-w") ?? "");
    return ok("");
  }
  return { run, calls, items };
}

function attributeId(attrs: string[]): string {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < attrs.length; i += 2) map.set(attrs[i], attrs[i + 1]);
  return `${map.get("service")}/${map.get("username")}`;
}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
}

function notFound(): Promise<CommandResult> {
  return result(
    44,
    "",
    "security: SecKeychainSearchCopyNext: The specified item could not be found in the keychain.\n",
  );
}

function ok(stdout: string): Promise<CommandResult> {
  return result(0, stdout, "");
}

function result(code: number, stdout: string, stderr: string): Promise<CommandResult> {
  return Promise.resolve({ code, stdout, stderr });
}
