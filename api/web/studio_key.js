// The editor's second section, the key: per skill, a Marker over the article (the one students
// use) whose marks are the key's items, the rules' suggestions to accept or reject, and each item's
// label, voice, rationale, foil, other accepted boundaries and the roles of a quote.

import { h, replace, field, announce, newId } from "./dom.js";
import { Marker } from "./article_selection.js";
import { SKILLS, PREFIX, labelsOf, nextId, blockOf, homeSkill } from "./studio_common.js";
import { state } from "./studio_draft.js";

/** Section 2 of the editor, built from the editor's shared context (studio_editor.js):
 * ``el`` is the section, ``draw()`` redraws the suggestions and items of every skill. */
export function keyPanel({ draft, ctx, changed, itemNotes, drawItemNotes }) {
  const meta = draft.pack;
  const markers = {};
  const lists = {};
  let editing = null; // {skill, id}: the next mark replaces this item's span
  const articleBlocks = () => meta.blocks.filter((b) => b.role !== "site_chrome").map((b) => b.id);

  function marksOf(skill) {
    return draft.items.filter((i) => homeSkill(draft, i) === skill).map((i) => ({ start: i.start, end: i.end, label: i.labels[0] }));
  }

  function syncMarker(skill) {
    markers[skill].marks = marksOf(skill);
    markers[skill].render();
  }

  function startingRationale(label) {
    const technique = draft.techniques.find((t) => t.id === label);
    return technique ? `${technique.name}: ${technique.definition}` : "";
  }

  function onMarks(skill, marks) {
    const same = (i, m) => i.start === m.start && i.end === m.end && i.labels[0] === m.label;
    const mine = draft.items.filter((i) => homeSkill(draft, i) === skill);
    const fresh = marks.filter((m) => !mine.some((i) => same(i, m)));
    const target = editing && editing.skill === skill ? draft.items.find((i) => i.id === editing.id) : null;
    for (const m of fresh) {
      if (target && editing.mode === "alternative") {  // another acceptable boundary of the same instance
        target.alternatives = [...(target.alternatives || []), { start: m.start, end: m.end, quote: ctx.quote(m.start, m.end) }];
      } else if (target) {  // "Change the span": the item keeps its id, voice and rationale
        Object.assign(target, { start: m.start, end: m.end, quote: ctx.quote(m.start, m.end), labels: [m.label] });
        if (target.roles && !(target.roles.content.start >= m.start && target.roles.content.end <= m.end)) delete target.roles;
        delete target.alternatives;
      } else {
        const taken = new Set(draft.items.map((i) => i.id));
        draft.items.push({ id: nextId(PREFIX[skill], taken), skill, labels: [m.label], start: m.start, end: m.end,
          quote: ctx.quote(m.start, m.end), voice: "author", rationale: startingRationale(m.label) });
      }
    }
    if (fresh.length) editing = null;
    // Only a mark the teacher removed takes its item out of the key: a new mark that overlaps an
    // item leaves the item where it is (students' marks replace overlaps; the key's may overlap).
    else draft.items = draft.items.filter((i) => homeSkill(draft, i) !== skill || marks.some((m) => same(i, m)));
    syncMarker(skill);
    changed(true);
  }

  function accept(s) {
    const labels = labelsOf(draft, s.skill).map((t) => t.id);
    const taken = new Set(draft.items.map((i) => i.id));
    const label = labels.includes(s.label) ? s.label : labels[0];
    // Students read the rationale: start from the glossary's definition, never from the rule's
    // wording (which speaks of lexicon lists); the teacher says what the technique does *here*.
    const item = { id: nextId(PREFIX[s.skill], taken), skill: s.skill, labels: [label],
      start: s.start, end: s.end, quote: s.quote, voice: s.voice || "author", rationale: startingRationale(label) };
    if (s.skill === "attribution") {
      item.source = s.source || null;
      if (s.roles && s.roles.content) item.roles = { source: s.roles.source || null, cue: s.roles.cue || null, content: s.roles.content };
    }
    draft.items.push(item);
    state.decided[s.id] = "accepted";
    syncMarker(s.skill);
    announce(`Accepted: ${s.quote}`);
    changed(true);
  }

  function drawSpansLists() {
    itemNotes.clear();
    for (const [skill] of SKILLS) {
      const options = labelsOf(draft, skill);
      const pending = state.suggestions.filter((s) => s.skill === skill && !state.decided[s.id]);
      const items = draft.items.filter((i) => homeSkill(draft, i) === skill);
      replace(lists[skill],
        h("h4", {}, `Suggested (${pending.length})`),
        pending.length ? h("ul", { class: "suggestions" }, pending.map((s) => h("li", { class: "suggestion", "data-suggestion": s.id },
          h("q", {}, s.quote), " — ", h("strong", {}, ctx.labelName(s.label)),
          h("p", { class: "small" }, `Rule: ${s.rules.join(", ")}. ${s.why}`),
          h("button", { type: "button", class: "btn small", onclick: () => accept(s), "aria-label": `Accept “${s.quote}”` }, "Accept"), " ",
          h("button", { type: "button", class: "btn small secondary", "aria-label": `Reject “${s.quote}”`,
            onclick: () => { state.decided[s.id] = "rejected"; changed(true); } }, "Reject"))))
          : h("p", { class: "small" }, "No suggestions left for this skill."),
        h("h4", {}, `In the key (${items.length})`),
        items.length ? h("ul", { class: "items" }, items.map((item) => itemRow(item, options))) : h("p", { class: "small" }, "Nothing yet: accept a suggestion or mark a span above."));
    }
    drawItemNotes();
  }

  function renameItem(oldId, newId_) {
    for (const ex of draft.exercises) {
      for (const key of ["key", "foils", "refs", "loaded"]) if (ex[key]) ex[key] = ex[key].map((x) => (x === oldId ? newId_ : x));
      if (ex.claim === oldId) ex.claim = newId_;
      for (const left of ex.left || []) if (left.ref === oldId) left.ref = newId_;
    }
  }

  function setFoil(item, foil) {
    const skill = homeSkill(draft, item);
    const taken = new Set(draft.items.map((i) => i.id));
    const id = nextId(foil ? "foil" : PREFIX[skill], taken);
    renameItem(item.id, id);
    item.id = id;
    item.skill = foil ? "foil" : skill;
    if (foil) {
      const technique = draft.techniques.find((t) => t.id === item.labels[0]);
      item.feedback = item.feedback || `This looks like ${technique ? technique.name.toLowerCase() : "the technique"}, but it is not one here.`;
      delete item.roles;
      delete item.source;
    } else delete item.feedback;
    changed(true);
  }

  function rolesEditor(item, box) {
    const block = blockOf(draft, item.start);
    const current = item.roles || {};
    const marks = ["source", "cue", "content"].filter((r) => current[r]).map((r) => ({ start: current[r].start, end: current[r].end, label: r }));
    const roles = new Marker(ctx, [block.id], { mode: "roles", marks, label: `Source, cue and content of ${item.id}`,
      options: [{ id: "source", name: "Source (who says it)" }, { id: "cue", name: "Cue (the saying word)" }, { id: "content", name: "Content (what is claimed)" }],
      onChange: (spans) => {
        const pick = (r) => { const x = spans.find((m) => m.label === r); return x ? { start: x.start, end: x.end, quote: ctx.quote(x.start, x.end) } : null; };
        if (pick("content")) item.roles = { source: pick("source"), cue: pick("cue"), content: pick("content") };
        else delete item.roles;
        changed();
      } });
    replace(box, roles.el);
  }

  function itemRow(item, options) {
    const skill = homeSkill(draft, item);
    const labelId = newId("lab");
    const select = h("select", { id: labelId }, options.map((o) => h("option", { value: o.id, selected: o.id === item.labels[0] }, o.name)));
    select.addEventListener("change", () => {
      item.labels = [select.value];
      syncMarker(skill);
      changed();
    });
    const voice = field("Voice (“author”, or who is quoted)", { value: item.voice, name: `voice-${item.id}` });
    voice.input.addEventListener("input", () => { item.voice = voice.input.value; changed(); });
    const rationale = field("Rationale for students: what the technique is here, and why", { rows: 2, name: `rationale-${item.id}`, "data-item": item.id }, "textarea");
    rationale.input.value = item.rationale || "";
    rationale.input.addEventListener("input", () => { item.rationale = rationale.input.value; changed(); });
    const unused = field("Not used in any exercise because… (optional)", { value: item.unused_reason || "", name: `unused-${item.id}` });
    unused.input.addEventListener("input", () => { if (unused.input.value.trim()) item.unused_reason = unused.input.value; else delete item.unused_reason; changed(); });
    const foilId = newId("foil");
    const foil = h("input", { type: "checkbox", id: foilId, checked: item.skill === "foil", name: `foil-${item.id}` });
    foil.addEventListener("change", () => setFoil(item, foil.checked));
    const feedback = item.skill === "foil" ? field("What a student who marks it is told", { value: item.feedback || "", name: `feedback-${item.id}` }) : null;
    if (feedback) feedback.input.addEventListener("input", () => { item.feedback = feedback.input.value; changed(); });
    const alternatives = (item.alternatives || []).map((a, k) => h("li", {}, h("q", {}, a.quote), " ",
      h("button", { type: "button", class: "btn small secondary", "aria-label": `Remove the boundary “${a.quote}”`, onclick: () => {
        item.alternatives = item.alternatives.filter((_, x) => x !== k);
        if (!item.alternatives.length) delete item.alternatives;
        changed(true);
      } }, "Remove")));
    const rolesBox = h("div", { class: "roles-editor" });
    const note = h("div", { class: "item-problems" });
    itemNotes.set(item.id, note);
    const markIn = (mode, message) => () => {
      editing = { skill, id: item.id, mode };
      announce(message);
      markers[skill].text.focus();
    };
    return h("li", { class: "item", "data-item": item.id },
      h("p", {}, h("strong", {}, item.id), " ", h("q", {}, item.quote),
        item.roles ? h("span", { class: "small" }, ` — source: ${item.roles.source ? item.roles.source.quote : "none"}; cue: ${item.roles.cue ? item.roles.cue.quote : "none"}; content: ${item.roles.content.quote}`) : null),
      h("div", { class: "field" }, h("label", { for: labelId }, item.skill === "foil" ? "Looks like" : "Label"), select),
      h("div", { class: "field check" }, foil, h("label", { for: foilId }, "A look-alike (foil): students who mark it are told why it is not one")),
      feedback ? feedback.wrap : null,
      voice.wrap, rationale.wrap, unused.wrap,
      alternatives.length ? h("div", {}, h("p", { class: "small" }, "Also accepted as boundaries:"), h("ul", {}, alternatives)) : null,
      note,
      h("button", { type: "button", class: "btn small secondary", onclick: markIn("change", `Mark the new span for ${item.id} in the text above.`) }, "Change the span"), " ",
      item.skill !== "foil" ? h("button", { type: "button", class: "btn small secondary",
        onclick: markIn("alternative", `Mark another acceptable boundary for ${item.id} in the text above.`) }, "Also accept another boundary") : null, " ",
      skill === "attribution" && item.skill !== "foil" ? h("button", { type: "button", class: "btn small secondary", onclick: () => rolesEditor(item, rolesBox) }, "Mark source, cue and content") : null, " ",
      h("button", { type: "button", class: "btn small secondary", "aria-label": `Remove ${item.id}`, onclick: () => {
        draft.items = draft.items.filter((i) => i !== item);
        syncMarker(skill);
        changed(true);
      } }, "Remove"),
      rolesBox);
  }

  const el = h("section", { class: "card", "aria-labelledby": "st-spans-h" },
    h("h2", { id: "st-spans-h" }, "2. The key: spans, labels and rationales"),
    h("p", {}, "Accept or reject each suggestion; each one names the rule that proposed it. Mark a span the rules missed in the text, the way students will."),
    SKILLS.map(([skill, name]) => {
      const options = labelsOf(draft, skill).map((t) => ({ id: t.id, name: t.name }));
      markers[skill] = new Marker(ctx, articleBlocks(), { mode: "label", options, marks: marksOf(skill), label: `Text for marking ${skill} spans`,
        onChange: (marks) => onMarks(skill, marks) });
      lists[skill] = h("div", { class: "span-lists", "data-skill": skill });
      return h("details", { class: "skill", "data-skill": skill, open: skill === "attribution" },
        h("summary", {}, h("h3", { class: "inline" }, name)),
        markers[skill].el, lists[skill]);
    }));

  return { el, draw: drawSpansLists };
}
