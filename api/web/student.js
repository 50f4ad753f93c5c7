// The student's side: assignment list, the attempt (autosaved, resumable) and the result.

import { h, announce, replace, pointsOf } from "./dom.js";
import { api, auth, drafts, store, ApiError } from "./api.js";
import { runner, isAnswered } from "./runner.js";
import { lessonFor } from "./reading.js";
import { renderOutcome } from "./feedback.js";
import { setTitle, errorBox, items, onLeave } from "./ui.js";

function attemptKey(assignmentId) {
  const me = auth.student() || {};
  return `medialit.attempt.${String(me.token || "").slice(0, 12)}.${assignmentId}`;
}

/** A message as one sentence with one full stop ("…try again." never becomes "…try again.."). */
function sentence(text) {
  const t = String(text || "").trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

/** A response as comparable text: keys sorted, empty values dropped (the server stores no nulls). */
function canonical(response) {
  if (!isAnswered(response)) return "";
  const clean = (v) => {
    if (Array.isArray(v)) return v.map(clean);
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.keys(v).sort().filter((k) => v[k] !== null && v[k] !== undefined).map((k) => [k, clean(v[k])]));
    }
    return v;
  };
  return JSON.stringify(clean(response));
}

function isSubmittedProblem(err) {
  return err instanceof ApiError && err.status === 409 && /attempt-submitted$/.test(String((err.problem || {}).type || ""));
}

function needStudent() {
  const me = auth.student();
  if (me && me.token) return null;
  return h("div", {}, h("h1", {}, "Join a class first"),
    h("p", {}, "You have not joined a class on this device. ", h("a", { href: "#/" }, "Join with your class code"), "."));
}

function leaveClass() {
  auth.setStudent(null);
  drafts.clearAll();  // this device keeps nothing of the student's answers once they leave
  location.hash = "#/";
}

/** "Leave this class on this device", with a confirmation: coming back needs the join code. */
function leaveArea() {
  const area = h("span", { class: "close-area" });
  const ask = () => {
    const yes = h("button", { type: "button", class: "btn small", "data-testid": "confirm-leave", onclick: leaveClass }, "Yes, leave");
    replace(area, h("span", { role: "group", "aria-label": "Confirm leaving" },
      "Leave? To come back on this device you need the join code again. Your submitted answers stay with your teacher. ", yes, " ",
      h("button", { type: "button", class: "btn small secondary", onclick: () => { draw(); area.querySelector("button").focus(); } }, "Stay")));
    yes.focus();
  };
  const draw = () => replace(area, h("button", { type: "button", class: "btn small secondary", onclick: ask }, "Leave this class on this device"));
  draw();
  return area;
}

function dateText(value) {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toLocaleString();
}

export async function studentHome() {
  const gate = needStudent();
  if (gate) return gate;
  const me = auth.student();
  setTitle("Your assignments");
  let list;
  try {
    list = items(await api.myAssignments(), "assignments");
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      auth.setStudent(null);
      return h("div", {}, h("h1", {}, "Please join again"), h("p", {}, "This device's sign-in is no longer valid. ", h("a", { href: "#/" }, "Join with your class code"), "."));
    }
    throw err;
  }
  const quizzes = new Map(items(await api.quizzes().catch(() => []), "quizzes").map((q) => [q.id, q]));
  return h("div", {},
    h("h1", {}, "Your assignments"),
    h("p", {}, "Signed in as ", h("strong", { "data-testid": "student-name" }, me.name || ""), me.className ? ` in ${me.className}` : "", ". ",
      leaveArea()),
    list.length === 0
      ? h("p", { class: "card" }, "No assignments yet. Your teacher will set one; reload this page when they say so.")
      : h("ul", { class: "assignment-list" }, list.map((a) => {
          const quiz = quizzes.get(a.quiz_id) || {};
          const title = a.title || a.quiz_title || quiz.title || a.quiz_id;
          const submitted = a.attempts_used > 0 && !a.open_attempt_id;
          return h("li", { class: "card" },
            h("h2", {}, title),
            h("p", { class: "meta" }, [a.due_at ? `Due ${dateText(a.due_at)}` : null,
              a.state && a.state !== "open" ? a.state : null,
              a.open_attempt_id ? "In progress" : submitted ? "Submitted" : "Not started"].filter(Boolean).join(" · ")),
            a.state === "scheduled"
              ? h("p", {}, a.opens_at ? `Opens ${dateText(a.opens_at)}.` : "Not open yet.")
              : a.state === "closed" && !submitted
                ? h("p", {}, "Closed: answers are no longer accepted.")
                : h("a", { class: "btn", href: `#/assignment/${encodeURIComponent(a.id)}` },
                    a.open_attempt_id ? "Continue" : submitted ? "See your result" : "Start"),
            submitted && a.state === "open" && a.attempts_used < a.attempts_allowed
              ? [" ", h("a", { class: "btn secondary", href: `#/assignment/${encodeURIComponent(a.id)}/new` }, `Start attempt ${a.attempts_used + 1} of ${a.attempts_allowed}`)]
              : null);
        })));
}

