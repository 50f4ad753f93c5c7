// The heat map tab: how many students marked each paragraph, per technique, over the article.

import { h, replace } from "./dom.js";
import { renderBlocks } from "./article.js";

/** Per-block counts: {block_id: n} or [{block_id, count, label?}] or {label: {block_id: n}}. */
export function heatCounts(data, label) {
  const raw = data && (data.heatmap || data.blocks || data.block_counts || data.highlights);
  const counts = new Map();
  const labels = new Set();
  const add = (block, n, l) => {
    if (l) labels.add(l);
    if (label && l && l !== label) return;
    counts.set(block, (counts.get(block) || 0) + Number(n || 0));
  };
  if (Array.isArray(raw)) {
    for (const r of raw) {
      if (r.by_label) {
        for (const l of Object.keys(r.by_label)) labels.add(l);
        if (label) add(r.block_id, r.by_label[label] || 0, null);
        else add(r.block_id, r.total ?? Object.values(r.by_label).reduce((x, y) => x + y, 0), null);
      } else add(r.block_id || r.block, r.count ?? r.n ?? r.marks, r.label || r.technique);
    }
  } else if (raw && typeof raw === "object") {
    for (const [k, v] of Object.entries(raw)) {
      if (v && typeof v === "object") { for (const [b, n] of Object.entries(v)) add(b, n, k); }
      else add(k, v, null);
    }
  }
  return { counts, labels: [...labels].sort() };
}

/**
 * Student spans from stored answers (JSON Lines) with the technique each stands for: its label
 * (label_spans), the exercise's first label (highlight, as the item analysis counts it), or
 * ``role:<role>`` (attribution_roles). Only position spans are drawn.
 */
export function markedSpans(body, exercises) {
  const out = [];
  const push = (span, label) => {
    if (span && Number.isInteger(span.start) && Number.isInteger(span.end) && span.end > span.start) out.push({ start: span.start, end: span.end, label });
  };
  for (const line of String(body || "").split(/\r?\n/)) {
    if (!line.trim()) continue;
    let record;
    try { record = JSON.parse(line); } catch { continue; }
    const ex = exercises.get(record.exercise || record.exercise_id);
    const r = record.response || {};
    if (!ex) continue;
    if (ex.type === "highlight") for (const sp of r.spans || []) push(sp, (ex.labels || [])[0]);
    else if (ex.type === "label_spans") for (const sp of r.spans || []) push(sp, sp.label);
    else if (ex.type === "attribution_roles") for (const role of ["source", "cue", "content"]) push(r[role], `role:${role}`);
  }
  return out;
}

export function drawHeat(el, data, ctx, label, spans, setLabel) {
  const { counts, labels: blockLabels } = heatCounts(data, label);
  const labels = [...new Set([...blockLabels, ...spans.map((x) => x.label).filter(Boolean)])].sort();
  const max = Math.max(1, ...counts.values());
  const labelText = (l) => (l.startsWith("role:") ? `Attribution role: ${l.slice(5)}` : ctx.labelName(l));
  const select = h("select", { id: "heat-label" }, h("option", { value: "" }, "All techniques"),
    labels.map((l) => h("option", { value: l, selected: l === label }, labelText(l))));
  select.addEventListener("change", () => { setLabel(select.value); document.getElementById("heat-label").focus(); });
  const { el: text, words, gaps } = renderBlocks(ctx, null);
  text.classList.add("heat");
  for (const blockEl of text.querySelectorAll(".block")) {
    const n = counts.get(blockEl.dataset.block) || 0;
    const level = n === 0 ? 0 : Math.min(5, Math.ceil((n / max) * 5));
    blockEl.classList.add(`heat-${level}`);
    blockEl.prepend(h("span", { class: "heat-count" }, `${n} mark${n === 1 ? "" : "s"}`));
  }
  const chosen = spans.filter((x) => !label || x.label === label);
  const perWord = words.map((w) => chosen.filter((x) => x.start < w.end && w.start < x.end).length);
  const wordMax = Math.max(1, ...perWord);
  words.forEach((w, k) => {
    const n = perWord[k];
    if (!n) return;
    w.el.classList.add(`hw-${Math.min(5, Math.ceil((n / wordMax) * 5))}`);
    w.el.dataset.marks = String(n);
  });
  for (const g of gaps) {
    const n = chosen.filter((x) => x.start <= g.start && g.end <= x.end).length;
    if (n) g.el.classList.add(`hw-${Math.min(5, Math.ceil((n / wordMax) * 5))}`);
  }
  replace(el,
    h("p", { class: "help" }, "How many student marks fell in each paragraph (the number on each paragraph, and its shade), and on each word (words shaded and underlined: the darker, the more students marked it)."),
    labels.length ? h("div", { class: "field" }, h("label", { for: "heat-label" }, "Technique"), select) : null,
    h("div", { class: "heat-scale", "aria-hidden": "true" }, h("span", { class: "scale-name" }, "Paragraphs"),
      [0, 1, 2, 3, 4, 5].map((k) => h("span", { class: `heat-${k}` }, k === 0 ? "none" : k === 5 ? "most" : ""))),
    h("div", { class: "heat-scale heat", "aria-hidden": "true" }, h("span", { class: "scale-name" }, "Words"),
      [1, 2, 3, 4, 5].map((k) => h("span", { class: `hw-${k}` }, k === 1 ? "fewest" : k === 5 ? `${wordMax} (most)` : ""))),
    text);
}
