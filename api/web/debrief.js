// After release: the class debrief for the projector (teacher) and a student's view of how the
// class marked the text. Both come from the server without names; when fewer students submitted
// than the server's minimum group, the server sends no class figure at all and we say why.

import { h, replace, announce } from "./dom.js";
import { api, ApiError } from "./api.js";
import { lessonFor } from "./reading.js";
import { renderBlocks } from "./article.js";
import { setTitle } from "./ui.js";
import { guarded, signOut } from "./teacher_common.js";

/** The blocks an exercise's scope [start, end) covers. */
function scopeBlocks(ctx, scope) {
  return ctx.blocks.filter((b) => b.start < scope[1] && scope[0] < b.end).map((b) => b.id);
}

/** Shade each word by how many students marked it: heat runs [{start, end, students}]. */
function shade(words, gaps, heat, classSize) {
  const level = (n) => Math.min(5, Math.max(1, Math.ceil((n / Math.max(1, classSize)) * 5)));
  const countAt = (start, end) => {
    let best = 0;
    for (const run of heat) if (run.start < end && start < run.end) best = Math.max(best, run.students);
    return best;
  };
  for (const w of words) {
    const n = countAt(w.start, w.end);
    if (n) { w.el.classList.add(`hw-${level(n)}`); w.el.dataset.students = String(n); }
  }
  for (const g of gaps) {
    const n = countAt(g.start, g.end);
    if (n) g.el.classList.add(`hw-${level(n)}`);
  }
}

function outline(words, start, end, cls) {
  for (const w of words) if (w.start < end && start < w.end) w.el.classList.add(cls);
}

function scale(classSize) {
  return h("div", { class: "heat-scale heat", "aria-hidden": "true" }, h("span", { class: "scale-name" }, "Students"),
    [1, 2, 3, 4, 5].map((k) => h("span", { class: `hw-${k}` }, k === 1 ? "a few" : k === 5 ? `all ${classSize}` : "")));
}

function withheldNote(minGroup, who) {
  return h("p", { class: "card note", "data-testid": "withheld", role: "status" },
    `Fewer than ${minGroup} students have submitted, so ${who} shows no class figures: with so few, one student's answer could be read off the map.`);
}

function releasedOnly(err) {
  if (err instanceof ApiError && err.status === 409) {
    return h("div", { class: "card", "data-testid": "not-released" }, h("h1", {}, "Not open yet"), h("p", {}, err.message));
  }
  throw err;
}