async function openAttempt(assignmentId, fresh = false) {
  const key = attemptKey(assignmentId);
  const list = items(await api.myAssignments(), "assignments");
  const mine = list.find((x) => String(x.id) === String(assignmentId));
  if (!mine) throw new Error("This assignment is not one of yours.");
  // The server knows the open attempt and the last submitted one, so both open on any device;
  // this device's memory is the fallback for an older server.
  const stored = store.get(key);
  const id = mine.open_attempt_id || (!fresh && (mine.last_submitted_attempt_id || (stored && stored.id)));
  if (id) {
    try {
      const attempt = await api.attempt(id);
      if (!isSubmitted(attempt) || !mine.open_attempt_id) return { attempt, assignment: mine };
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
      store.set(key, null);
    }
  }
  // "See your result" must never use up a new attempt: only a fresh start (or a first one) does.
  if (!fresh && mine.attempts_used > 0) {
    throw new Error("Your submitted attempt was made on another device (or this browser's storage was cleared), so its result cannot be opened here. Your teacher has your score.");
  }
  const attempt = await api.startAttempt(assignmentId);
  store.set(key, { id: attempt.id });
  return { attempt, assignment: mine };
}

function savedAnswers(attempt) {
  const out = {};
  const raw = attempt.answers || [];
  if (Array.isArray(raw)) {
    for (const a of raw) if (a && a.exercise_id && a.response) out[a.exercise_id] = a.response;
  } else {
    for (const [id, a] of Object.entries(raw)) out[id] = a && a.response ? a.response : a;
  }
  return out;
}

async function exercisesOf(attempt, quizId) {
  // The attempt carries its exercises with the options in the order drawn for it: show them as given.
  if (Array.isArray(attempt.exercises) && attempt.exercises.length && typeof attempt.exercises[0] === "object") return attempt.exercises;
  const order = attempt.exercise_order || [];
  const quiz = await api.quiz(quizId || attempt.quiz_id);
  const byId = new Map((quiz.exercises || []).filter((e) => typeof e === "object").map((e) => [e.id, e]));
  return Promise.all(order.map((id) => byId.get(id) || api.exercise(id)));
}

async function assignmentQuizId(assignmentId, attempt) {
  if (attempt.quiz_id) return attempt.quiz_id;
  if (attempt.assignment && attempt.assignment.quiz_id) return attempt.assignment.quiz_id;
  const list = items(await api.myAssignments(), "assignments");
  const a = list.find((x) => String(x.id) === String(assignmentId));
  return a ? a.quiz_id : null;
}

function isSubmitted(attempt) {
  return !!(attempt.submitted_at || attempt.status === "submitted" || attempt.submitted);
}

