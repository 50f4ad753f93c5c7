// The review queue: short answers and rewrites whose provisional score the teacher confirms or changes.

import { announce, fmt, h, points, replace } from "./dom.js";
import { api } from "./api.js";
import { errorBox } from "./ui.js";

export function reviewItems(results) {
  const out = [];
  for (const r of results.rows || []) {
    for (const exId of r.awaiting_review || []) {
      const score = (r.exercises || {})[exId] || {};
      if (score.answer_id === null || score.answer_id === undefined) continue;
      out.push({ student: r.display_name, student_id: r.student_id, attempt: r.attempt, exercise_id: exId, ...score });
    }
  }
  return out;
}

/** Read JSON Lines of stored answers into ``texts``: answer id, or student id + attempt + exercise, -> text. */
export function readAnswerLines(body, texts) {
  for (const line of String(body || "").split(/\r?\n/)) {
    if (!line.trim()) continue;
    let record;
    try { record = JSON.parse(line); } catch { continue; }
    const response = record.response || {};
    if (typeof response.text !== "string") continue;
    const exercise = record.exercise || record.exercise_id;
    if (record.answer_id !== undefined) texts.set(`a:${record.answer_id}`, response.text);
    if (record.student_id !== undefined && record.attempt !== undefined) {
      texts.set(`t:${record.student_id}\u0000${record.attempt}\u0000${exercise}`, response.text);
    }
  }
}

export function answerText(q, texts) {
  if (q.response && typeof q.response.text === "string") return q.response.text;
  for (const key of [`a:${q.answer_id}`, `t:${q.student_id}\u0000${q.attempt}\u0000${q.exercise_id}`]) {
    if (texts.has(key)) return texts.get(key);
  }
  return undefined;
}

/** "8/5" -> "1.6"; a fraction without a finite decimal ("4/3") stays a fraction, so nothing is rounded. */
export function scoreText(exact) {
  const m = /^(\d+)\/(\d+)$/.exec(String(exact ?? ""));
  if (!m) return String(exact ?? "");
  let d = Number(m[2]);
  while (d % 2 === 0) d /= 2;
  while (d % 5 === 0) d /= 5;
  return d === 1 ? String(Number(m[1]) / Number(m[2])) : `${m[1]}/${m[2]}`;
}

export function drawReviews(el, results, quiz, reload, texts = new Map()) {
  const queue = reviewItems(results);
  const open = new Set([...el.querySelectorAll("form[data-answer]")].map((f) => f.dataset.answer));
  const withText = new Set([...el.querySelectorAll("form[data-answer][data-text]")].map((f) => f.dataset.answer));
  const same = queue.length === open.size && queue.every((q) => open.has(String(q.answer_id)) && (withText.has(String(q.answer_id)) || answerText(q, texts) === undefined));
  // Never redraw under a teacher who is typing a score or comment.
  if (same && queue.length) return;
  if (!queue.length) { replace(el, h("p", {}, "Nothing waits for review.")); return; }
  const exercises = new Map((quiz.exercises || []).map((e) => [e.id, e]));
  replace(el, h("p", { class: "help" }, "Short answers and rewrites are scored provisionally by the rubric. Confirm or change each score; a comment is shown to the student."),
    h("ul", { class: "review-list" }, queue.map((q) => {
      const ex = exercises.get(q.exercise_id) || {};
      const earnedId = `rv-e-${q.answer_id}`;
      const commentId = `rv-c-${q.answer_id}`;
      // Any score the engine gives (1.6, 4/3) must be typable and confirmable unchanged.
      const exact = q.exact ?? String(q.earned ?? 0);
      const earned = h("input", { id: earnedId, type: "text", inputmode: "decimal", autocomplete: "off", value: scoreText(exact),
        "aria-describedby": `${earnedId}-help` });
      const comment = h("textarea", { id: commentId, rows: 2, maxlength: 2000 });
      const msg = h("div", { "aria-live": "polite" });
      const text = answerText(q, texts);
      const save = async (value) => {
        try {
          await api.review(q.answer_id, { earned: value, comment: comment.value });
          announce(`Score saved for ${q.student}.`);
          form.closest("li").remove();
          reload();
        } catch (err) { replace(msg, errorBox(err)); }
      };
      const confirm = h("button", { type: "button", class: "btn", "data-testid": "confirm-score" }, `Confirm ${scoreText(exact)}`);
      confirm.addEventListener("click", () => save(exact));
      const form = h("form", { class: "card review", "data-testid": "review-item", dataset: text === undefined ? { answer: String(q.answer_id) } : { answer: String(q.answer_id), text: "1" } },
        h("h2", { class: "review-title" }, `${q.student} — ${ex.title || q.exercise_id}`),
        ex.prompt ? h("p", { class: "meta" }, ex.prompt) : null,
        text !== undefined
          ? h("blockquote", { class: "student-text", "data-testid": "student-text" }, text)
          : h("p", { class: "help" }, "(This server does not send the answer's text to the dashboard.)"),
        h("p", { class: "meta" }, `Provisional score ${scoreText(exact)} of ${fmt(q.possible)}.`),
        q.flag ? h("p", { class: "help", "data-testid": "flag" }, `No provisional points: ${q.flag}`) : null,
        h("p", {}, confirm, " or give another score:"),
        h("div", { class: "field" }, h("label", { for: earnedId }, `Score (0 to ${fmt(q.possible)})`), earned,
          h("p", { class: "help", id: `${earnedId}-help` }, "A number such as 1.5 or 1,5, or a fraction such as 4/3.")),
        h("div", { class: "field" }, h("label", { for: commentId }, "Comment for the student (optional)"), comment),
        h("button", { type: "submit", class: "btn secondary" }, "Save score"), msg);
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        const value = earned.value.trim();
        if (!/^\d+([.,]\d+)?$|^\d+\s*\/\s*[1-9]\d*$/.test(value)) {
          replace(msg, h("p", { class: "error", role: "alert" }, "Type a number such as 1.5 or a fraction such as 4/3."));
          earned.focus();
          return;
        }
        save(value.replace(/\s+/g, ""));
      });
      return h("li", {}, form);
    })));
}
