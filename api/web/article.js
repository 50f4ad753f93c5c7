// The article on screen: blocks styled by role, words as the unit of marking, and the marker that
// lets a student mark spans by mouse drag, touch selection or keyboard alone.

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

/**
 * A markable text. ``mode``: "highlight" (one kind of mark), "label" (each mark has a label from
 * ``options``) or "roles" (source/cue/content, one span each). ``options``: [{id, name}].
 * ``onChange(marks)`` receives [{start, end, label?}] in code points after every change.
 */
export class Marker {
  constructor(ctx, blockIds, { mode = "highlight", options = [], marks = [], onChange = () => {}, label = "Text to mark" } = {}) {
    this.ctx = ctx;
    this.mode = mode;
    this.options = options;
    this.onChange = onChange;
    this.marks = marks.map((m) => ({ ...m }));
    this.caret = 0;
    this.anchor = null;
    this.tapStarted = false;
    const prefix = newId("mk");
    const { el, words, gaps } = renderBlocks(ctx, blockIds, { idPrefix: prefix });
    this.words = words;
    this.gaps = gaps;
    this.text = el;
    const helpId = newId("help");
    el.classList.add("markable");
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "application");
    el.setAttribute("aria-roledescription", "markable text");
    el.setAttribute("aria-label", label);
    el.setAttribute("aria-describedby", helpId);
    this.live = h("p", { class: "sr-only", "aria-live": "polite", "data-testid": "marker-live" });
    this.help = h("p", { id: helpId, class: "help" },
      "Drag across words with the mouse, select them by touch, or click the first and the last word and press Mark selection. ",
      "Keyboard: arrow keys move word by word, ",
      "Shift+arrows extend, Up/Down jump between paragraphs, Enter marks, Delete removes the mark at the caret, Escape cancels.");
    this.menu = null;
    this.toolbar = h("div", { class: "toolbar", role: "toolbar", "aria-label": "Marking tools" },
      h("button", { type: "button", class: "btn", onclick: () => this.markPending(), "data-testid": "mark-selection" }, "Mark selection"),
      h("button", { type: "button", class: "btn secondary", onclick: () => this.removeAtCaret(), "data-testid": "remove-mark" }, "Remove mark at caret"));
    this.list = h("ul", { class: "mark-list", "aria-label": "Your marks" });
    this.count = h("p", { class: "mark-count" });
    this.el = h("div", { class: "marker" }, this.help, this.toolbar, this.text, this.live, this.count, this.list);
    this.pending = null;
    this.bind();
    this.render();
  }

  bind() {
    const t = this.text;
    t.addEventListener("keydown", (e) => this.onKey(e));
    t.addEventListener("focus", () => { this.render(); this.say(); });
    t.addEventListener("pointerup", (e) => window.setTimeout(() => this.fromSelection(e.pointerType), 0));
    const onSelection = () => {
      if (!this.text.isConnected) { document.removeEventListener("selectionchange", onSelection); return; }
      const range = this.selectedRange();
      if (range) this.pending = range;
    };
    document.addEventListener("selectionchange", onSelection);
    // Marking without dragging (WCAG 2.5.7): tap or click the first word, then the last word,
    // then "Mark selection". Clicks alternate between starting and ending a selection.
    t.addEventListener("click", (e) => {
      const w = e.target.closest && e.target.closest(".w");
      const sel = window.getSelection();
      if (!w || !sel || !sel.isCollapsed) return;
      const i = this.words.findIndex((x) => x.el === w);
      if (i < 0) return;
      this.pending = null;
      if (this.tapStarted) {
        this.anchor = this.caret;
        this.caret = i;
        this.tapStarted = false;
        this.render();
        this.say(`Selected: ${this.rangeQuote(Math.min(this.anchor, i), Math.max(this.anchor, i))}. Press Mark selection to mark it.`);
      } else {
        this.caret = i;
        this.anchor = null;
        this.tapStarted = true;
        this.render();
        this.say();
      }
    });
  }

  /** The word range [i, j] the native selection covers inside this text, or null. */
  selectedRange() {
    const sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (!this.text.contains(range.commonAncestorContainer) && range.commonAncestorContainer !== this.text) {
      if (!range.intersectsNode(this.text)) return null;
    }
    let first = -1;
    let last = -1;
    for (let i = 0; i < this.words.length; i += 1) {
      const w = this.words[i].el;
      if (!range.intersectsNode(w)) continue;
      const r = document.createRange();
      r.selectNodeContents(w);
      if (range.compareBoundaryPoints(Range.START_TO_START, r) > 0) r.setStart(range.startContainer, range.startOffset);
      if (range.compareBoundaryPoints(Range.END_TO_END, r) < 0) r.setEnd(range.endContainer, range.endOffset);
      if (r.toString().length === 0) continue;
      if (first < 0) first = i;
      last = i;
    }
    return first < 0 ? null : [first, last];
  }

  fromSelection(pointerType) {
    const range = this.selectedRange();
    if (!range) return;
    this.pending = range;
    this.anchor = range[0];
    this.caret = range[1];
    this.render();
    // A mouse drag is finished when the button comes up; a touch selection may still be adjusted
    // with its handles, so touch users confirm with the "Mark selection" button.
    if (pointerType === "mouse") this.markPending();
    else this.say(`Selected: ${this.rangeQuote(range[0], range[1])}. Press Mark selection to mark it.`);
  }

  rangeQuote(i, j) {
    return this.ctx.quote(this.words[i].start, this.words[j].end);
  }

  markPending() {
    let range = this.selectedRange() || this.pending;
    if (!range) range = this.anchor === null ? [this.caret, this.caret] : [Math.min(this.anchor, this.caret), Math.max(this.anchor, this.caret)];
    this.pending = null;
    this.tapStarted = false;
    const sel = window.getSelection();
    if (sel) sel.removeAllRanges();
    this.anchor = range[0];
    this.caret = range[1];
    this.render();
    this.markRange(range[0], range[1]);
  }

  /** Mark words i..j (inclusive); ask for a label first where the mode needs one. */
  markRange(i, j) {
    if (!this.words.length) return;
    const span = { start: this.words[i].start, end: this.words[j].end };
    if (this.mode === "highlight") {
      this.addMark(span);
    } else {
      this.openMenu(span, j);
    }
  }

  addMark(span) {
    let { start, end } = span;
    if (this.mode === "highlight") {
      const kept = [];
      for (const m of this.marks) {
        if (m.start <= end && start <= m.end) { start = Math.min(start, m.start); end = Math.max(end, m.end); }
        else kept.push(m);
      }
      this.marks = [...kept, { start, end }];
    } else {
      this.marks = this.marks.filter((m) => !(m.start < end && start < m.end) && !(this.mode === "roles" && m.label === span.label));
      this.marks.push({ start, end, label: span.label });
    }
    this.marks.sort((a, b) => a.start - b.start);
    this.anchor = null;
    this.render();
    const name = span.label ? ` as ${this.optionName(span.label)}` : "";
    this.say(`Marked${name}: ${this.ctx.quote(start, end)}`);
    this.onChange(this.value());
  }

  optionName(id) {
    const o = this.options.find((x) => x.id === id);
    return o ? o.name : id;
  }

  removeMark(index) {
    const [m] = this.marks.splice(index, 1);
    this.render();
    if (m) this.say(`Removed mark: ${this.ctx.quote(m.start, m.end)}`);
    this.onChange(this.value());
  }

  /** Give mark ``index`` another label (for roles: the role's other mark, if any, gives way). */
  relabel(index, label) {
    const mark = this.marks[index];
    if (!mark || mark.label === label) return;
    if (this.mode === "roles") this.marks = this.marks.filter((m) => m === mark || m.label !== label);
    mark.label = label;
    this.render();
    this.say(`Now marked as ${this.optionName(label)}: ${this.ctx.quote(mark.start, mark.end)}`);
    this.onChange(this.value());
    const again = [...this.list.querySelectorAll("select.relabel")][this.marks.indexOf(mark)];
    if (again) again.focus();
  }

  removeAtCaret() {
    const w = this.words[this.caret];
    if (!w) return;
    const index = this.marks.findIndex((m) => m.start < w.end && w.start < m.end);
    if (index >= 0) this.removeMark(index);
    else this.say("No mark at the caret.");
  }

  value() {
    return this.marks.map((m) => (m.label ? { start: m.start, end: m.end, label: m.label } : { start: m.start, end: m.end }));
  }

  openMenu(span, atWord) {
    this.closeMenu();
    const items = this.options.map((o) =>
      h("button", { type: "button", role: "menuitem", class: "menu-item", tabindex: "-1", dataset: { id: o.id } }, o.name));
    const menu = h("div", { class: "label-menu", role: "menu", "aria-label": this.mode === "roles" ? "Choose a role" : "Choose a label" }, items);
    const choose = (id) => {
      this.closeMenu();
      this.addMark({ ...span, label: id });
      this.text.focus();
    };
    items.forEach((item, k) => {
      item.addEventListener("click", () => choose(item.dataset.id));
      item.addEventListener("keydown", (e) => {
        e.stopPropagation();
        if (e.key === "ArrowDown" || e.key === "ArrowRight") { e.preventDefault(); items[(k + 1) % items.length].focus(); }
        else if (e.key === "ArrowUp" || e.key === "ArrowLeft") { e.preventDefault(); items[(k - 1 + items.length) % items.length].focus(); }
        else if (e.key === "Home") { e.preventDefault(); items[0].focus(); }
        else if (e.key === "End") { e.preventDefault(); items[items.length - 1].focus(); }
        else if (e.key === "Escape" || e.key === "Tab") { e.preventDefault(); this.closeMenu(); this.text.focus(); this.say("Cancelled."); }
      });
    });
    const anchorEl = this.words[atWord].el;
    anchorEl.after(menu);
    this.menu = menu;
    items[0].focus();
  }

  closeMenu() {
    if (this.menu) this.menu.remove();
    this.menu = null;
  }

  blockBounds(i) {
    const b = this.words[i].block;
    let s = i;
    let e = i;
    while (s > 0 && this.words[s - 1].block === b) s -= 1;
    while (e < this.words.length - 1 && this.words[e + 1].block === b) e += 1;
    return [s, e];
  }

  onKey(e) {
    // Keys pressed in the label menu (which sits inside the text) are the menu's, not the caret's.
    if (e.target !== this.text || !this.words.length) return;
    const n = this.words.length;
    let move = null;
    const [bs, be] = this.blockBounds(this.caret);
    switch (e.key) {
      case "ArrowRight": move = Math.min(n - 1, this.caret + 1); break;
      case "ArrowLeft": move = Math.max(0, this.caret - 1); break;
      case "ArrowDown": move = be + 1 < n ? be + 1 : be; break;
      case "ArrowUp": move = bs > 0 ? this.blockBounds(bs - 1)[0] : 0; break;
      case "Home": move = bs; break;
      case "End": move = be; break;
      case "Enter":
      case " ": {
        e.preventDefault();
        const i = this.anchor === null ? this.caret : Math.min(this.anchor, this.caret);
        const j = this.anchor === null ? this.caret : Math.max(this.anchor, this.caret);
        this.markRange(i, j);
        return;
      }
      case "Delete":
      case "Backspace": e.preventDefault(); this.removeAtCaret(); return;
      case "Escape": this.anchor = null; this.render(); this.say("Selection cleared."); return;
      default: return;
    }
    e.preventDefault();
    this.pending = null;
    this.tapStarted = false;
    if (e.shiftKey) {
      if (this.anchor === null) this.anchor = this.caret;
    } else {
      this.anchor = null;
    }
    this.caret = move;
    this.render();
    this.words[this.caret].el.scrollIntoView({ block: "nearest" });
    this.say();
  }

  say(message) {
    if (!message) {
      const w = this.words[this.caret];
      if (!w) return;
      const mark = this.marks.find((m) => m.start < w.end && w.start < m.end);
      const state = mark ? ` (marked${mark.label ? ` as ${this.optionName(mark.label)}` : ""})` : "";
      message = this.anchor !== null && this.anchor !== this.caret
        ? `Selected: ${this.rangeQuote(Math.min(this.anchor, this.caret), Math.max(this.anchor, this.caret))}`
        : `${this.ctx.quote(w.start, w.end)}${state}`;
    }
    this.live.textContent = message;
  }

  render() {
    const lo = this.anchor === null ? this.caret : Math.min(this.anchor, this.caret);
    const hi = this.anchor === null ? this.caret : Math.max(this.anchor, this.caret);
    const labelIndex = new Map(this.options.map((o, k) => [o.id, k]));
    this.words.forEach((w, i) => {
      const mark = this.marks.find((m) => m.start < w.end && w.start < m.end);
      const c = w.el.classList;
      c.toggle("mk", !!mark);
      for (let k = 0; k < 6; k += 1) c.toggle(`mk-l${k}`, !!mark && mark.label !== undefined && labelIndex.get(mark.label) % 6 === k);
      c.toggle("mk-first", !!mark && w.start <= mark.start);
      c.toggle("mk-last", !!mark && w.end >= mark.end);
      c.toggle("caret", i === this.caret);
      c.toggle("sel", this.anchor !== null && i >= lo && i <= hi);
    });
    for (const g of this.gaps) {
      const mark = this.marks.find((m) => m.start <= g.start && g.end <= m.end);
      const c = g.el.classList;
      c.toggle("mk", !!mark);
      for (let k = 0; k < 6; k += 1) c.toggle(`mk-l${k}`, !!mark && mark.label !== undefined && labelIndex.get(mark.label) % 6 === k);
    }
    if (this.words[this.caret]) this.text.setAttribute("aria-activedescendant", this.words[this.caret].el.id);
    // Label tags after each labelled mark, so the label is visible in the text, not only by colour.
    this.text.querySelectorAll(".mark-tag").forEach((t) => t.remove());
    for (const m of this.marks) {
      if (!m.label) continue;
      const last = [...this.words].reverse().find((w) => w.start >= m.start && w.end <= m.end);
      if (last) last.el.after(h("span", { class: `mark-tag mk-l${(labelIndex.get(m.label) || 0) % 6}`, "aria-hidden": "true" }, this.optionName(m.label)));
    }
    this.count.textContent = this.marks.length === 1 ? "1 mark" : `${this.marks.length} marks`;
    this.list.replaceChildren(...this.marks.map((m, k) => {
      const quote = this.ctx.quote(m.start, m.end);
      return h("li", {},
        h("span", { class: "quote" }, `“${balanced(quote)}”`),
        m.label ? h("span", { class: "mark-label" }, ` — ${this.optionName(m.label)}`) : null,
        " ",
        // A label can be changed in place: removing the mark and marking again is not needed.
        m.label ? h("select", { class: "relabel", "aria-label": `Change the ${this.mode === "roles" ? "role" : "label"} of “${quote}”`,
          "data-testid": "relabel", onchange: (e) => this.relabel(k, e.target.value) },
          this.options.map((o) => h("option", { value: o.id, selected: o.id === m.label }, o.name))) : null,
        " ",
        h("button", { type: "button", class: "btn small secondary", "aria-label": `Remove mark “${quote}”`, onclick: () => this.removeMark(k) }, "Remove"));
    }));
  }
}

