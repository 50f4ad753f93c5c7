// The article on screen: blocks styled by role, words and gaps as elements (the unit of marking and
// of feedback), paragraph numbers. Marking is article_marks.js (the marks and how they show) and
// article_selection.js (the Marker: choosing words by mouse, touch or keyboard).

import { h, newId } from "./dom.js";
import { codePoints, slice, tokenize } from "./text.js";

export const ROLE_NAMES = {
  headline: "Headline",
  standfirst: "Standfirst",
  subhead: "Subheading",
  body: "Body",
  related_link: "Related link (not part of the article)",
  photo_credit: "Photo credit or caption",
  site_chrome: "Website text (not part of the article)",
};

/** Everything about one lesson the client needs: text as code points, blocks, glossary lookup. */
export function lessonContext(lesson) {
  const text = lesson.text || "";
  const chars = codePoints(text);
  const blocks = lesson.blocks || [];
  const glossary = lesson.glossary || lesson.techniques || [];
  const entries = Array.isArray(glossary) ? glossary : Object.values(glossary.entries || glossary);
  const byId = new Map(entries.map((e) => [e.id, e]));
  return {
    lesson,
    chars,
    blocks,
    glossary: entries,
    quote: (start, end) => slice(chars, start, end),
    labelName: (id) => (byId.get(id) ? byId.get(id).name : String(id).replace(/_/g, " ")),
    blockIds: () => blocks.map((b) => b.id),
  };
}

/**
 * Render blocks (all, or those in ``blockIds``) as read-only or markable text.
 * Returns {el, words, gaps}: words[i] = {start, end, el, block}, gaps[i] = {start, end, el}, in code points.
 */
export function renderBlocks(ctx, blockIds = null, { headings = false, idPrefix = newId("t") } = {}) {
  const wanted = blockIds ? new Set(blockIds) : null;
  const words = [];
  const gaps = [];
  const el = h("div", { class: "article" });
  for (const block of ctx.blocks) {
    if (wanted && !wanted.has(block.id)) continue;
    const tag = headings && block.role === "headline" ? "h2" : headings && block.role === "subhead" ? "h3" : "p";
    const text = h(tag, { class: "block-text" });
    for (const tok of tokenize(ctx.chars, block.start, block.end)) {
      const piece = slice(ctx.chars, tok.start, tok.end);
      if (tok.word) {
        const span = h("span", { class: "w", id: `${idPrefix}-${tok.start}`, dataset: { s: tok.start, e: tok.end } }, piece);
        words.push({ start: tok.start, end: tok.end, el: span, block: block.id });
        text.appendChild(span);
      } else {
        // Gaps are elements too, so a mark or feedback span can colour the spaces inside it.
        const gap = h("span", { class: "g" }, piece);
        gaps.push({ start: tok.start, end: tok.end, el: gap });
        text.appendChild(gap);
      }
    }
    const tag2 = block.role !== "body" ? h("span", { class: "role-tag" }, ROLE_NAMES[block.role] || block.role) : null;
    el.appendChild(h("div", { class: `block role-${block.role}`, dataset: { block: block.id } }, tag2, text));
  }
  return { el, words, gaps };
}

/** Blocks that carry a paragraph number (as in the printed article and the teacher's guide). */
export const NUMBERED_ROLES = new Set(["body", "standfirst"]);

/** Put paragraph numbers in the margin of rendered blocks (``el`` from renderBlocks of the whole article). */
export function numberParagraphs(el) {
  let n = 0;
  for (const block of el.querySelectorAll(".block")) {
    if (![...NUMBERED_ROLES].some((r) => block.classList.contains(`role-${r}`))) continue;
    n += 1;
    block.prepend(h("span", { class: "para-no", "aria-hidden": "true" }, String(n)));
  }
  el.classList.add("numbered");
  return el;
}

/** A marked quote with its curly quotation marks paired, so “… “Sadyr …” does not read as unclosed. */
export function balanced(quote) {
  const opens = (quote.match(/“/g) || []).length;
  const closes = (quote.match(/”/g) || []).length;
  if (opens > closes) return `${quote}${"”".repeat(opens - closes)}`;
  if (closes > opens) return `${"“".repeat(closes - opens)}${quote}`;
  return quote;
}
