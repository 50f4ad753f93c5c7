// The item-analysis tab: difficulty, discrimination and distractors per exercise, label confusions.

import { fmt, h, replace } from "./dom.js";

export function drawAnalysis(el, data, quiz, ctx) {
  const titles = new Map((quiz.exercises || []).map((e) => [e.id, e.title]));
  const itemRows = data.items || [];
  const techniques = data.techniques || [];
  const confusion = [];
  for (const [expected, row] of Object.entries(data.confusion || {})) {
    for (const [chosen, count] of Object.entries(row)) confusion.push({ expected, chosen, count });
  }
  replace(el,
    h("p", { "data-testid": "analysis-attempts" }, `Based on ${data.attempts ?? 0} submitted attempt${data.attempts === 1 ? "" : "s"}.`),
    h("p", { class: "help" }, "Facility: average share of the points (0–1). Discrimination: corrected item–rest correlation (−1 to 1; below 0.2 the item separates students poorly)."),
    h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Item analysis table" },
      h("table", { class: "grid" },
        h("caption", {}, "Item analysis"),
        h("thead", {}, h("tr", {}, ["Exercise", "Answers", "Facility", "Standard deviation", "Discrimination"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, itemRows.map((r) => h("tr", {},
          h("th", { scope: "row" }, titles.get(r.exercise_id) || r.exercise_id),
          h("td", {}, String(r.attempts ?? "")),
          h("td", {}, fmt(r.facility)),
          h("td", {}, fmt(r.sd ?? r.standard_deviation)),
          h("td", {}, fmt(r.discrimination))))))),
    techniques.length ? h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Techniques table" },
      h("table", { class: "grid" },
        h("caption", {}, "Per technique: key spans found (hits), missed, and marks outside the key (false alarms)"),
        h("thead", {}, h("tr", {}, ["Technique", "Hits", "Misses", "False alarms"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, techniques.map((t) => h("tr", {},
          h("th", { scope: "row" }, ctx.labelName(t.label || t.technique || t.id)),
          h("td", {}, String(t.hits ?? 0)), h("td", {}, String(t.misses ?? 0)), h("td", {}, String(t.false_alarms ?? 0))))))) : null,
    confusion.length ? h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Confusion table" },
      h("table", { class: "grid" },
        h("caption", {}, "Labels chosen on key spans (rows where both agree are right answers)"),
        h("thead", {}, h("tr", {}, ["Key says", "Students chose", "Times"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, confusion.map((c) => h("tr", {},
          h("td", {}, ctx.labelName(c.expected)), h("td", {}, ctx.labelName(c.chosen)), h("td", {}, String(c.count))))))) : null);
}
