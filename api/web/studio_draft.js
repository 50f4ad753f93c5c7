// The draft open in this tab: kept in sessionStorage until it is saved, with what the editor knows
// beside the pack (paragraph reasons, suggestions and decisions, template skills, the quiz), and the
// keys of template-built span exercises, which follow the accepted items.

import { store } from "./api.js";
import { homeSkill } from "./studio_common.js";

const KEY = "medialit.studio";

/** {draft, reasons, suggestions, rules, decided, templates, quiz: {title, kind}}, or null: a live binding. */
export let state = null;

export function load() {
  if (!state) state = store.get(KEY, true);
  return state;
}

export function keep() {
  store.set(KEY, state, true);
}

/** Forget the draft: it is saved and assigned. */
export function forget() {
  state = null;
  store.set(KEY, null, true);
}

export function begin(draft, extra = {}) {
  state = { draft, reasons: {}, suggestions: [], rules: [], decided: {}, templates: {}, quiz: { title: draft.pack.title || "Quiz", kind: "assessment" }, ...extra };
  const quiz = (draft.quizzes || [])[0];
  if (quiz) state.quiz = { title: quiz.title, kind: quiz.kind };
  for (const ex of draft.exercises || []) {  // a reopened pack's span exercises keep following the key
    const first = (ex.key || []).map((id) => draft.items.find((i) => i.id === id)).find(Boolean);
    if (["highlight", "label_spans"].includes(ex.type) && first) state.templates[ex.id] = { skill: first.skill };
  }
  keep();
}

function inScope(draft, ex, item) {
  return ex.scope.some((b) => {
    const block = draft.pack.blocks.find((x) => x.id === b);
    return block && block.start <= item.start && item.end <= block.end;
  });
}

/** Keys of template-built span exercises follow the items: every accepted span of the skill in scope. */
export function refreshKeys(draft) {
  for (const ex of draft.exercises) {
    const template = state.templates[ex.id];
    if (!template || !["highlight", "label_spans"].includes(ex.type)) continue;
    // an item with a contested reason (set in the pack file) is listed as contested, not required
    const inside = draft.items.filter((i) => i.skill === template.skill && inScope(draft, ex, i));
    const scoped = inside.filter((i) => !i.contested);
    const contested = inside.filter((i) => i.contested).map((i) => i.id);
    const labels = [...new Set(scoped.map((i) => i.labels[0]))];
    ex.key = scoped.map((i) => i.id);
    if (contested.length) ex.contested = contested;
    else delete ex.contested;
    ex.foils = draft.items.filter((i) => i.skill === "foil" && homeSkill(draft, i) === template.skill && inScope(draft, ex, i)).map((i) => i.id);
    if (ex.type === "highlight") ex.labels = labels.length ? labels : ex.labels;
    else {
      // the menu offers at least two labels: the key's, then the skill's others from the glossary
      const more = draft.techniques.filter((t) => t.skill === template.skill && !labels.includes(t.id)).map((t) => t.id);
      ex.label_options = labels.length ? [...labels, ...more].slice(0, Math.max(2, labels.length)) : ex.label_options;
    }
  }
  const id = `${draft.pack.id}-quiz`;
  draft.quizzes = draft.exercises.length
    ? [{ id, title: state.quiz.title || draft.pack.title, kind: state.quiz.kind, exercises: draft.exercises.map((e) => e.id) }]
    : [];
}
