import assert from "node:assert/strict";
import { askQuestion } from "../../../lib/cli/prompt/ask.ts";
import type { PromptIO } from "../../../lib/cli/prompt/driver.ts";
import type { Question } from "../../../lib/exec/steps.ts";

/** A terminal that reads `chunks` one at a time and keeps what was drawn. */
function terminal(chunks: string[]): { io: PromptIO; screen: () => string } {
  const queue = chunks.map((c) => new TextEncoder().encode(c));
  let screen = "";
  return {
    screen: () => screen,
    io: {
      stdin: {
        setRaw() {},
        read(buffer) {
          const chunk = queue.shift();
          if (!chunk) return Promise.resolve(null);
          buffer.set(chunk);
          return Promise.resolve(chunk.length);
        },
      },
      stderr: {
        writeSync(data) {
          screen += new TextDecoder().decode(data);
          return data.length;
        },
      },
    },
  };
}

function question(overrides: Partial<Question>): Question {
  return { type: "input", message: "Q?", options: [], password: false, ...overrides };
}

Deno.test("askQuestion() picks an option with the default preselected", async () => {
  const term = terminal(["\x1b[B", "\r"]);
  const answer = await askQuestion(
    question({ type: "choose", options: ["dev", "staging", "prod"], default: "staging" }),
    term.io,
  );
  assert.equal(answer, "prod");
});

Deno.test("askQuestion() confirms with the default on enter", async () => {
  assert.equal(
    await askQuestion(question({ type: "confirm", default: "true" }), terminal(["\r"]).io),
    "true",
  );
});

Deno.test("askQuestion() pre-fills input with the default and shows the placeholder while empty", async () => {
  assert.equal(
    await askQuestion(question({ default: "ops" }), terminal(["-team\r"]).io),
    "ops-team",
  );
  const term = terminal(["\r"]);
  assert.equal(await askQuestion(question({ placeholder: "john.doe" }), term.io), "");
  assert.match(term.screen(), /\? Q\? \(e\.g\. john\.doe\)/);
});

Deno.test("askQuestion() hides a password, and an empty one gives the default", async () => {
  const term = terminal(["s3cret\r"]);
  assert.equal(await askQuestion(question({ password: true }), term.io), "s3cret");
  assert.doesNotMatch(term.screen(), /s3cret/);
  assert.equal(
    await askQuestion(question({ password: true, default: "dflt" }), terminal(["\r"]).io),
    "dflt",
  );
});
