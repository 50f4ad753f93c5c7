// One assignment's results: four tabs (gradebook, review queue, item analysis, heat map) kept up to
// date by polling, and the CSV downloads.

import { announce, h, replace, saveFile, dateText } from "./dom.js";
import { ApiError, api } from "./api.js";
import { lessonFor } from "./reading.js";
import { errorBox, onLeave, setTitle } from "./ui.js";
import { poll } from "./polling.js";
import { drawAnalysis } from "./teacher_analysis.js";
import { POLL_MS, guarded, signOut } from "./teacher_common.js";
import { columnLegend, drawGradebook } from "./teacher_gradebook.js";
import { drawHeat, markedSpans } from "./teacher_heatmap.js";
import { answerText, drawReviews, readAnswerLines, reviewItems } from "./teacher_review.js";

function tabs(defs) {
  const list = h("div", { role: "tablist", "aria-label": "Assignment views", class: "tabs" });
  const panels = [];
  const buttons = defs.map((d, k) => {
    const panel = h("div", { role: "tabpanel", id: `panel-${d.id}`, "aria-labelledby": `tab-${d.id}`, tabindex: "0", hidden: k !== 0 }, d.panel);
    panels.push(panel);
    const b = h("button", { type: "button", role: "tab", id: `tab-${d.id}`, "aria-controls": `panel-${d.id}`, "aria-selected": k === 0 ? "true" : "false", tabindex: k === 0 ? "0" : "-1" }, d.label);
    return b;
  });
  function select(k, focus = true) {
    buttons.forEach((b, i) => { b.setAttribute("aria-selected", i === k ? "true" : "false"); b.tabIndex = i === k ? 0 : -1; panels[i].hidden = i !== k; });
    if (focus) buttons[k].focus();
    if (defs[k].onShow) defs[k].onShow();
  }
  buttons.forEach((b, k) => {
    b.addEventListener("click", () => select(k));
    b.addEventListener("keydown", (e) => {
      if (e.key === "ArrowRight") { e.preventDefault(); select((k + 1) % buttons.length); }
      else if (e.key === "ArrowLeft") { e.preventDefault(); select((k - 1 + buttons.length) % buttons.length); }
      else if (e.key === "Home") { e.preventDefault(); select(0); }
      else if (e.key === "End") { e.preventDefault(); select(buttons.length - 1); }
    });
  });
  list.append(...buttons);
  return h("div", { class: "tabbed" }, list, panels);
}

