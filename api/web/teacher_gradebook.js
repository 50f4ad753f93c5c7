// The gradebook tab: one row per student, totals, skills, discernment and each exercise, with a legend.

import { fmt, h, points, replace } from "./dom.js";
import { skillName } from "./teacher_common.js";

/** What every column of the gradebook (and of the spreadsheet download) means. */
export function columnLegend() {
  const rows = [
    ["Total", "points earned on the whole quiz, of the maximum shown"],
    ["Skill columns", "points earned on the exercises of one skill (Attribution, Loaded framing, …)"],
    ["Discernment", "how well a student's marks tell the techniques from look-alikes and plain text: 1 = every key place found and every look-alike left alone, 0.5 = no better than chance; – when the quiz has no marking exercise"],
    ["To review", "short answers and rewrites whose provisional score you have not confirmed yet"],
    ["Ex 1, Ex 2, …", "points on each exercise, numbered and titled as students see them"],
    ["Download for a spreadsheet", "the same columns, times in your time zone, and a marker that lets Excel read every alphabet"],
    ["CSV for an LMS or a script", "ids as column names, ISO times and percentages, for imports and quiz-grade"],
  ];
  return h("details", { class: "legend-columns" }, h("summary", {}, "What the columns mean"),
    h("dl", {}, rows.map(([term, text]) => [h("dt", {}, term), h("dd", {}, text)])));
}

export function drawGradebook(el, results, quiz) {
  const rows = results.rows || [];
  const working = results.in_progress || [];
  const waiting = results.not_started || [];
  const exIds = results.exercises || (quiz.exercises || []).map((e) => e.id);
  const views = new Map((quiz.exercises || []).map((e) => [e.id, e]));
  const skills = [...new Set(rows.flatMap((r) => Object.keys(r.skills || {})))];
  const skillMax = new Map(skills.map((s) => [s, (rows.find((r) => (r.skills || {})[s]) || { skills: {} }).skills[s].possible]));
  const summary = h("p", { class: "gb-summary", "data-testid": "gb-summary" },
    `${rows.length} submitted · ${working.length} working · ${waiting.length} joined but not started`);
  if (!rows.length && !working.length && !waiting.length) {
    replace(el, summary, h("p", {}, "No student has joined yet. This table fills in as they work."));
    return;
  }
  const total = rows.length ? rows[0].possible : null;
  const table = h("table", { class: "grid" },
    h("caption", {}, "Gradebook: one row per student and attempt; every score in points"),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Student"),
      h("th", { scope: "col" }, "Status"),
      h("th", { scope: "col" }, "Total", total !== null ? h("span", { class: "th-max" }, `of ${points(total)}`) : null),
      skills.map((s) => h("th", { scope: "col" }, skillName(s), h("span", { class: "th-max" }, `of ${points(skillMax.get(s))}`))),
      h("th", { scope: "col" }, "Discernment", h("span", { class: "th-max" }, "0 to 1")),
      h("th", { scope: "col" }, "To review"),
      exIds.map((id, k) => {
        const ex = views.get(id) || {};
        return h("th", { scope: "col", class: "th-ex" }, `Ex ${k + 1}`,
          h("span", { class: "th-title" }, ex.title || ""), h("span", { class: "th-max" }, `of ${points(ex.points || 1)}`));
      }))),
    h("tbody", {},
      rows.map((r) => h("tr", { "data-testid": "gb-row" },
        h("th", { scope: "row" }, r.display_name),
        h("td", {}, r.attempt > 1 ? `Submitted (attempt ${r.attempt})` : "Submitted"),
        h("td", {}, points(r.earned)),
        skills.map((s) => {
          const v = (r.skills || {})[s];
          return h("td", {}, v ? points(v.earned) : "–");
        }),
        h("td", {}, r.discernment === null || r.discernment === undefined ? "–" : fmt(r.discernment)),
        h("td", {}, String((r.awaiting_review || []).length)),
        exIds.map((id) => {
          const v = (r.exercises || {})[id];
          if (!v) return h("td", {}, "–");
          const review = v.status === "needs_review";
          return h("td", { class: review ? "needs-review" : "" }, `${points(v.earned)}${review ? " (to review)" : ""}`);
        }))),
      working.map((w) => h("tr", { "data-testid": "gb-working" },
        h("th", { scope: "row" }, w.display_name),
        h("td", { colspan: String(4 + skills.length + exIds.length) }, `Working: ${w.answered} answered`))),
      waiting.map((s) => h("tr", {},
        h("th", { scope: "row" }, s.display_name),
        h("td", { colspan: String(4 + skills.length + exIds.length) }, "Not started")))));
  replace(el, summary, h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Gradebook table" }, table));
}
