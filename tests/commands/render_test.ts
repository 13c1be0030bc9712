import assert from "node:assert/strict";
import { renderCommandTemplate, type TemplateData } from "../../lib/commands/render.ts";
import { TemplateError } from "../../lib/template/mod.ts";

function data(extra: Partial<TemplateData> = {}): TemplateData {
  const flags = { stack: "dev", verbose: false, "dry-run": true };
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

Deno.test("renderCommandTemplate() renders the custom-command context with Go's printing rules", () => {
  const text =
    "plan {{ .Arguments.component }} -s {{.Flags.stack}} v={{ .Flags.verbose }} {{ .TrailingArgs }}";
  assert.equal(renderCommandTemplate(text, data(), "t", {}), "plan vpc -s dev v=false -x 'a b'");
  const component = { deps: ["a", "b"], vars: { x: 1 } };
  assert.equal(
    renderCommandTemplate(
      "{{ .ComponentConfig.deps }} {{ .ComponentConfig.vars }}",
      data({ ComponentConfig: component }),
      "t",
      {},
    ),
    "[a b] map[x:1]",
  );
  assert.equal(
    renderCommandTemplate(
      '{{ if index .Flags "dry-run" }}dry{{ end }} {{ .Cwd | upper }}',
      data(),
      "t",
      {},
    ),
    "dry /P",
  );
  assert.equal(renderCommandTemplate("no actions", data(), "t", {}), "no actions");
});

Deno.test("renderCommandTemplate() reads env from atmos's environment, not from the template data", () => {
  assert.equal(
    renderCommandTemplate('{{ env "BUILD" | default "local" }} {{ .Env.HOME }}', data(), "t", {
      BUILD: "42",
    }),
    "42 /h",
  );
});

Deno.test("renderCommandTemplate() fails on a missing key with the template name and position", () => {
  assert.throws(
    () => renderCommandTemplate("ok\n  {{ .Arguments.nope }}", data(), "commands.0.steps.1", {}),
    (e: unknown) => {
      assert.ok(e instanceof TemplateError);
      assert.equal(e.templateName, "commands.0.steps.1");
      assert.equal(e.line, 2);
      assert.match(e.message, /map has no entry for key "nope"/);
      assert.equal(e.exitCode, 2);
      return true;
    },
  );
});
