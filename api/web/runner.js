// Working through a list of exercises, one at a time: the question, the answer form, navigation,
// and either autosave (assignment) or a Check button (practice).

import { h, announce, replace, pointsOf } from "./dom.js";
import { renderAnswer, renderQuestion } from "./exercises.js";
import { renderOutcome } from "./feedback.js";
import { glossaryButton } from "./reading.js";
import { renderBlocks } from "./article.js";
import { errorBox, onLeave } from "./ui.js";

export function isAnswered(response) {
  if (!response) return false;
  switch (response.type) {
    case "highlight":
    case "label_spans": return (response.spans || []).length > 0;
    case "single_choice": return !!response.choice;
    case "multi_choice": return (response.choices || []).length > 0;
    case "match": return Object.keys(response.pairs || {}).length > 0;
    case "attribution_roles": return !!(response.source || response.cue || response.content);
    default: return !!(response.text && response.text.trim());
  }
}

/**
 * ``exercises``: student views in order; ``answers``: {exerciseId: response};
 * ``onAnswer(ex, response)``: called on every change (assignment autosave);
 * ``check(ex, response)``: practice mode, returns an outcome; ``footer``: extra controls (submit).
 */
export function runner({ title, exercises, ctx, answers, onAnswer, check, footer, start = 0, onMove, changes }) {
  let index = Math.min(Math.max(0, start), exercises.length - 1);
  const stage = h("div", { class: "stage" });
  const nav = h("ol", { class: "ex-nav", "aria-label": "Exercises" });
  const progress = h("p", { class: "progress" });

  // The exercise buttons are made once and then only updated: an answer saved when a text box loses
  // focus (on mousedown of a button) must not replace the button under the pointer, or the click
  // that follows never arrives and the student keeps typing into the exercise they meant to leave.
  const buttons = exercises.map((ex, k) => h("button", { type: "button", class: "ex-dot", onclick: () => go(k) }, String(k + 1)));
  replace(nav, buttons.map((b) => h("li", {}, b)));
  // One Tab stop for the whole list (roving tabindex): arrows, Home and End move between the
  // numbers, Enter opens one. Sixteen Tab presses no longer stand between a student and the text.
  nav.addEventListener("keydown", (e) => {
    const k = buttons.indexOf(document.activeElement);
    if (k < 0) return;
    const to = { ArrowRight: k + 1, ArrowDown: k + 1, ArrowLeft: k - 1, ArrowUp: k - 1, Home: 0, End: buttons.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = Math.max(0, Math.min(buttons.length - 1, to));
    buttons.forEach((b, i) => { b.tabIndex = i === next ? 0 : -1; });
    buttons[next].focus();
  });

  function drawNav() {
    exercises.forEach((ex, k) => {
      const done = isAnswered(answers[ex.id]);
      const b = buttons[k];
      b.classList.toggle("answered", done);
      if (k === index) b.setAttribute("aria-current", "step"); else b.removeAttribute("aria-current");
      b.tabIndex = k === index ? 0 : -1;
      b.setAttribute("aria-label", `Exercise ${k + 1}: ${ex.title}${done ? " (answered)" : ""}`);
    });
    const done = exercises.filter((ex) => isAnswered(answers[ex.id])).length;
    progress.textContent = `${done} of ${exercises.length} answered`;
  }

  let answer = null;
  function go(k) {
    // What was typed but not yet sent belongs to the exercise on screen: send it before leaving.
    if (answer) answer.flush();
    index = k;
    draw();
    buttons[k].scrollIntoView({ block: "nearest", inline: "nearest" });   // the phone's one-row list
    const t = stage.querySelector(".ex-title");
    if (t) t.focus();
    if (onMove) onMove(k);
  }

  function draw() {
    const ex = exercises[index];
    const result = h("div", { class: "check-result", "aria-live": "polite" });
    answer = renderAnswer(ex, ctx, answers[ex.id], (response) => {
      answers[ex.id] = response;
      drawNav();
      if (onAnswer) onAnswer(ex, response);
    });
    const checkButton = check
      ? h("button", { type: "button", class: "btn", "data-testid": "check", onclick: async () => {
          answer.flush();
          const response = answers[ex.id] || answer.value();
          replace(result, h("p", {}, "Checking…"));
          try {
            const outcome = await check(ex, response);
            const marks = response.spans || ["source", "cue", "content"].map((r) => response[r]).filter(Boolean);
            replace(result, renderOutcome(outcome, ex, ctx, marks));
            announce(outcome.self_check ? "Check your own answer against the list."
              : outcome.earned === null || outcome.earned === undefined ? "Waiting for your teacher."
                : `You earned ${pointsOf(outcome.earned, outcome.possible)}.`);
          } catch (err) {
            replace(result, errorBox(err));
          }
        } }, "Check my answer")
      : null;
    replace(stage,
      renderQuestion(ex, ctx, index, exercises.length),
      answer.el,
      h("div", { class: "actions" },
        checkButton,
        h("button", { type: "button", class: "btn secondary", disabled: index === 0, onclick: () => go(index - 1) }, "Previous"),
        h("button", { type: "button", class: "btn secondary", disabled: index === exercises.length - 1, onclick: () => go(index + 1), "data-testid": "next" }, "Next")),
      result);
    drawNav();
  }

  /** Focus the text of a marking exercise, or else the answer's first field. */
  function focusAnswer() {
    const target = stage.querySelector(".markable, .answer textarea, .answer input, .answer select");
    if (target) { target.scrollIntoView({ block: "nearest" }); target.focus(); }
  }
  const skip = h("a", { href: "", class: "skip-inline", "data-testid": "skip-to-text",
    onclick: (e) => { e.preventDefault(); focusAnswer(); } }, "Skip to the answer");
  // Alt+Shift+T: to the text or answer; Alt+Shift+E: to the exercise list (on the current number).
  const shortcuts = (e) => {
    if (!e.altKey || !e.shiftKey || !root.isConnected) return;
    if (e.code === "KeyT") { e.preventDefault(); focusAnswer(); }
    if (e.code === "KeyE") { e.preventDefault(); buttons[index].focus(); }
  };
  document.addEventListener("keydown", shortcuts);
  onLeave(() => document.removeEventListener("keydown", shortcuts));

  // An answer changed outside this page (another tab of the same student): show the stored one.
  const notice = h("div", { class: "notice", role: "status", "data-testid": "changed-elsewhere" });
  if (changes) {
    changes.addEventListener("answer", (e) => {
      const k = exercises.findIndex((ex) => ex.id === e.detail.exerciseId);
      if (k < 0) return;
      drawNav();
      const where = `exercise ${k + 1}`;
      if (k === index) {
        draw();
        replace(notice, h("p", {}, `Your answer to ${where} was changed in another tab or window. This is the answer that is stored now.`));
      } else {
        replace(notice, h("p", {}, `Your answer to ${where} was changed in another tab or window; open it to see the stored answer.`));
      }
    });
  }

  draw();
  const root = h("div", { class: "runner" },
    skip,
    h("div", { class: "screen-head" }, h("h1", {}, title), glossaryButton(ctx)),
    h("p", { class: "help shortcuts", id: "nav-help" }, "Exercise list: arrow keys choose a number, Enter opens it. Shortcuts: Alt+Shift+T to the answer, Alt+Shift+E to the exercise list."),
    h("div", { class: "runner-bar" }, progress, nav),
    notice,
    stage,
    h("details", { class: "whole-article" }, h("summary", {}, "The whole article"), renderBlocks(ctx, null).el),
    footer || null);
  nav.setAttribute("aria-describedby", "nav-help");
  return root;
}
