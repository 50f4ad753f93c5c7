// Feedback on the text: found, missed and extra spans, each with its own colour AND its own
// pattern and icon, a legend that says so, and the list of feedback items in words.

import { h, fmt, pointsOf } from "./dom.js";
import { renderBlocks } from "./article.js";

export const KINDS = {
  found: { icon: "✓", name: "Found", help: "you marked this and the key agrees" },
  missed: { icon: "○", name: "Missed", help: "in the key, not marked by you" },
  extra: { icon: "✗", name: "Extra", help: "marked by you, not in the key" },
  foil: { icon: "⚠", name: "Look-alike", help: "resembles the technique but is not one" },
  wrong_label: { icon: "≠", name: "Wrong label", help: "right place, different label" },
  contested: { icon: "≈", name: "Debatable", help: "careful readers disagree here: marking it costs and earns nothing" },
};

const SPAN_KINDS = new Set(Object.keys(KINDS));

const STATUS_TEXT = {
  correct: "Correct",
  partial: "Partly correct",
  incorrect: "Not correct",
  invalid: "Could not be read",
  needs_review: "Waiting for your teacher",
};

export function legend() {
  return h("div", { class: "legend", role: "group", "aria-label": "Legend" },
    h("span", { class: "legend-title" }, "Legend:"),
    Object.entries(KINDS).map(([kind, k]) =>
      h("span", { class: "legend-item" },
        h("span", { class: `sample fb-${kind}`, "aria-hidden": "true" }, `${k.icon} text`),
        ` ${k.name}: ${k.help}`)));
}

/** How this type is scored, in words a student knows (shown with the score). */
export function scoringRule(exercise) {
  switch (exercise && exercise.type) {
    case "highlight":
    case "label_spans":
      return "How this is scored: each place you find earns its share of the points" +
        (exercise.type === "label_spans" ? " (with the right label)" : "") +
        ". Marks on words that are not doing the work lower the score, so marking everything earns nothing.";
    case "attribution_roles":
      return "How this is scored: the source, the cue and the content each earn their share of the points when your mark is on the same words as the answer.";
    case "multi_choice":
    case "single_choice":
    case "match":
      return exercise.scoring_rule ? `How this is scored: ${exercise.scoring_rule.replace(/\.$/, "")}.` : "";
    case "short_answer":
      return "How this is scored: each point of the checklist your answer makes earns its share. Your teacher reads every answer and confirms the score.";
    case "rewrite":
      return "How this is scored: the loaded words should be gone and the names, places and numbers kept. Your teacher reads every rewrite and confirms the score.";
    default:
      return exercise && exercise.scoring_rule ? `How this is scored: ${exercise.scoring_rule}.` : "";
  }
}

/**
 * Render an outcome. ``ctx``: lesson context; ``exercise``: the student view (for scope and rule);
 * ``marks``: the student's own spans, drawn under the feedback.
 */