export function debriefScreen(assignmentId) {
  return guarded(async () => {
    const assignment = await api.assignment(assignmentId);
    setTitle(`Debrief: ${assignment.quiz_title}`);
    let report;
    try { report = await api.debrief(assignmentId); } catch (err) { return releasedOnly(err); }
    const back = h("p", {}, h("a", { href: `#/teacher/assignment/${encodeURIComponent(assignmentId)}` }, "← Back to the gradebook"));
    if (!report.exercises.length) {
      return h("div", { class: "debrief" }, h("h1", {}, "Class debrief"), back,
        h("p", { class: "card" }, "This quiz has no exercises marked on the text, so there is nothing to lay over the article."));
    }
    const ctx = await lessonFor(assignment);
    const items = new Map();
    for (const ex of report.exercises) for (const it of ex.items) items.set(`${ex.exercise_id}/${it.item_id}`, { ex, it });
    const steps = report.proposals.map((p) => ({ key: `${p.exercise_id}/${p.item_id}`, why: p.explanation }));
    let exIndex = 0;
    let stepIndex = -1;
    const showKey = h("input", { type: "checkbox", id: "db-key", checked: true });
    const showFoils = h("input", { type: "checkbox", id: "db-foils" });
    const picker = h("select", { id: "db-exercise" }, report.exercises.map((ex, k) => h("option", { value: String(k) }, `${k + 1}. ${ex.title}`)));
    const textPanel = h("div", { class: "debrief-text", "data-testid": "debrief-text" });
    const stepPanel = h("section", { class: "card debrief-step", "aria-live": "polite", "data-testid": "debrief-step", "aria-labelledby": "db-step-h" });
    const itemList = h("div", { class: "debrief-items" });

    function drawText() {
      const ex = report.exercises[exIndex];
      const { el, words, gaps } = renderBlocks(ctx, scopeBlocks(ctx, ex.scope));
      el.classList.add("heat");
      if (ex.heat) shade(words, gaps, ex.heat, report.students);
      for (const it of ex.items) {
        if (it.kind === "key" && showKey.checked) outline(words, it.start, it.end, "db-key");
        if (it.kind === "foil" && showFoils.checked) outline(words, it.start, it.end, "db-foil");
      }
      const current = stepIndex >= 0 ? items.get(steps[stepIndex].key) : null;
      if (current && current.ex === ex) outline(words, current.it.start, current.it.end, "db-current");
      replace(textPanel, h("h2", {}, ex.title), h("p", { class: "prompt" }, ex.prompt), ex.heat ? scale(report.students) : null, el);
    }

    function figure(it) {
      if (it.students === null || it.students === undefined) return null;
      const verb = it.kind === "key" ? "found it" : "marked it";
      return h("p", { class: "figure" }, `${it.students} of ${report.students} students ${verb}.`);
    }

    function drawItem(it, why) {
      return [
        h("p", { class: "quote" }, h("q", {}, it.quote)),
        h("p", {}, h("strong", {}, it.kind === "key" ? `${it.technique}. ` : "A look-alike: not the technique. "), it.rationale),
        it.contested ? h("p", { class: "note" }, "Careful readers disagree about this one: there is a case for marking it and a case against.") : null,
        figure(it), why ? h("p", { class: "meta" }, why) : null,
        it.discussion ? h("p", { class: "discussion" }, h("strong", {}, "Ask the class: "), it.discussion) : null,
      ];
    }

    function drawStep() {
      if (stepIndex < 0) {
        replace(stepPanel, h("h2", { id: "db-step-h" }, "Walk through"),
          steps.length
            ? h("p", {}, `The view proposes ${steps.length} moments to discuss: where the class split, what most missed and the look-alikes most marked. Press “Next” to start, or pick any item below.`)
            : h("p", {}, report.withheld ? "Pick any item below to discuss it." : "Nothing stands out: pick any item below to discuss it."),
          stepButtons());
        return;
      }
      const step = steps[stepIndex];
      const { it } = items.get(step.key);
      replace(stepPanel, h("h2", { id: "db-step-h" }, steps.length > 1 && step.why !== null ? `Moment ${stepIndex + 1} of ${steps.length}` : "Discussing"),
        drawItem(it, step.why), stepButtons());
    }

    function stepButtons() {
      const prev = h("button", { type: "button", class: "btn secondary", "data-testid": "db-prev", disabled: stepIndex <= 0 }, "Previous");
      const next = h("button", { type: "button", class: "btn", "data-testid": "db-next", disabled: stepIndex >= steps.length - 1 }, stepIndex < 0 ? "Next: first moment" : "Next");
      prev.addEventListener("click", () => go(stepIndex - 1));
      next.addEventListener("click", () => go(stepIndex + 1));
      return h("div", { class: "actions" }, prev, next);
    }

    function go(k) {
      stepIndex = Math.max(-1, Math.min(steps.length - 1, k));
      if (stepIndex >= 0) {
        const { ex } = items.get(steps[stepIndex].key);
        exIndex = report.exercises.indexOf(ex);
        picker.value = String(exIndex);
        drawItems();
      }
      drawText();
      drawStep();
      const next = stepPanel.querySelector("[data-testid=db-next]:not([disabled])") || stepPanel.querySelector("[data-testid=db-prev]");
      if (next) next.focus();
    }

    function drawItems() {
      const ex = report.exercises[exIndex];
      const list = (kind) => ex.items.filter((it) => it.kind === kind).map((it) => h("li", {},
        h("button", { type: "button", class: "linkish", onclick: () => pick(ex, it) }, h("q", {}, it.quote)),
        it.students !== null && it.students !== undefined ? ` — ${it.students} of ${report.students}` : null,
        it.contested ? " (disputed)" : null));
      replace(itemList,
        h("h2", {}, "Every item in this exercise"),
        h("h3", {}, "What the key marks"), h("ul", {}, list("key")),
        ex.items.some((it) => it.kind === "foil") ? [h("h3", {}, "Look-alikes (not the technique)"), h("ul", {}, list("foil"))] : null);
    }

    function pick(ex, it) {
      const key = `${ex.exercise_id}/${it.item_id}`;
      let k = steps.findIndex((s) => s.key === key);
      if (k < 0) { steps.push({ key, why: null }); k = steps.length - 1; }
      go(k);
      announce(`Discussing “${it.quote}”.`);
    }

    picker.addEventListener("change", () => { exIndex = Number(picker.value); drawItems(); drawText(); });
    showKey.addEventListener("change", drawText);
    showFoils.addEventListener("change", drawText);
    drawText();
    drawItems();
    drawStep();
    return h("div", { class: "debrief" },
      h("div", { class: "screen-head" }, h("h1", {}, `Class debrief: ${assignment.quiz_title}`), signOut()),
      back,
      h("p", { class: "meta", "data-testid": "debrief-count" }, `${report.students} student${report.students === 1 ? "" : "s"} submitted. No names are shown.`),
      report.withheld ? withheldNote(report.min_group, "the debrief") : null,
      h("div", { class: "debrief-controls" },
        h("div", { class: "field" }, h("label", { for: "db-exercise" }, "Exercise"), picker),
        h("div", { class: "field check" }, showKey, h("label", { for: "db-key" }, "Show what the key marks (outlined)")),
        h("div", { class: "field check" }, showFoils, h("label", { for: "db-foils" }, "Show the look-alikes (dotted)"))),
      h("div", { class: "debrief-layout" }, textPanel, h("div", {}, stepPanel, itemList)));
  });
}

