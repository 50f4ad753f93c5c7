// The editor's third section: the exercises built so far (each removable, with its problems), the
// template chooser with the form of the chosen template (studio_templates.js), and the quiz's title
// and kind.

import { h, replace, field, announce } from "./dom.js";
import { typeName } from "./exercises.js";
import { state } from "./studio_draft.js";
import { TEMPLATES, templateFields, buildExercise } from "./studio_templates.js";

/** Section 3 of the editor, built from the editor's shared context (studio_editor.js): ``el`` is
 * the section, ``draw()`` redraws the list of exercises, ``drawTemplate()`` the chosen template's form. */
export function exercisesSection({ draft, ctx, changed, exerciseNotes, drawItemNotes }) {
  const exList = h("ul", { class: "exercises" });
  const templateBox = h("div");
  const exErrors = h("div");
  function drawExercises() {
    exerciseNotes.clear();
    replace(exList, draft.exercises.map((ex) => h("li", { class: "exercise-row", "data-exercise": ex.id },
      h("strong", {}, ex.title), ` · ${typeName(ex.type)} · paragraphs ${ex.scope.join(", ")} `,
      exerciseNotes.set(ex.id, h("div", { class: "item-problems" })).get(ex.id),
      h("button", { type: "button", class: "btn small secondary", "aria-label": `Remove exercise ${ex.title}`, onclick: () => {
        draft.exercises = draft.exercises.filter((e) => e !== ex);
        delete state.templates[ex.id];
        drawExercises();
        changed();
      } }, "Remove"))));
    drawItemNotes();
  }
  const kind = h("select", { id: "tpl-kind", "data-testid": "template" }, Object.entries(TEMPLATES).map(([k, v]) => h("option", { value: k }, v)));
  kind.addEventListener("change", () => drawTemplate());
  let form = null;
  function drawTemplate() {
    const type = kind.value;
    const parts = templateFields(type, draft, ctx);
    form = h("form", { class: "template-form" }, parts, exErrors, h("button", { type: "submit", class: "btn", "data-testid": "add-exercise" }, "Add the exercise"));
    form.addEventListener("submit", (e) => { e.preventDefault(); addExercise(type); });
    replace(templateBox, form);
  }
  function addExercise(type) {
    replace(exErrors);
    const fail = (message) => { replace(exErrors, h("p", { class: "error", role: "alert" }, message)); };
    const ex = buildExercise(type, form, draft, ctx, fail);
    if (!ex) return;
    draft.exercises.push(ex);
    drawExercises();
    drawTemplate();
    announce(`Exercise “${ex.title}” added.`);
    changed();
  }
  const quizTitle = field("Quiz title", { name: "quiz_title", value: state.quiz.title });
  quizTitle.input.addEventListener("input", () => { state.quiz.title = quizTitle.input.value; changed(); });
  const quizKind = h("select", { id: "quiz-kind" }, [["assessment", "An assessment you assign"], ["practice", "A practice set anyone can try"]]
    .map(([k, n]) => h("option", { value: k, selected: state.quiz.kind === k }, n)));
  quizKind.addEventListener("change", () => { state.quiz.kind = quizKind.value; changed(); });
  const el = h("section", { class: "card", "aria-labelledby": "st-ex-h" },
    h("h2", { id: "st-ex-h" }, "3. Exercises from templates"),
    exList,
    h("div", { class: "field" }, h("label", { for: "tpl-kind" }, "Template"), kind),
    templateBox,
    h("h3", {}, "The quiz"), quizTitle.wrap, h("div", { class: "field" }, h("label", { for: "quiz-kind" }, "Kind"), quizKind));
  return { el, draw: drawExercises, drawTemplate };
}
