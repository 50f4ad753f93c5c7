// The Marker: a markable text where a student chooses words by mouse drag, touch selection, two
// clicks (no dragging needed) or the keyboard alone, with a caret a screen reader follows. What a
// mark is and how it shows is MarkedText's, in article_marks.js.

import { h, newId } from "./dom.js";
import { MarkedText } from "./article_marks.js";

/**
 * A markable text. ``mode``, ``options``, ``marks`` and ``onChange`` are MarkedText's; ``label``
 * names the text for assistive technology. ``el`` is the whole component: help, tools, text, list.
 */
export class Marker extends MarkedText {
  constructor(ctx, blockIds, { mode = "highlight", options = [], marks = [], onChange = () => {}, label = "Text to mark" } = {}) {
    super(ctx, blockIds, { mode, options, marks, onChange });
    this.caret = 0;  // index of the word the keyboard is on
    this.anchor = null;  // where a Shift+arrow or two-click selection started, or null
    this.tapStarted = false;
    this.pending = null;  // the last native selection [i, j], kept while the toolbar takes focus
    const helpId = newId("help");
    const el = this.text;
    el.classList.add("markable");
    el.setAttribute("tabindex", "0");
    el.setAttribute("role", "application");
    el.setAttribute("aria-roledescription", "markable text");
    el.setAttribute("aria-label", label);
    el.setAttribute("aria-describedby", helpId);
    this.help = h("p", { id: helpId, class: "help" },
      "Drag across words with the mouse, select them by touch, or click the first and the last word and press Mark selection. ",
      "Keyboard: arrow keys move word by word, ",
      "Shift+arrows extend, Up/Down jump between paragraphs, Enter marks, Delete removes the mark at the caret, Escape cancels.");
    this.toolbar = h("div", { class: "toolbar", role: "toolbar", "aria-label": "Marking tools" },
      h("button", { type: "button", class: "btn", onclick: () => this.markPending(), "data-testid": "mark-selection" }, "Mark selection"),
      h("button", { type: "button", class: "btn secondary", onclick: () => this.removeAtCaret(), "data-testid": "remove-mark" }, "Remove mark at caret"));
    this.el = h("div", { class: "marker" }, this.help, this.toolbar, this.text, this.live, this.count, this.list);
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

  addMark(span) {
    this.anchor = null;  // a new mark ends the selection that made it
    super.addMark(span);
  }

  removeAtCaret() {
    const w = this.words[this.caret];
    if (!w) return;
    const index = this.marks.findIndex((m) => m.start < w.end && w.start < m.end);
    if (index >= 0) this.removeMark(index);
    else this.say("No mark at the caret.");
  }

  /** The first and last word index of the paragraph holding word ``i``. */
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

  /** Announce ``message``, or (with none) the word at the caret or the selected words. */
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
    super.say(message);
  }

  /** Paint the marks, then the caret and the selection. */
  render() {
    super.render();
    const lo = this.anchor === null ? this.caret : Math.min(this.anchor, this.caret);
    const hi = this.anchor === null ? this.caret : Math.max(this.anchor, this.caret);
    this.words.forEach((w, i) => {
      w.el.classList.toggle("caret", i === this.caret);
      w.el.classList.toggle("sel", this.anchor !== null && i >= lo && i <= hi);
    });
    if (this.words[this.caret]) this.text.setAttribute("aria-activedescendant", this.words[this.caret].el.id);
  }
}