export async function classViewScreen(attemptId) {
  setTitle("How your class marked the text");
  let view;
  try { view = await api.classView(attemptId); } catch (err) {
    if (err instanceof ApiError && err.status === 401) { location.hash = "#/"; return h("p", {}, "Join your class first."); }
    return releasedOnly(err);
  }
  const exercises = view.exercises || [];
  const back = h("p", {}, h("a", { href: `#/result/${encodeURIComponent(attemptId)}` }, "← Back to your result"));
  if (!exercises.length) {
    return h("div", {}, h("h1", {}, "How your class marked the text"), back, h("p", { class: "card" }, "This quiz has no exercises marked on the text."));
  }
  const ctx = await lessonFor({});
  const size = (view.classmates ?? 0) + 1;
  return h("div", { class: "class-view" },
    h("h1", {}, "How your class marked the text"),
    back,
    view.withheld
      ? withheldNote(view.min_group, "this page")
      : h("p", { class: "help" }, `The shading shows how many of the ${size} students who submitted marked each word (you included). Your own marks are underlined in black. Nobody is named.`),
    exercises.map((ex, k) => {
      const { el, words, gaps } = renderBlocks(ctx, scopeBlocks(ctx, ex.scope));
      el.classList.add("heat");
      if (ex.heat) shade(words, gaps, ex.heat, size);
      for (const m of ex.mine) outline(words, m.start, m.end, "mine");
      return h("section", { class: "card", "aria-labelledby": `cv-${k}` },
        h("h2", { id: `cv-${k}` }, `${k + 1}. ${ex.title}`),
        ex.mine.length
          ? h("ul", { class: "mine-list" }, ex.mine.map((m) => h("li", {}, "You marked ", h("q", {}, m.quote),
              m.classmates === null || m.classmates === undefined ? "."
                : `; ${m.classmates} of ${view.classmates} classmate${view.classmates === 1 ? "" : "s"} did too.`)))
          : h("p", {}, "You marked nothing here."),
        ex.heat ? scale(size) : null,
        el);
    }));
}
