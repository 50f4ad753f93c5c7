// The editor's last section: save the pack on the server, then assign its quiz to one of the
// teacher's classes; once assigned, the draft in this tab is forgotten.

import { h, replace, announce } from "./dom.js";
import { errorBox } from "./ui.js";
import { call, enc } from "./studio_common.js";
import { keep, forget, refreshKeys } from "./studio_draft.js";

/** Section 5 of the editor: the save button and, once saved, the assign form. */
export function saveSection(draft) {
  const saveBox = h("div", { "aria-live": "polite" });
  return h("section", { class: "card", "aria-labelledby": "st-save-h" },
    h("h2", { id: "st-save-h" }, "5. Save and assign"),
    h("button", { type: "button", class: "btn", "data-testid": "save-pack", onclick: async () => {
      refreshKeys(draft);
      keep();
      replace(saveBox);
      try {
        const saved = await call("PUT", `/studio/packs/${enc(draft.pack.id)}`, draft);
        announce("Saved.");
        replace(saveBox, h("p", { class: "ok", "data-testid": "saved" }, `Saved “${saved.title}”. Its quiz can now be assigned to a class.`), await assignForm(saved));
      } catch (err) { replace(saveBox, errorBox(err)); }
    } }, "Save the pack"),
    saveBox);
}

async function assignForm(saved) {
  const classes = await call("GET", "/classes");
  if (!classes.length) return h("p", {}, "Create a class on the ", h("a", { href: "#/teacher" }, "teacher page"), " to assign it.");
  const select = h("select", { id: "st-assign-class" }, classes.map((c) => h("option", { value: c.id }, c.name)));
  const quiz = h("select", { id: "st-assign-quiz" }, saved.quizzes.map((q) => h("option", { value: q }, q)));
  const out = h("div");
  const form = h("form", { class: "assign" },
    h("div", { class: "field" }, h("label", { for: "st-assign-class" }, "Class"), select),
    h("div", { class: "field" }, h("label", { for: "st-assign-quiz" }, "Quiz"), quiz),
    h("button", { type: "submit", class: "btn", "data-testid": "assign" }, "Assign to the class"), out);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const created = await call("POST", `/classes/${enc(select.value)}/assignments`, { quiz_id: quiz.value, feedback: "immediate" });
      forget();
      replace(out, h("p", { "data-testid": "assigned" }, "Assigned. ", h("a", { href: `#/teacher/assignment/${enc(created.id)}` }, "Open the assignment")));
      announce("Assigned.");
    } catch (err) { replace(out, errorBox(err)); }
  });
  return form;
}
