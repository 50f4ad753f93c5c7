// One answer form per exercise type. Each returns {el, value()} and calls onChange(response)
// whenever the answer changes; responses have exactly the shape the API's parse_response reads.

import { h, newId } from "./dom.js";
import { renderBlocks } from "./article.js";
import { Marker } from "./article_selection.js";

const TYPE_NAMES = {
  highlight: "Mark the text",
  label_spans: "Mark and label",
  single_choice: "Choose one",
  multi_choice: "Choose all that apply",
  match: "Match",
  attribution_roles: "Source, cue and content",
  short_answer: "Short answer",
  rewrite: "Rewrite",
};

export function typeName(type) {
  return TYPE_NAMES[type] || type;
}

const ROLE_OPTIONS = [
  { id: "source", name: "Source (who says it)" },
  { id: "cue", name: "Cue (the saying word)" },
  { id: "content", name: "Content (what is claimed)" },
];

function optionList(ex) {
  return ex.options || [];
}

/** Render the answer form for ``ex``; ``saved`` is a previous response or undefined. */
export function renderAnswer(ex, ctx, saved, onChange) {
  let current = saved ? { ...saved } : { type: ex.type };
  current.type = ex.type;
  const emit = () => onChange({ ...current });
  const parts = [];
  // Answers typed in a text box are sent after a pause; flush() sends a waiting one at once.
  let pendingText = null;

  switch (ex.type) {
    case "highlight":
    case "label_spans": {
      const labelled = ex.type === "label_spans";
      const options = labelled ? (ex.label_options || []).map((id) => ({ id, name: ctx.labelName(id) })) : [];
      if (!labelled && ex.labels && ex.labels.length) {
        parts.push(h("p", { class: "kinds" }, "Kinds to mark: ", ex.labels.map((id) => ctx.labelName(id)).join(", ")));
      }
      const marker = new Marker(ctx, ex.scope, {
        mode: labelled ? "label" : "highlight",
        options,
        marks: (current.spans || []).filter((s) => s.start !== undefined),
        label: `Text for “${ex.title}”`,
        onChange: (spans) => { current = { ...current, spans }; emit(); },
      });
      parts.push(marker.el);
      break;
    }
    case "attribution_roles": {
      const marks = ROLE_OPTIONS.filter((r) => current[r.id]).map((r) => ({ ...current[r.id], label: r.id }));
      const marker = new Marker(ctx, ex.scope, {
        mode: "roles",
        options: ROLE_OPTIONS,
        marks,
        label: `Text for “${ex.title}”`,
        onChange: (spans) => {
          const next = { type: ex.type, certainty: current.certainty };
          for (const r of ROLE_OPTIONS) {
            const s = spans.find((x) => x.label === r.id);
            next[r.id] = s ? { start: s.start, end: s.end } : null;
          }
          current = next;
          emit();
        },
      });
      parts.push(marker.el);
      break;
    }
    case "single_choice":
    case "multi_choice": {
      const multi = ex.type === "multi_choice";
      const name = newId("opt");
      const chosen = new Set(multi ? current.choices || [] : current.choice ? [current.choice] : []);
      const boxes = optionList(ex).map((o) => {
        const input = h("input", { type: multi ? "checkbox" : "radio", name, value: o.id, checked: chosen.has(o.id), id: newId("o") });
        input.addEventListener("change", () => {
          if (multi) {
            current = { ...current, choices: boxes.filter((b) => b.checked).map((b) => b.value) };
          } else {
            current = { ...current, choice: input.value };
          }
          emit();
        });
        return input;
      });
      parts.push(h("fieldset", { class: "choices" },
        h("legend", {}, multi ? "Choose all that apply" : "Choose one"),
        optionList(ex).map((o, k) => h("div", { class: "choice" }, boxes[k], h("label", { for: boxes[k].id }, o.text)))));
      if (multi) parts.push(h("p", { class: "help" }, `How this is scored: ${(ex.scoring_rule || "each wrong choice cancels a right one").replace(/\.$/, "")}.`));
      break;
    }
    case "match": {
      const pairs = { ...(current.pairs || {}) };
      const rows = (ex.left || []).map((left) => {
        const id = newId("m");
        const select = h("select", { id },
          h("option", { value: "" }, "— choose —"),
          (ex.right || []).map((r) => h("option", { value: r.id, selected: pairs[left.id] === r.id }, r.text)));
        select.addEventListener("change", () => {
          if (select.value) pairs[left.id] = select.value; else delete pairs[left.id];
          current = { ...current, pairs: { ...pairs } };
          emit();
        });
        return h("div", { class: "match-row" }, h("label", { for: id }, left.text), select);
      });
      parts.push(h("div", { class: "match", role: "group", "aria-label": "Pairs" }, rows));
      break;
    }
    case "short_answer":
    case "rewrite": {
      if (ex.type === "rewrite" && ex.target) {
        parts.push(h("blockquote", { class: "target" }, h("span", { class: "sr-only" }, "Sentence to rewrite: "), ex.target.quote || ctx.quote(ex.target.start, ex.target.end)));
      }
      const id = newId("ta");
      const area = h("textarea", { id, rows: 5, maxlength: 5000 });
      area.value = current.text || "";
      let timer = null;
      pendingText = () => { if (timer !== null) { window.clearTimeout(timer); timer = null; emit(); } };
      area.addEventListener("input", () => {
        current = { ...current, text: area.value };
        window.clearTimeout(timer);
        timer = window.setTimeout(() => { timer = null; emit(); }, 600);
      });
      // Leaving the field sends what was typed at once; passing through it sends nothing.
      area.addEventListener("blur", () => pendingText());
      parts.push(h("div", { class: "field" }, h("label", { for: id }, ex.type === "rewrite" ? "Your neutral rewrite" : "Your answer"), area));
      break;
    }
    default:
      parts.push(h("p", { role: "alert" }, `This exercise type (${ex.type}) is not supported by this page.`));
  }
  parts.push(certaintyInput(current, (c) => { current = { ...current }; if (c) current.certainty = c; else delete current.certainty; emit(); }));
  return {
    el: h("div", { class: `answer type-${ex.type}` }, parts),
    value: () => ({ ...current }),
    flush: () => { if (pendingText) pendingText(); },
  };
}

