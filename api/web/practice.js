// Practice mode: any quiz, no class, nothing stored; answers are checked by the public check route.

import { h } from "./dom.js";
import { api } from "./api.js";
import { runner } from "./runner.js";
import { lessonFor } from "./reading.js";
import { setTitle, items } from "./ui.js";

const KIND_NAMES = { practice: "Practice set", assessment: "Assessment", pre_post: "Pre/post check" };

export async function practiceList() {
  setTitle("Practice");
  // Only practice sets: assessments and pre/post checks are answered inside an assignment.
  const quizzes = items(await api.quizzes(), "quizzes").filter((q) => q.kind === "practice");
  return h("div", {},
    h("h1", {}, "Practise"),
    h("p", {}, "Pick a set. Each answer is checked right away and nothing is stored."),
    h("ul", { class: "quiz-list" }, quizzes.map((q) => h("li", { class: "card" },
      h("h2", {}, h("a", { href: `#/practice/${encodeURIComponent(q.id)}` }, q.title)),
      h("p", { class: "meta" }, [KIND_NAMES[q.kind] || q.kind, q.form ? `form ${q.form}` : null,
        (q.exercise_count ?? (q.exercises || []).length) ? `${q.exercise_count ?? q.exercises.length} exercises` : null].filter(Boolean).join(" · ")),
      q.description ? h("p", {}, q.description) : null))));
}

export async function practiceQuiz(quizId, start) {
  const quiz = await api.quiz(quizId);
  const ctx = await lessonFor(quiz);
  let exercises = quiz.exercises || [];
  if (exercises.length && typeof exercises[0] === "string") exercises = await Promise.all(exercises.map((id) => api.exercise(id)));
  const title = /^practi[cs]e/i.test(quiz.title) ? quiz.title : `Practice: ${quiz.title}`;
  setTitle(title);
  const answers = {};
  return runner({
    title,
    exercises,
    ctx,
    answers,
    start: Number(start || 1) - 1,
    check: (ex, response) => api.check(ex.id, response),
    onMove: (k) => history.replaceState(null, "", `#/practice/${encodeURIComponent(quizId)}/${k + 1}`),
  });
}
