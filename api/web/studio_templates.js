// The exercise templates: for each exercise type the fields of its form, and the exercise the
// filled-in form describes (its key taken from the draft's items), or a sentence saying what is missing.

import { h, field, newId } from "./dom.js";
import { SKILLS, ARTICLE_ROLES, nextId, blockOf, sentenceAround, blockText, homeSkill } from "./studio_common.js";
import { state, refreshKeys } from "./studio_draft.js";

export const TEMPLATES = {
  highlight: "Highlight the spans of a skill in chosen paragraphs",
  label_spans: "Label the spans of a skill in chosen paragraphs",
  attribution_roles: "Source, cue and content of a chosen quote",
  single_choice: "Single choice",
  multi_choice: "Multiple choice (choose all that apply)",
  match: "Match spans of the key to their labels",
  short_answer: "Short answer with a rubric",
  rewrite: "Rewrite a loaded sentence neutrally",
};

// A span exercise starts with every body paragraph chosen: marking everything must earn little,
// which needs plenty of text with no technique in it around the key spans (docs/scoring.md).
function paragraphBoxes(draft, spans = false) {
  return h("fieldset", { class: "scope" }, h("legend", {}, "Paragraphs the exercise is about"),
    spans ? h("p", { class: "small" }, "Every body paragraph is chosen to start with: students must be able to tell the technique from plain text, so a span exercise needs plenty of text around its spans.") : null,
    draft.pack.blocks.filter((b) => ARTICLE_ROLES.has(b.role)).map((b) => {
      const id = newId("sc");
      const text = blockText(draft, b);
      return h("div", { class: "choice" }, h("input", { type: "checkbox", id, value: b.id, name: "scope", checked: spans && b.role === "body" }),
        h("label", { for: id }, `${b.id}: ${text.length > 70 ? `${text.slice(0, 70)}…` : text}`));
    }));
}

/** The fields of the form for a template of ``type``, before its error box and button. */
export function templateFields(type, draft, ctx) {
  const parts = [field("Title", { name: "ex_title", required: true }).wrap, field("Prompt for students", { name: "ex_prompt", rows: 2 }, "textarea").wrap];
  if (type === "highlight" || type === "label_spans") {
    parts.push(h("div", { class: "field" }, h("label", { for: "tpl-skill" }, "Skill"),
      h("select", { id: "tpl-skill", name: "ex_skill" }, SKILLS.map(([s, n]) => h("option", { value: s }, n)))), paragraphBoxes(draft, true));
  } else if (type === "attribution_roles") {
    const quotes = draft.items.filter((i) => i.skill === "attribution" && i.roles);
    parts.push(h("div", { class: "field" }, h("label", { for: "tpl-claim" }, "The quote (an attribution with source, cue and content)"),
      h("select", { id: "tpl-claim", name: "ex_claim" }, quotes.map((i) => h("option", { value: i.id }, `${i.id}: ${i.quote.slice(0, 80)}`)))));
  } else if (type === "match") {
    parts.push(h("fieldset", { class: "match-items" }, h("legend", {}, "Spans to match (two or more; each is matched to its label)"),
      draft.items.filter((i) => i.skill !== "foil").map((i) => {
        const id = newId("mi");
        return h("div", { class: "choice" }, h("input", { type: "checkbox", id, value: i.id, name: "ex_items" }),
          h("label", { for: id }, `${i.id}: ${i.quote.slice(0, 80)} (${ctx.labelName(i.labels[0])})`));
      })));
  } else if (type === "rewrite") {
    const framing = draft.items.filter((i) => i.skill === "framing");
    parts.push(h("div", { class: "field" }, h("label", { for: "tpl-loaded" }, "The loaded words (the sentence around them is rewritten)"),
      h("select", { id: "tpl-loaded", name: "ex_loaded" }, framing.map((i) => h("option", { value: i.id }, `${i.id}: ${i.quote.slice(0, 80)}`)))),
      field("Names, places and figures the rewrite must keep (comma-separated)", { name: "ex_keep" }).wrap,
      field("Model answer: the sentence rewritten neutrally", { name: "ex_model", rows: 2 }, "textarea").wrap);
  } else {
    parts.push(paragraphBoxes(draft), h("div", { class: "field" }, h("label", { for: "tpl-ref" }, "Which span of the key it is about"),
      h("select", { id: "tpl-ref", name: "ex_ref" }, draft.items.map((i) => h("option", { value: i.id }, `${i.id}: ${i.quote.slice(0, 80)}`)))));
    if (type === "single_choice" || type === "multi_choice") {
      const multi = type === "multi_choice";
      parts.push(h("fieldset", {}, h("legend", {}, multi ? "Options (tick every correct one)" : "Options (choose the correct one)"), [0, 1, 2, 3].map((k) => h("div", { class: "option-row" },
        h("input", { type: multi ? "checkbox" : "radio", name: "ex_correct", value: String(k), id: `tpl-correct-${k}`, checked: k === 0 }),
        h("label", { for: `tpl-correct-${k}` }, `Option ${k + 1} is correct`),
        field(`Option ${k + 1}`, { name: `ex_option_${k}` }).wrap,
        field(`Feedback for option ${k + 1}`, { name: `ex_feedback_${k}` }).wrap))));
    } else {
      parts.push(field("Model answer", { name: "ex_model", rows: 2 }, "textarea").wrap,
        field("Rubric criterion: what a good answer does", { name: "ex_criterion" }).wrap,
        field("Words that show it (comma-separated base words: “pay” also counts pays, paid and paying; a semicolon starts a second group that must also appear)", { name: "ex_concepts", placeholder: "pay, fund; claim, evidence" }).wrap);
    }
  }
  return parts;
}

