import assert from "node:assert/strict";
import { renderCommandTemplate, type TemplateData } from "../../lib/commands/render.ts";

function data(extra: Partial<TemplateData> = {}): TemplateData {
  const flags = { stack: "dev", verbose: false };
  return {
    Arguments: { component: "vpc" },
    Flags: flags,
    flags,
    TrailingArgs: "-x 'a b'",
    Cwd: "/p",
    cwd: "/p",
    Env: { HOME: "/h" },
    env: { HOME: "/h" },
    ...extra,
  };
}

Deno.test("renderCommandTemplate() renders field chains with Go's printing rules", () => {
  const text =
    "plan {{ .Arguments.component }} -s {{.Flags.stack}} v={{ .Flags.verbose }} {{ .TrailingArgs }}";
  assert.equal(renderCommandTemplate(text, data(), "t"), "plan vpc -s dev v=false -x 'a b'");
  const component = { deps: ["a", "b"], vars: { x: 1, n: null } };
  assert.equal(
    renderCommandTemplate(
      "{{ .ComponentConfig.deps }} {{ .ComponentConfig.vars }}",
      data({ ComponentConfig: component }),
      "t",
    ),
    "[a b] map[n:<no value> x:1]",
  );
  assert.equal(renderCommandTemplate("a {{- .Cwd -}} b", data(), "t"), "a/pb");
  assert.equal(renderCommandTemplate("no actions", data(), "t"), "no actions");
});

Deno.test("renderCommandTemplate() fails on a missing key with the template name and position", () => {
  assert.throws(
    () => renderCommandTemplate("ok\n  {{ .Arguments.nope }}", data(), "commands.0.steps.1"),
    (e: Error & { exitCode: number }) => {
      assert.equal(
        e.message,
        'template commands.0.steps.1:2:3: map has no entry for key "nope" in .Arguments.nope',
      );
      assert.equal(e.exitCode, 2);
      return true;
    },
  );
  assert.throws(() => renderCommandTemplate("{{ .Flags.stack", data(), "t"), /unclosed action/);
});