export function renderOutcome(outcome, exercise, ctx, marks = []) {
  const status = outcome.status || "";
  const items = outcome.feedback || [];
  // A plain <div>: a result page shows one per exercise, and landmarks must have unique names.
  const box = h("div", { class: `outcome status-${status}`, "data-testid": "outcome" });
  // A written answer's provisional score is not a verdict: no score until a teacher gives one.
  if (outcome.waiting_for_teacher) {
    box.append(h("p", { class: "score", "data-testid": "waiting" },
      h("strong", {}, "Waiting for your teacher"), ` — a teacher reads written answers and gives the score (out of ${fmt(outcome.possible)}).`));
    return box;
  }
  if (outcome.self_check) {
    box.append(selfCheck(outcome.self_check, exercise));
    return box;
  }
  box.append(
    h("p", { class: "score" },
      h("strong", {}, `You earned ${pointsOf(outcome.earned, outcome.possible)}.`),
      " ", STATUS_TEXT[status] ? `${STATUS_TEXT[status]}.` : ""));
  for (const f of items.filter((x) => x.kind === "summary")) box.append(h("p", { class: "summary" }, f.message));
  box.append(h("p", { class: "rule" }, scoringRule(exercise)));
  if (outcome.reviewed) {
    box.append(h("p", { class: "review" }, "Reviewed by your teacher.",
      outcome.review_comment ? h("span", {}, " Comment: ", h("q", { "data-testid": "review-comment" }, outcome.review_comment)) : null));
  }
  if (outcome.certainty_mark !== null && outcome.certainty_mark !== undefined) {
    box.append(h("p", {}, `For how sure you were: ${fmt(outcome.certainty_mark)}. (A right answer gives +1, +2 or +3 for "unsure", "fairly sure" or "very sure"; a wrong one gives 0, −2 or −6.)`));
  }
  const spanItems = items.filter((f) => SPAN_KINDS.has(f.kind) && f.start !== null && f.start !== undefined);
  if (ctx && exercise && (spanItems.length || marks.length) && ["highlight", "label_spans", "attribution_roles"].includes(exercise.type)) {
    box.append(legend(), annotatedText(ctx, exercise.scope, spanItems, marks));
  }
  const details = items.filter((f) => f.kind !== "summary");
  if (details.length) {
    box.append(h("ul", { class: "feedback-list" }, details.map((f) => {
      const kind = KINDS[f.kind];
      const n = spanItems.indexOf(f);
      return h("li", { class: `fb-item fbk-${f.kind}` },
        kind ? h("span", { class: `sample fb-${f.kind}`, "aria-hidden": "true" }, n >= 0 ? `${kind.icon}${n + 1}` : kind.icon) : null,
        " ",
        h("strong", {}, kind ? `${kind.name}: ` : ""),
        f.quote ? h("q", {}, f.quote) : null,
        f.quote ? " — " : null,
        f.message || "");
    })));
  } else if (items.length === 0) {
    box.append(h("p", {}, "No further feedback is released for this exercise."));
  }
  return box;
}

/** Practice, written answers: the rubric as a checklist to tick for oneself, and an example answer. */
export function selfCheck(check, exercise) {
  const idBase = `sc-${(exercise && exercise.id) || "x"}`;
  const list = h("ul", { class: "self-check-list" }, (check.checklist || []).map((item, k) =>
    h("li", {},
      h("input", { type: "checkbox", id: `${idBase}-${k}` }),
      " ",
      h("label", { for: `${idBase}-${k}` }, item))));
  const items = check.checklist || [];
  return h("div", { class: "self-check", "data-testid": "self-check" },
    h("p", { class: "score" }, h("strong", {}, "Check your own answer"),
      " — written answers are scored by a teacher, not by the computer.", items.length ? " Tick what your answer does:" : ""),
    items.length ? list : null,
    check.example_answer
      ? h("figure", { class: "example-answer" },
        h("figcaption", {}, "One good answer (yours can differ and still be right):"),
        h("blockquote", { "data-testid": "example-answer" }, check.example_answer))
      : h("p", { class: "help" }, "This exercise is part of a test, so no example answer is shown."));
}

/** The exercise's blocks with the feedback spans drawn on the words, numbered like the list. */
export function annotatedText(ctx, scope, spanItems, marks) {
  const { el, words, gaps } = renderBlocks(ctx, scope);
  el.classList.add("feedback-text");
  for (const w of words) {
    if (marks.some((m) => m.start < w.end && w.start < m.end)) w.el.classList.add("mine");
  }
  for (const g of gaps) {
    if (marks.some((m) => m.start <= g.start && g.end <= m.end)) g.el.classList.add("mine");
    const f = spanItems.find((x) => x.start <= g.start && g.end <= x.end);
    if (f) g.el.classList.add(`fb-${f.kind}`);
  }
  spanItems.forEach((f, k) => {
    let first = true;
    for (const w of words) {
      if (!(w.start < f.end && f.start < w.end)) continue;
      w.el.classList.add(`fb-${f.kind}`);
      if (first) {
        w.el.before(h("span", { class: `fb-badge fb-${f.kind}`, "aria-hidden": "true" }, `${KINDS[f.kind].icon}${k + 1}`));
        first = false;
      }
    }
  });
  return h("figure", { class: "feedback-figure" }, el,
    h("figcaption", { class: "help" }, "Your own marks are underlined in black. Each feedback span starts with its icon and number, as in the list below."));
}

