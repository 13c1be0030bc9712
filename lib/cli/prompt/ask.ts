/**
 * The questions of workflow and custom-command steps (`input`, `choose`, `confirm`) on the
 * prompt state machines. Loaded only when such a step asks.
 *
 * @module
 */

import type { Question } from "../../exec/steps.ts";
import { createConfirm } from "./confirm.ts";
import { type PromptIO, runPrompt } from "./driver.ts";
import { createSecret } from "./secret.ts";
import { createSelect } from "./select.ts";
import { createText } from "./text.ts";

/**
 * Asks `question` on the terminal and returns the answer: the text typed (a hidden `password`
 * input left empty gives its default), the option picked, or `"true"`/`"false"`.
 */
export async function askQuestion(question: Question, io?: PromptIO): Promise<string> {
  switch (question.type) {
    case "choose":
      return await runPrompt(
        createSelect({
          message: question.message,
          options: question.options,
          initial: question.default,
        }),
        io,
      );
    case "confirm":
      return await runPrompt(
        createConfirm({ message: question.message, initial: question.default === "true" }),
        io,
      );
    default: {
      if (question.password) {
        const typed = await runPrompt(createSecret({ message: question.message }), io);
        return typed === "" ? question.default ?? "" : typed;
      }
      return await runPrompt(
        createText({
          message: question.message,
          initial: question.default,
          placeholder: question.placeholder,
        }),
        io,
      );
    }
  }
}