export async function assignmentScreen(assignmentId, fresh) {
  const gate = needStudent();
  if (gate) return gate;
  const { attempt, assignment } = await openAttempt(assignmentId, fresh === "new");
  if (fresh === "new") history.replaceState(null, "", `#/assignment/${encodeURIComponent(assignmentId)}`);
  if (isSubmitted(attempt)) {
    location.replace(`#/result/${encodeURIComponent(attempt.id)}`);
    return h("p", {}, "Opening your result…");
  }
  const exercises = await exercisesOf(attempt, assignment.quiz_id);
  const ctx = await lessonFor(assignment);
  const answers = { ...savedAnswers(attempt), ...drafts.get(attempt.id) };
  const saveState = h("p", { class: "save-state", role: "status", "data-testid": "save-state" }, "All answers saved.");
  const pending = new Map();
  const timers = new Map();
  let failing = false;

  async function save(exId) {
    timers.delete(exId);
    const response = pending.get(exId);
    if (!response) return;
    saveState.textContent = "Saving…";
    try {
      await api.saveAnswer(attempt.id, exId, response);
      if (pending.get(exId) === response) pending.delete(exId);
      failing = false;
      saveState.textContent = pending.size ? "Saving…" : "All answers saved.";
      saveState.dataset.saved = String(pending.size === 0);
    } catch (err) {
      failing = true;
      saveState.dataset.saved = "false";
      if (isSubmittedProblem(err)) { submittedElsewhere(); return; }
      const transient = !(err instanceof ApiError) || err.status === 0 || err.status >= 500 || err.status === 429;
      if (transient) {
        saveState.textContent = `Not saved yet: ${sentence(err.message)} Your answer is kept on this device; it will be sent again.`;
        timers.set(exId, window.setTimeout(() => save(exId), 3000));
      } else {
        // The server refused the answer (e.g. the assignment closed): retrying would not help.
        saveState.textContent = `Not saved: ${sentence(err.message)}`;
      }
    }
  }

  function queue(ex, response) {
    drafts.put(attempt.id, ex.id, response);
    pending.set(ex.id, response);
    saveState.dataset.saved = "false";
    saveState.textContent = failing ? saveState.textContent : "Saving…";
    window.clearTimeout(timers.get(ex.id));
    timers.set(ex.id, window.setTimeout(() => save(ex.id), 400));
  }

  async function flush() {
    for (const [id, t] of timers) { window.clearTimeout(t); timers.delete(id); }
    for (const id of [...pending.keys()]) await save(id);
    if (pending.size) throw new Error("Some answers could not be saved. Check the connection and try again.");
  }
  onLeave(() => { for (const t of timers.values()) window.clearTimeout(t); for (const id of pending.keys()) save(id); });

  // Another tab of this student on this device: its answers and its submit arrive as storage events.
  const changes = new EventTarget();
  let gone = false;
  function submittedElsewhere() {
    if (gone) return;
    gone = true;
    for (const t of timers.values()) window.clearTimeout(t);
    timers.clear();
    pending.clear();
    saveState.dataset.saved = "false";
    saveState.textContent = "This attempt has been submitted (in another tab or window). Opening your result…";
    replace(submitArea, h("p", { class: "card" }, "This attempt has been submitted, so it can no longer change. ",
      h("a", { href: `#/result/${encodeURIComponent(attempt.id)}` }, "See your result")));
    window.setTimeout(() => { if (location.hash.startsWith(`#/assignment/${encodeURIComponent(assignmentId)}`)) location.hash = `#/result/${encodeURIComponent(attempt.id)}`; }, 2500);
  }
  const onStorage = (e) => {
    if (e.key === attemptKey(assignmentId)) {
      const value = e.newValue ? JSON.parse(e.newValue) : null;
      if (value && value.submitted && String(value.id) === String(attempt.id)) submittedElsewhere();
      return;
    }
    if (e.key !== drafts.key(attempt.id) || !e.newValue) return;
    const theirs = JSON.parse(e.newValue);
    for (const [id, response] of Object.entries(theirs)) {
      if (JSON.stringify(answers[id]) === JSON.stringify(response)) continue;
      // The other tab's answer is the newer one: drop this tab's unsent version of it.
      window.clearTimeout(timers.get(id));
      timers.delete(id);
      pending.delete(id);
      answers[id] = response;
      changes.dispatchEvent(new CustomEvent("answer", { detail: { exerciseId: id } }));
    }
    drawSubmit();
  };
  window.addEventListener("storage", onStorage);
  onLeave(() => window.removeEventListener("storage", onStorage));

  // Answers kept only on this device (e.g. typed while offline) are sent now.
  const serverAnswers = savedAnswers(attempt);
  for (const [id, response] of Object.entries(drafts.get(attempt.id))) {
    if (JSON.stringify(serverAnswers[id]) !== JSON.stringify(response) && exercises.some((e) => e.id === id)) {
      queue({ id }, response);
    }
  }

  const submitArea = h("div", { class: "submit-area" });
  function drawSubmit() {
    const open = exercises.filter((ex) => !isAnswered(answers[ex.id])).length;
    replace(submitArea,
      h("h2", {}, "Finished?"),
      h("p", {}, open ? `${open} exercise${open === 1 ? " is" : "s are"} not answered yet. You can still submit.` : "Every exercise has an answer."),
      h("button", { type: "button", class: "btn", "data-testid": "submit", onclick: confirmSubmit }, "Submit my answers"));
  }
  function confirmSubmit() {
    const errors = h("div");
    const yes = h("button", { type: "button", class: "btn", "data-testid": "confirm-submit", onclick: async () => {
      yes.disabled = true;
      try {
        await flush();
        // Another device (or a tab in another browser) may have changed an answer this page still
        // shows the old way: what the server holds is what gets graded, so show it first.
        const fresh = await api.attempt(attempt.id);
        if (isSubmitted(fresh)) { submittedElsewhere(); return; }
        const stored = savedAnswers(fresh);
        const differs = (ex) => canonical(stored[ex.id]) !== canonical(answers[ex.id]);
        const changed = exercises.map((ex, k) => [ex, k]).filter(([ex]) => differs(ex));
        if (changed.length) {
          for (const [ex] of changed) {
            answers[ex.id] = stored[ex.id];
            drafts.put(attempt.id, ex.id, stored[ex.id]);
            changes.dispatchEvent(new CustomEvent("answer", { detail: { exerciseId: ex.id } }));
          }
          const which = changed.map(([, k]) => k + 1).join(", ");
          yes.disabled = false;
          replace(errors, h("p", { class: "error", role: "alert", "data-testid": "changed-before-submit" },
            `Your answer${changed.length === 1 ? "" : "s"} to exercise${changed.length === 1 ? "" : "s"} ${which} ${changed.length === 1 ? "was" : "were"} changed on another device or in another browser. `,
            "This page now shows what is stored, which is what will be graded. Check, then press “Yes, submit” again."));
          return;
        }
        await api.submit(attempt.id);
        store.set(attemptKey(assignmentId), { id: attempt.id, submitted: true });
        announce("Submitted.");
        location.hash = `#/result/${encodeURIComponent(attempt.id)}`;
      } catch (err) {
        if (isSubmittedProblem(err)) { submittedElsewhere(); return; }
        yes.disabled = false;
        replace(errors, errorBox(err));
      }
    } }, "Yes, submit");
    replace(submitArea,
      h("h2", {}, "Submit now?"),
      h("p", {}, "After submitting you cannot change your answers."),
      yes, " ",
      h("button", { type: "button", class: "btn secondary", onclick: drawSubmit }, "Not yet"),
      errors);
    yes.focus();
  }
  drawSubmit();
  setTitle("Assignment");
  const view = runner({
    title: assignment.quiz_title || "Assignment",
    exercises,
    ctx,
    answers,
    onAnswer: (ex, response) => { if (!gone) { queue(ex, response); drawSubmit(); } },
    changes,
    footer: h("div", {}, saveState, submitArea),
  });
  return view;
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
