// What the student's screens share: the sign-in gate, this device's memory of an attempt, and
// reading an attempt's answers and exercises as the server sends them.

import { h } from "./dom.js";
import { api, auth } from "./api.js";

/** This device's storage key for the student's attempt at an assignment (per sign-in). */
export function attemptKey(assignmentId) {
  const me = auth.student() || {};
  return `medialit.attempt.${String(me.token || "").slice(0, 12)}.${assignmentId}`;
}

export function needStudent() {
  const me = auth.student();
  if (me && me.token) return null;
  return h("div", {}, h("h1", {}, "Join a class first"),
    h("p", {}, "You have not joined a class on this device. ", h("a", { href: "#/" }, "Join with your class code"), "."));
}

/** The attempt's saved answers by exercise id. */
export function savedAnswers(attempt) {
  const out = {};
  const raw = attempt.answers || [];
  if (Array.isArray(raw)) {
    for (const a of raw) if (a && a.exercise_id && a.response) out[a.exercise_id] = a.response;
  } else {
    for (const [id, a] of Object.entries(raw)) out[id] = a && a.response ? a.response : a;
  }
  return out;
}

/** The attempt's exercises, in the order drawn for it. */
export async function exercisesOf(attempt, quizId) {
  // The attempt carries its exercises with the options in the order drawn for it: show them as given.
  if (Array.isArray(attempt.exercises) && attempt.exercises.length && typeof attempt.exercises[0] === "object") return attempt.exercises;
  const order = attempt.exercise_order || [];
  const quiz = await api.quiz(quizId || attempt.quiz_id);
  const byId = new Map((quiz.exercises || []).filter((e) => typeof e === "object").map((e) => [e.id, e]));
  return Promise.all(order.map((id) => byId.get(id) || api.exercise(id)));
}

export function isSubmitted(attempt) {
  return !!(attempt.submitted_at || attempt.status === "submitted" || attempt.submitted);
}
