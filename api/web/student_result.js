// The student's result: the total, a line per exercise with its score, and (once released) the
// feedback on the text, built when the exercise is opened.

import { h, pointsOf } from "./dom.js";
import { api, drafts } from "./api.js";
import { lessonFor } from "./reading.js";
import { renderOutcome } from "./feedback.js";
import { setTitle, items } from "./ui.js";
import { needStudent, savedAnswers, exercisesOf, isSubmitted } from "./student_common.js";

async function assignmentQuizId(assignmentId, attempt) {
  if (attempt.quiz_id) return attempt.quiz_id;
  if (attempt.assignment && attempt.assignment.quiz_id) return attempt.assignment.quiz_id;
  const list = items(await api.myAssignments(), "assignments");
  const a = list.find((x) => String(x.id) === String(assignmentId));
  return a ? a.quiz_id : null;
}

function outcomesOf(result) {
  const out = new Map();
  const list = result.exercises || [];
  const entries = Array.isArray(list) ? list : Object.entries(list).map(([id, v]) => ({ exercise_id: id, ...v }));
  for (const a of entries) {
    const outcome = a.outcome || (a.status ? a : null);
    const id = a.exercise_id || (outcome && outcome.exercise_id);
    if (id) out.set(id, { outcome, response: a.response || null });
  }
  return out;
}

export async function resultScreen(attemptId) {
  const gate = needStudent();
  if (gate) return gate;
  const attempt = await api.attempt(attemptId);
  setTitle("Your result");
  const quizId = await assignmentQuizId(attempt.assignment_id, attempt);
  const exercises = await exercisesOf(attempt, quizId);
  const ctx = await lessonFor(exercises[0]);
  const result = attempt.result || {};
  const outcomes = outcomesOf(result);
  const local = { ...drafts.get(attemptId), ...savedAnswers(attempt) };
  const total = result;
  const released = [...outcomes.values()].some((o) => o.outcome);
  const rows = exercises.map((ex, k) => {
    const o = outcomes.get(ex.id) || {};
    const response = local[ex.id] || {};
    const marks = response.spans || ["source", "cue", "content"].map((r) => response[r]).filter(Boolean);
    return { ex, k, outcome: o.outcome, marks };
  });
  return h("div", { class: "result" },
    h("h1", {}, "Your result"),
    total && total.earned !== undefined && total.earned !== null
      ? h("p", { class: "total", "data-testid": "total" }, `You scored ${pointsOf(total.earned, total.possible)}`,
        total.waiting_for_teacher
          ? ` so far — ${total.waiting_for_teacher} written answer${total.waiting_for_teacher === 1 ? " is" : "s are"} waiting for your teacher, whose score will be added.`
          : ".")
      : h("p", { class: "total" }, "Your answers are submitted."),
    isSubmitted(attempt) ? null : h("p", { class: "card" }, "This attempt is not submitted yet. ", h("a", { href: `#/assignment/${encodeURIComponent(attempt.assignment_id)}` }, "Continue it")),
    released ? statusSummary(rows) : h("p", { class: "card" }, "Your teacher has not released scores and feedback yet."),
    released ? h("p", { class: "help" }, "Open an exercise to see your score, why, and (where your teacher allows it) the feedback on the text.") : null,
    released && isSubmitted(attempt)
      ? h("p", {}, h("a", { class: "btn secondary", href: `#/result/${encodeURIComponent(attemptId)}/class`, "data-testid": "open-class-view" },
          "See how your class marked the text"))
      : null,
    h("ol", { class: "result-list", "data-testid": "result-list" }, rows.map((r) => resultRow(r, ctx))),
    h("p", {}, h("a", { href: "#/student", class: "btn secondary" }, "Back to your assignments")));
}

const STATUS_SHORT = {
  correct: ["✓", "correct"],
  partial: ["◐", "partly correct"],
  incorrect: ["✗", "not correct"],
  invalid: ["!", "could not be read"],
  needs_review: ["…", "waiting for your teacher"],
};

/** "5 correct, 2 partly correct, 1 not correct": the whole attempt at a glance. */
function statusSummary(rows) {
  const tally = new Map();
  for (const r of rows) if (r.outcome) tally.set(r.outcome.status, (tally.get(r.outcome.status) || 0) + 1);
  const parts = Object.keys(STATUS_SHORT).filter((k) => tally.get(k)).map((k) => `${tally.get(k)} ${STATUS_SHORT[k][1]}`);
  return parts.length ? h("p", { class: "status-summary", "data-testid": "status-summary" }, `Of ${rows.length} exercises: ${parts.join(", ")}.`) : null;
}

/** One exercise of the result: a line with its score, opened for the prompt and the feedback. */
function resultRow({ ex, k, outcome, marks }, ctx) {
  const [icon, word] = outcome ? STATUS_SHORT[outcome.status] || ["", outcome.status] : ["", "no feedback yet"];
  const body = h("div", { class: "result-body" });
  const details = h("details", { class: `result-ex status-${outcome ? outcome.status : "none"}`, "data-testid": "result-ex" },
    h("summary", {},
      h("span", { class: "rx-icon", "aria-hidden": "true" }, icon),
      h("span", { class: "rx-title" }, `${k + 1}. ${ex.title}`),
      h("span", { class: "rx-score" }, outcome ? `${pointsOf(outcome.earned, outcome.possible)}, ${word}` : word)),
    body);
  // The feedback on the text is built when the exercise is first opened: a result page of sixteen
  // annotated copies of the article was 18,000 px tall and slow to lay out.
  let drawn = false;
  const draw = () => {
    if (drawn) return;
    drawn = true;
    body.append(h("p", { class: "prompt" }, ex.prompt),
      outcome ? renderOutcome(outcome, ex, ctx, marks) : h("p", {}, "No feedback for this exercise yet."));
  };
  details.addEventListener("toggle", () => { if (details.open) draw(); });
  return h("li", {}, details);
}
