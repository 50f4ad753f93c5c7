// The studio's editor: the shell around its five sections (studio_text.js, studio_key.js,
// studio_exercises.js, studio_preview.js, studio_saving.js). It keeps the draft after every change,
// has the server lint it a moment later and puts each problem under the item or exercise it concerns.

import { h, replace } from "./dom.js";
import { signOut } from "./teacher_common.js";
import { setTitle, errorBox, onLeave } from "./ui.js";
import { call, ctxOf } from "./studio_common.js";
import { state, keep, refreshKeys } from "./studio_draft.js";
import { textSection } from "./studio_text.js";
import { keyPanel } from "./studio_key.js";
import { exercisesSection } from "./studio_exercises.js";
import { checkSection } from "./studio_preview.js";
import { saveSection } from "./studio_saving.js";

/** The editor of the draft open in this tab (studio_draft.js's ``state``). */
export function editor() {
  const { draft } = state;
  setTitle(`Studio: ${draft.pack.title}`);
  const problemsBox = h("div", { "aria-live": "polite", "data-testid": "studio-problems" });
  let lintTimer = null;
  let lastProblems = [];
  const itemNotes = new Map(); // item id -> element showing its problems
  const exerciseNotes = new Map(); // exercise id -> the same

  let spans = null; // the key's section, built below; a structural change redraws its lists
  const drawSpansLists = () => spans.draw();

  const changed = (structural = false) => {
    keep();
    if (structural) drawSpansLists();
    window.clearTimeout(lintTimer);
    lintTimer = window.setTimeout(lint, 900);
  };
  onLeave(() => window.clearTimeout(lintTimer));

  async function lint() {
    refreshKeys(draft);
    keep();
    try {
      const result = await call("POST", "/studio/lint", draft);
      lastProblems = result.problems;
      drawProblems(result);
      return result;
    } catch (err) {
      replace(problemsBox, errorBox(err));
      return null;
    }
  }

  function drawProblems(result) {
    if (result.ok) replace(problemsBox, h("p", { class: "ok", "data-testid": "lint-ok" }, "No problems: the pack can be saved."));
    else replace(problemsBox, h("p", {}, `${result.problems.length} problem${result.problems.length === 1 ? "" : "s"} to fix before saving:`),
      h("ul", { class: "problems" }, result.problems.map((p) => h("li", {}, h("code", {}, `${p.file}${p.location ? ` · ${p.location}` : ""}`), " ", p.message))));
    drawItemNotes();
  }

  // Problems anchored to the text: each item's own problems appear under it.
  function drawItemNotes() {
    for (const [id, note] of [...itemNotes, ...exerciseNotes]) {
      const mine = lastProblems.filter((p) => p.location.includes(`(${id})`) || p.location === id);
      replace(note, mine.map((p) => h("p", { class: "error" }, p.message)));
    }
  }

  // What every section shares; sections are built in page order, which also numbers their fields.
  const ed = { draft, changed, itemNotes, exerciseNotes, drawItemNotes, drawSpansLists };
  const text = textSection(ed);
  ed.ctx = ctxOf(draft);
  spans = keyPanel(ed);
  const exercises = exercisesSection(ed);
  const check = checkSection({ draft, lint, problemsBox });
  const save = saveSection(draft);

  spans.draw();
  exercises.draw();
  exercises.drawTemplate();
  lint();
  return h("div", { class: "studio-editor" },
    h("div", { class: "screen-head" }, h("h1", {}, `Studio: ${draft.pack.title}`), signOut()),
    h("p", {}, h("a", { href: "#/teacher/studio" }, "← Studio")),
    text, spans.el, exercises.el, check, save);
}
