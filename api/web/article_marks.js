// A text's marks: adding, merging, relabelling and removing them, the menu that asks for a label,
// and how the marks show (colours and label tags in the text, a list with Remove buttons under it).
// Choosing the words to mark (mouse, touch, keyboard) is the Marker's, in article_selection.js.

import { h, newId } from "./dom.js";
import { renderBlocks, balanced } from "./article.js";

/** Label colours cycle through this many classes (mk-l0 … mk-l5 in the stylesheet). */
const LABEL_COLOURS = 6;

/**
 * The marks on a rendered text. ``mode``: "highlight" (one kind of mark, overlapping marks merge),
 * "label" (each mark has a label from ``options``) or "roles" (source/cue/content, one span each).
 * ``options``: [{id, name}]. ``onChange(marks)`` receives [{start, end, label?}] in code points
 * after every change.
 */
export class MarkedText {
  constructor(ctx, blockIds, { mode = "highlight", options = [], marks = [], onChange = () => {} } = {}) {
    this.ctx = ctx;
    this.mode = mode;
    this.options = options;
    this.onChange = onChange;
    this.marks = marks.map((m) => ({ ...m }));
    const { el, words, gaps } = renderBlocks(ctx, blockIds, { idPrefix: newId("mk") });
    this.words = words;
    this.gaps = gaps;
    this.text = el;
    this.live = h("p", { class: "sr-only", "aria-live": "polite", "data-testid": "marker-live" });
    this.list = h("ul", { class: "mark-list", "aria-label": "Your marks" });
    this.count = h("p", { class: "mark-count" });
    this.menu = null;
  }

  /** Tell screen-reader users what happened. */
  say(message) {
    this.live.textContent = message;
  }

  optionName(id) {
    const o = this.options.find((x) => x.id === id);
    return o ? o.name : id;
  }

  value() {
    return this.marks.map((m) => (m.label ? { start: m.start, end: m.end, label: m.label } : { start: m.start, end: m.end }));
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
    this.render();
    const name = span.label ? ` as ${this.optionName(span.label)}` : "";
    this.say(`Marked${name}: ${this.ctx.quote(start, end)}`);
    this.onChange(this.value());
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

  /** The label menu, opened after the word ``atWord`` for ``span``; a choice marks it. */
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
    this.words[atWord].el.after(menu);
    this.menu = menu;
    items[0].focus();
  }

  closeMenu() {
    if (this.menu) this.menu.remove();
    this.menu = null;
  }

  /** Paint the marks: word and gap colours, a visible label tag after each labelled mark, the list. */
  render() {
    const labelIndex = new Map(this.options.map((o, k) => [o.id, k]));
    const paint = (classes, mark) => {
      classes.toggle("mk", !!mark);
      for (let k = 0; k < LABEL_COLOURS; k += 1) {
        classes.toggle(`mk-l${k}`, !!mark && mark.label !== undefined && labelIndex.get(mark.label) % LABEL_COLOURS === k);
      }
    };
    for (const w of this.words) {
      const mark = this.marks.find((m) => m.start < w.end && w.start < m.end);
      paint(w.el.classList, mark);
      w.el.classList.toggle("mk-first", !!mark && w.start <= mark.start);
      w.el.classList.toggle("mk-last", !!mark && w.end >= mark.end);
    }
    for (const g of this.gaps) paint(g.el.classList, this.marks.find((m) => m.start <= g.start && g.end <= m.end));
    // Label tags after each labelled mark, so the label is visible in the text, not only by colour.
    this.text.querySelectorAll(".mark-tag").forEach((t) => t.remove());
    for (const m of this.marks) {
      if (!m.label) continue;
      const last = [...this.words].reverse().find((w) => w.start >= m.start && w.end <= m.end);
      if (last) last.el.after(h("span", { class: `mark-tag mk-l${(labelIndex.get(m.label) || 0) % LABEL_COLOURS}`, "aria-hidden": "true" }, this.optionName(m.label)));
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