/** The exercise of ``type`` that ``form`` describes, with a fresh id; or, after ``fail(message)``
 * has shown what is missing, undefined. */
export function buildExercise(type, form, draft, ctx, fail) {
  const value = (name) => (form.elements[name] ? form.elements[name].value.trim() : "");
  const scope = [...form.querySelectorAll("input[name=scope]:checked")].map((x) => x.value);
  const taken = new Set(draft.exercises.map((x) => x.id));
  const id = nextId(draft.pack.id, taken);
  const base = { id, type, title: value("ex_title") || TEMPLATES[type], prompt: value("ex_prompt") };
  if (!base.prompt) return fail("Write the prompt students read.");
  let ex;
  if (type === "highlight" || type === "label_spans") {
    if (!scope.length) return fail("Choose at least one paragraph.");
    const skill = value("ex_skill");
    ex = { ...base, skill, scope, key: [], ...(type === "highlight" ? { labels: [] } : { label_options: [] }) };
    state.templates[id] = { skill };
    refreshKeys({ ...draft, exercises: [ex] });
    if (!ex.key.length) return fail("There is no span of this skill in the key inside those paragraphs yet.");
  } else if (type === "attribution_roles") {
    const claim = draft.items.find((i) => i.id === value("ex_claim"));
    if (!claim) return fail("Accept a quotation suggestion (it brings source, cue and content) first.");
    ex = { ...base, skill: "attribution", scope: [blockOf(draft, claim.start).id], claim: claim.id };
  } else if (type === "match") {
    const chosen = [...form.querySelectorAll("input[name=ex_items]:checked")].map((x) => draft.items.find((i) => i.id === x.value));
    if (chosen.length < 2) return fail("Choose at least two spans.");
    const skill = homeSkill(draft, chosen[0]);
    const labels = [...new Set(chosen.map((i) => i.labels[0]))];
    const others = draft.techniques.filter((t) => t.skill === skill && !labels.includes(t.id)).map((t) => t.id);
    const right = [...labels, ...others].slice(0, Math.max(2, labels.length)).map((l, k) => ({ id: `r${k + 1}`, text: ctx.labelName(l), label: l }));
    const left = chosen.map((i, k) => ({ id: `l${k + 1}`, text: i.quote.length > 140 ? `${i.quote.slice(0, 140)}…` : i.quote, ref: i.id }));
    ex = { ...base, skill, scope: [...new Set(chosen.map((i) => blockOf(draft, i.start).id))], left,
      right: right.map(({ id: rid, text }) => ({ id: rid, text })),
      pairs: Object.fromEntries(left.map((l, k) => [l.id, right.find((r) => r.label === chosen[k].labels[0]).id])) };
  } else if (type === "rewrite") {
    const loaded = draft.items.find((i) => i.id === value("ex_loaded"));
    if (!loaded) return fail("Put a framing span in the key first.");
    if (!value("ex_model")) return fail("Write the model answer.");
    const target = sentenceAround(draft, loaded);
    const inside = draft.items.filter((i) => i.skill === "framing" && i.start >= target.start && i.end <= target.end).map((i) => i.id);
    ex = { ...base, skill: "framing", scope: [blockOf(draft, loaded.start).id], target, loaded: inside,
      keep: value("ex_keep").split(",").map((w) => w.trim()).filter(Boolean), model_answer: value("ex_model") };
  } else {
    const ref = draft.items.find((i) => i.id === value("ex_ref"));
    if (!scope.length && ref) scope.push(blockOf(draft, ref.start).id);
    if (!scope.length) return fail("Choose at least one paragraph.");
    const skill = ref ? homeSkill(draft, ref) : "framing";
    if (type === "single_choice" || type === "multi_choice") {
      const correct = new Set([...form.querySelectorAll("input[name=ex_correct]:checked")].map((x) => Number(x.value)));
      const options = [0, 1, 2, 3].map((k) => ({ id: String.fromCharCode(97 + k), text: value(`ex_option_${k}`), correct: correct.has(k),
        feedback: value(`ex_feedback_${k}`) || (correct.has(k) ? "Right." : "Not quite.") })).filter((o) => o.text);
      if (options.length < 2 || !options.some((o) => o.correct)) return fail("Write at least two options, one of them correct.");
      if (type === "single_choice" && options.filter((o) => o.correct).length !== 1) return fail("Exactly one option is correct.");
      ex = { ...base, skill, scope, refs: ref ? [ref.id] : [], options };
    } else {
      const groups = value("ex_concepts").split(";").map((g) => g.split(",").map((w) => w.trim()).filter(Boolean)).filter((g) => g.length);
      if (!value("ex_model") || !groups.length) return fail("Write a model answer and the words that show the criterion.");
      if (groups.flat().some((w) => w.includes("*"))) return fail("Write each word without “*”: the base word is enough (“pay” also counts pays, paid and paying).");
      ex = { ...base, skill, scope, refs: ref ? [ref.id] : [], model_answer: value("ex_model"),
        rubric: { criteria: [{ id: "c1", description: value("ex_criterion") || "Answers the question", points: 1, concepts: groups }] } };
    }
  }
  return ex;
}
