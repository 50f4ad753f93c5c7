// Feedback on the text: found, missed and extra spans, each with its own colour AND its own
// pattern and icon, a legend that says so, and the list of feedback items in words.

import { h, fmt } from "./dom.js";
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

/** Text explaining how this type is scored, shown with the score ("the score and why"). */
export function scoringRule(exercise) {
  if (exercise && exercise.scoring_rule) return `How this is scored: ${exercise.scoring_rule}.`;
  switch (exercise && exercise.type) {
    case "highlight":
    case "label_spans":
      return "Span score: the share of your marked words inside key spans (precision) and of key words you marked (recall). Marking everything earns very little.";
    case "attribution_roles":
      return "Source, cue and content are each scored by how much of the key span you marked, then combined with the weights stated.";
    case "multi_choice":
      return `Score = (right choices − ${exercise.penalty ? fmt(exercise.penalty) : "1"} × wrong choices) ÷ number of right options, never below 0.`;
    case "single_choice":
      return "One right option: full points or none.";
    case "match":
      return exercise.policy === "all_or_nothing" ? "All pairs must be right to score." : "Each right pair earns its share of the points.";
    case "short_answer":
      return "Rubric: each criterion you meet earns its points. The score is provisional until your teacher reviews it.";
    case "rewrite":
      return "Checked that the loaded words are gone and the names, places and figures remain. Provisional until your teacher reviews it.";
    default:
      return "";
  }
}

/**
 * Render an outcome. ``ctx``: lesson context; ``exercise``: the student view (for scope and rule);
 * ``marks``: the student's own spans, drawn under the feedback.
 */
export function renderOutcome(outcome, exercise, ctx, marks = []) {
  const status = outcome.status || "";
  const items = outcome.feedback || [];
  const earned = outcome.earned;
  const box = h("section", { class: `outcome status-${status}`, "aria-label": "Feedback", "data-testid": "outcome" });
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
      h("strong", {}, `Score: ${fmt(earned)} / ${fmt(outcome.possible)}`),
      " — ", STATUS_TEXT[status] || status),
    h("p", { class: "rule" }, scoringRule(exercise)));
  if (outcome.reviewed) {
    box.append(h("p", { class: "review" }, "Reviewed by your teacher.",
      outcome.review_comment ? h("span", {}, " Comment: ", h("q", { "data-testid": "review-comment" }, outcome.review_comment)) : null));
  }
  if (outcome.certainty_mark !== null && outcome.certainty_mark !== undefined) {
    box.append(h("p", {}, `Certainty-based mark: ${fmt(outcome.certainty_mark)} (when right +1/+2/+3 for certainty 1/2/3; when wrong 0/−2/−6).`));
  }
  if (outcome.counts) {
    const c = outcome.counts;
    box.append(h("p", { class: "counts" }, `Found ${c.hits}, missed ${c.misses}, extra ${c.false_alarms}` +
      (c.foils_marked ? `, look-alikes marked ${c.foils_marked}` : "") + "."));
  }
  const spanItems = items.filter((f) => SPAN_KINDS.has(f.kind) && f.start !== null && f.start !== undefined);
  if (ctx && exercise && (spanItems.length || marks.length) && ["highlight", "label_spans", "attribution_roles"].includes(exercise.type)) {
    box.append(legend(), annotatedText(ctx, exercise.scope, spanItems, marks));
  }
  if (items.length) {
    box.append(h("ul", { class: "feedback-list" }, items.map((f) => {
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
  } else if (!outcome.feedback || outcome.feedback.length === 0) {
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

