// The student's attempt: answers autosaved as they change (kept on this device until the server
// has them), other tabs' answers and submits followed, and a submit that shows what will be graded.

import { h, announce, replace } from "./dom.js";
import { api, drafts, store, ApiError } from "./api.js";
import { runner, isAnswered } from "./runner.js";
import { lessonFor } from "./reading.js";
import { setTitle, errorBox, items, onLeave } from "./ui.js";
import { attemptKey, needStudent, savedAnswers, exercisesOf, isSubmitted } from "./student_common.js";

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