function certaintyInput(current, onPick) {
  const name = newId("cert");
  const values = [["", "Not given"], ["1", "1 – unsure"], ["2", "2 – fairly sure"], ["3", "3 – very sure"]];
  return h("fieldset", { class: "certainty" },
    h("legend", {}, "How sure are you? (optional)"),
    values.map(([v, text]) => {
      const id = newId("c");
      const input = h("input", { type: "radio", name, id, value: v, checked: String(current.certainty || "") === v });
      input.addEventListener("change", () => onPick(v ? Number(v) : null));
      return h("span", { class: "cert" }, input, h("label", { for: id }, text));
    }));
}

/** The prompt, hints and (for non-span types) the blocks the exercise is about. */
export function renderQuestion(ex, ctx, index, total) {
  const hintBox = h("div", { class: "hints", "aria-live": "polite" });
  let shown = 0;
  const hints = ex.hints || [];
  const hintButton = hints.length
    ? h("button", { type: "button", class: "btn secondary small", onclick: () => {
        if (shown < hints.length) { hintBox.append(h("p", { class: "hint" }, `Hint ${shown + 1}: ${hints[shown]}`)); shown += 1; }
        if (shown >= hints.length) hintButton.disabled = true;
      } }, `Show a hint (${hints.length})`)
    : null;
  const spanType = ["highlight", "label_spans", "attribution_roles"].includes(ex.type);
  return h("div", { class: "question" },
    h("p", { class: "meta" }, index !== undefined ? `Exercise ${index + 1} of ${total} · ` : "", typeName(ex.type),
      ` · ${ex.points || 1} point${(ex.points || 1) === 1 ? "" : "s"}`),
    h("h2", { class: "ex-title", tabindex: "-1" }, ex.title),
    h("p", { class: "prompt" }, ex.prompt),
    hintButton, hintBox,
    !spanType && ex.scope && ex.scope.length && ex.type !== "rewrite"
      ? h("details", { class: "context" }, h("summary", {}, "Show the part of the article this is about"), renderBlocks(ctx, ex.scope).el)
      : null);
}
