/** A command tree shaped like `atmos auth`, shared by the CLI tests. */

import type { CommandSpec, Invocation } from "../../lib/cli/command.ts";

async function ok(_inv: Invocation): Promise<number> {
  return await Promise.resolve(0);
}

/** Builds a fresh tree (tests must not share mutable specs). */
export function atmosTree(): CommandSpec {
  return {
    name: "atmos",
    summary: "Universal tool for DevOps and cloud automation",
    flags: [
      {
        name: "config",
        type: "string[]",
        description: "Paths to configuration files",
        persistent: true,
        valueName: "path",
      },
      { name: "no-color", type: "boolean", description: "Disable colour", persistent: true },
      { name: "verbose", short: "v", type: "boolean", description: "Verbose output" },
    ],
    subcommands: [
      {
        name: "auth",
        summary: "Authenticate with cloud providers",
        description: "Authenticate with cloud providers and run commands with their credentials",
        flags: [
          {
            name: "identity",
            short: "i",
            type: "string",
            description: "Identity to use",
            optionalValue: "__SELECT__",
            persistent: true,
            valueName: "name",
          },
        ],
        subcommands: [
          {
            name: "login",
            summary: "Log in to an identity",
            examples: ["atmos auth login", "atmos auth login --identity=prod-admin"],
            flags: [
              {
                name: "provider",
                short: "p",
                type: "string",
                description: "Provider to log in to",
              },
              { name: "tags", type: "string[]", description: "Select identities by tag" },
              { name: "webflow", type: "boolean", description: "Use the browser flow" },
            ],
            run: ok,
          },
          {
            name: "exec",
            summary: "Run a command with identity credentials",
            acceptsRest: true,
            run: ok,
          },
          {
            name: "list",
            aliases: ["ls"],
            summary: "List providers and identities",
            flags: [
              {
                name: "format",
                short: "f",
                type: "string",
                description: "Output format",
                choices: ["table", "tree", "json"],
                default: "tree",
              },
              {
                name: "providers",
                type: "string[]",
                description: "Show only these providers",
                optionalValue: "*",
              },
            ],
            run: ok,
          },
          {
            name: "logout",
            summary: "Remove cached credentials",
            args: [{ name: "identity", description: "Identity to log out" }],
            flags: [{ name: "dry-run", type: "boolean", description: "Only show what would go" }],
            run: ok,
          },
          { name: "whoami", summary: "Show the current identity", run: ok },
          { name: "secret-debug", summary: "Hidden", hidden: true, run: ok },
        ],
      },
      {
        name: "terraform",
        aliases: ["tf"],
        summary: "Run terraform",
        args: [{ name: "subcommand", description: "terraform subcommand", required: true }, {
          name: "component",
          description: "component",
          required: true,
        }],
        flags: [{ name: "stack", short: "s", type: "string", description: "Stack" }],
        passThroughUnknown: true,
        acceptsRest: true,
        run: ok,
      },
      {
        name: "vendor",
        summary: "Vendor files",
        args: [{ name: "paths", description: "Paths", required: true, variadic: true }],
        run: ok,
      },
    ],
  };
}