export function assignmentDashboard(assignmentId) {
  return guarded(async () => {
    const assignment = await api.assignment(assignmentId);
    const quiz = await api.quiz(assignment.quiz_id);
    const ctx = await lessonFor(assignment);
    setTitle(`Results: ${assignment.quiz_title || quiz.title}`);
    const gradebook = h("div", { "data-testid": "gradebook" });
    const reviews = h("div", { "data-testid": "review-queue" });
    const analysis = h("div", { "data-testid": "analysis" });
    const heat = h("div", { "data-testid": "heatmap" });
    const updated = h("p", { class: "help", "aria-live": "off" });
    let lastResults = null;
    let lastAnalysis = null;
    let heatLabel = "";

    // The gradebook carries scores, not the students' words; the review queue reads the words from
    // the stored answers where the server offers them (GET /assignments/{id}/answers).
    const texts = new Map();
    let answersRoute = true;
    let fetchedFor = "";
    async function loadTexts(results) {
      const wanted = reviewItems(results).filter((q) => answerText(q, texts) === undefined);
      const key = wanted.map((q) => q.answer_id).join(",");
      if (!answersRoute || !wanted.length || key === fetchedFor) return;
      fetchedFor = key;
      try {
        readAnswerLines(await api.answers(assignmentId), texts);
      } catch (err) {
        if (err instanceof ApiError && (err.status === 404 || err.status === 405)) answersRoute = false;
      }
    }

    // Each poll sends the ETag of what is on screen: a 304 (null here) means nothing changed.
    const watchResults = api.watchResults(assignmentId);
    const watchAnalysis = api.watchAnalysis(assignmentId);
    const watchAnswers = api.watchAnswers(assignmentId);
    const stamp = () => { updated.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every ${POLL_MS / 1000} seconds.`; };
    async function loadResults() {
      try {
        const results = await watchResults();
        if (results === null) { stamp(); return; }
        lastResults = results;
        drawGradebook(gradebook, results, quiz);
        await loadTexts(results);
        drawReviews(reviews, results, quiz, loadResults, texts);
        stamp();
      } catch (err) { replace(gradebook, errorBox(err)); }
    }
    // Where students marked, word by word, from the stored answers; fetched only while the heat
    // map is on screen, so polling stays light.
    let spans = [];
    let heatDrawn = "";
    const exerciseViews = new Map((quiz.exercises || []).map((e) => [e.id, e]));
    const heatVisible = () => { const panel = heat.closest("[role=tabpanel]"); return !panel || !panel.hidden; };
    async function loadHeat(force = false) {
      if (!lastAnalysis || (!force && !heatVisible())) return;
      if (answersRoute) {
        try {
          const body = await watchAnswers();
          if (body !== null) {
            readAnswerLines(body, texts);
            spans = markedSpans(body, exerciseViews);
          }
        } catch (err) {
          if (err instanceof ApiError && (err.status === 404 || err.status === 405)) answersRoute = false;
        }
      }
      const signature = JSON.stringify([lastAnalysis.blocks, spans, heatLabel]);
      if (signature === heatDrawn && !force) return;
      heatDrawn = signature;
      drawHeat(heat, lastAnalysis, ctx, heatLabel, spans, (label) => { heatLabel = label; loadHeat(true); });
    }
    async function loadAnalysis() {
      try {
        const fresh = await watchAnalysis();
        if (fresh !== null) {
          lastAnalysis = fresh;
          drawAnalysis(analysis, lastAnalysis, quiz, ctx);
        }
        await loadHeat(heat.childElementCount === 0);
      } catch (err) { replace(analysis, errorBox(err)); }
    }
    await Promise.all([loadResults(), loadAnalysis()]);
    onLeave(poll(() => Promise.all([loadResults(), loadAnalysis()]), { interval: POLL_MS }));

    async function download(layout, name) {
      try {
        const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
        saveFile(name, await api.resultsCsv(assignmentId, layout, zone));
        announce("Downloaded.");
      } catch (err) { announce(`Download failed: ${err.message}`, true); }
    }
    const csvButton = h("button", { type: "button", class: "btn secondary", "data-testid": "csv",
      onclick: () => download("spreadsheet", `assignment-${assignmentId}-gradebook.csv`) }, "Download for a spreadsheet (Excel, LibreOffice)");
    const plainButton = h("button", { type: "button", class: "btn secondary small", "data-testid": "csv-plain",
      onclick: () => download("plain", `assignment-${assignmentId}-results.csv`) }, "CSV for an LMS or a script");
    const closeArea = h("span", { class: "close-area" });
    const closeAssignment = async () => {
      try {
        await api.patchAssignment(assignmentId, { closed: !assignment.closed });
        window.dispatchEvent(new HashChangeEvent("hashchange"));
      } catch (err) { announce(err.message, true); }
    };
    // Closing stops every student's saving at once: ask first (reopening needs no confirmation).
    const drawClose = () => replace(closeArea, h("button", { type: "button", class: "btn secondary", onclick: () => {
      if (assignment.closed) { closeAssignment(); return; }
      const yes = h("button", { type: "button", class: "btn", "data-testid": "confirm-close", onclick: closeAssignment }, "Yes, close it");
      replace(closeArea, h("span", { role: "group", "aria-label": "Confirm closing" },
        "Close now? Students still working can no longer save or submit. You can reopen it later. ", yes, " ",
        h("button", { type: "button", class: "btn secondary", onclick: () => { drawClose(); closeArea.querySelector("button").focus(); } }, "Cancel")));
      yes.focus();
    } }, assignment.closed ? "Reopen assignment" : "Close assignment"));
    drawClose();
    const dueInput = h("input", { id: "due-change", type: "datetime-local" });
    const dueMsg = h("div", { "aria-live": "polite" });
    const dueForm = h("form", { class: "inline-form" },
      h("div", { class: "field" }, h("label", { for: "due-change" }, "New due time (empty removes it)"), dueInput),
      h("button", { type: "submit", class: "btn secondary" }, "Change due time"), dueMsg);
    dueForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await api.patchAssignment(assignmentId, { due_at: dueInput.value ? new Date(dueInput.value).toISOString() : null });
        announce("Due time changed.");
        window.dispatchEvent(new HashChangeEvent("hashchange"));
      } catch (err) { replace(dueMsg, errorBox(err)); }
    });
    return h("div", { class: "dashboard" },
      h("div", { class: "screen-head" }, h("h1", {}, assignment.quiz_title || quiz.title), signOut()),
      h("p", {}, h("a", { href: `#/teacher/class/${encodeURIComponent(assignment.class_id)}` }, "← Class and join code")),
      h("p", { class: "meta" }, `State: ${assignment.state || ""} · feedback: ${assignment.feedback} · attempts allowed: ${assignment.attempts_allowed}`,
        assignment.due_at ? ` · due ${dateText(assignment.due_at)}` : ""),
      h("div", { class: "actions" }, csvButton, " ", plainButton, " ", closeArea, " ",
        h("a", { class: "btn secondary", href: `#/teacher/assignment/${encodeURIComponent(assignmentId)}/debrief`, "data-testid": "open-debrief" },
          "Class debrief (for the projector)")),
      columnLegend(),
      h("details", { class: "due" }, h("summary", {}, "Extend or change the due time"), dueForm),
      updated,
      tabs([
        { id: "gradebook", label: "Gradebook", panel: gradebook },
        { id: "review", label: "Review queue", panel: reviews },
        { id: "analysis", label: "Item analysis", panel: analysis },
        { id: "heatmap", label: "Heat map", panel: heat, onShow: () => loadHeat() },
      ]));
  });
}
