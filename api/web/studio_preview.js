// The editor's fourth section: the server's problems with the draft, and the check that previews
// every exercise as a student sees it, with what the scorer gives three answers.

import { h, replace, announce } from "./dom.js";
import { renderAnswer, renderQuestion } from "./exercises.js";
import { ctxOf } from "./studio_common.js";

/** Section 4 of the editor: ``problemsBox`` (drawn by the editor's lint) and the preview button. */
export function checkSection({ draft, lint, problemsBox }) {
  const previewBox = h("div", { "data-testid": "previews" });
  const outcomeLine = (name, o) => h("li", {}, `${name}: `, o ? h("strong", {}, `${o.earned} of ${o.possible}`) : "—", o ? ` (${o.status.replace("_", " ")})` : " (no such answer for this type)");
  return h("section", { class: "card", "aria-labelledby": "st-check-h" },
    h("h2", { id: "st-check-h" }, "4. Check and preview as a student"),
    problemsBox,
    h("button", { type: "button", class: "btn secondary", "data-testid": "preview", onclick: async () => {
      const result = await lint();
      if (!result) return;
      if (!result.ok) { replace(previewBox, h("p", {}, "Fix the problems above to see the preview.")); return; }
      const pctx = ctxOf(draft);
      replace(previewBox, result.previews.map((p, k) => h("article", { class: "card preview", "data-exercise": p.exercise.id },
        renderQuestion(p.exercise, pctx, k, result.previews.length),
        renderAnswer(p.exercise, pctx, undefined, () => {}).el,
        h("h3", {}, "What the scorer gives"),
        h("ul", { class: "preview-scores" },
          outcomeLine("The model answer", p.model_answer), outcomeLine("An empty answer", p.empty_answer), outcomeLine("Marking everything", p.mark_everything)))));
      announce(`Preview of ${result.previews.length} exercises.`);
    } }, "Check and preview"),
    previewBox);
}
