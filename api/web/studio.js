// The studio: a teacher brings a new article, checks its blocks and provenance, accepts, edits or
// adds spans with the same Marker students use, writes rationales, builds exercises from
// templates, previews them as a student with the scorer's results, saves the pack and assigns it.
// The draft is kept in this tab (sessionStorage) until it is saved; the server lints it as it changes.

import { h, replace, field, announce, newId } from "./dom.js";
import { auth, ApiError, store } from "./api.js";
import { lessonContext, Marker, ROLE_NAMES } from "./article.js";
import { renderAnswer, renderQuestion, typeName } from "./exercises.js";
import { guarded, signOut } from "./teacher_common.js";
import { setTitle, errorBox, onLeave } from "./ui.js";

const BASE = "/api/v1";
const KEY = "medialit.studio";
const SKILLS = [
  ["attribution", "Attribution: who says so?"],
  ["framing", "Framing: which words do the work?"],
  ["funding", "Funding: who pays, and is it an answer?"],
];
const PREFIX = { attribution: "att", framing: "frm", funding: "fun" };
const ARTICLE_ROLES = new Set(["headline", "standfirst", "subhead", "body"]);
const enc = encodeURIComponent;

async function call(method, path, body) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${auth.teacher()}` };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(BASE + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
  } catch {
    throw new ApiError(0, { title: "The server cannot be reached. Check the connection and try again." });
  }
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/* ---------- the draft in this tab ---------- */

let state = null; // {draft, reasons, suggestions, rules, decided, templates, quiz: {title, kind}}

function load() {
  if (!state) state = store.get(KEY, true);
  return state;
}

function keep() {
  store.set(KEY, state, true);
}

function begin(draft, extra = {}) {
  state = { draft, reasons: {}, suggestions: [], rules: [], decided: {}, templates: {}, quiz: { title: draft.pack.title || "Quiz", kind: "assessment" }, ...extra };
  const quiz = (draft.quizzes || [])[0];
  if (quiz) state.quiz = { title: quiz.title, kind: quiz.kind };
  for (const ex of draft.exercises || []) {  // a reopened pack's span exercises keep following the key
    const first = (ex.key || []).map((id) => draft.items.find((i) => i.id === id)).find(Boolean);
    if (["highlight", "label_spans"].includes(ex.type) && first) state.templates[ex.id] = { skill: first.skill };
  }
  keep();
}

function ctxOf(draft) {
  return lessonContext({ text: draft.text, blocks: draft.pack.blocks, glossary: draft.techniques });
}

function labelsOf(draft, skill) {
  return draft.techniques.filter((t) => t.skill === skill);
}

function nextId(prefix, taken) {
  let n = 1;
  while (taken.has(`${prefix}-${n}`)) n += 1;
  return `${prefix}-${n}`;
}

function blockOf(draft, start) {
  return draft.pack.blocks.find((b) => b.start <= start && start < b.end);
}

/** The sentence of its block that holds ``item``, as a span {start, end, quote} in code points. */
function sentenceAround(draft, item) {
  const block = blockOf(draft, item.start);
  const chars = Array.from(draft.text);
  const end_ = /[.!?…]/;
  let start = item.start;
  while (start > block.start && !(end_.test(chars[start - 1]) || (/["”’]/.test(chars[start - 1]) && end_.test(chars[start - 2] || "")))) start -= 1;
  while (start < item.start && /\s/.test(chars[start])) start += 1;
  let end = item.end;
  while (end < block.end && !end_.test(chars[end - 1])) end += 1;
  while (end < block.end && /["”’)]/.test(chars[end])) end += 1;
  return { start, end, quote: chars.slice(start, end).join("") };
}

function blockText(draft, block) {
  return Array.from(draft.text).slice(block.start, block.end).join("");
}

/** The skill a key item belongs to; a foil belongs to the skill of the technique it resembles. */
function homeSkill(draft, item) {
  if (item.skill !== "foil") return item.skill;
  const technique = draft.techniques.find((t) => t.id === item.labels[0]);
  return technique ? technique.skill : "framing";
}

function inScope(draft, ex, item) {
  return ex.scope.some((b) => {
    const block = draft.pack.blocks.find((x) => x.id === b);
    return block && block.start <= item.start && item.end <= block.end;
  });
}

/** Keys of template-built span exercises follow the items: every accepted span of the skill in scope. */
function refreshKeys(draft) {
  for (const ex of draft.exercises) {
    const template = state.templates[ex.id];
    if (!template || !["highlight", "label_spans"].includes(ex.type)) continue;
    // an item with a contested reason (set in the pack file) is listed as contested, not required
    const inside = draft.items.filter((i) => i.skill === template.skill && inScope(draft, ex, i));
    const scoped = inside.filter((i) => !i.contested);
    const contested = inside.filter((i) => i.contested).map((i) => i.id);
    const labels = [...new Set(scoped.map((i) => i.labels[0]))];
    ex.key = scoped.map((i) => i.id);
    if (contested.length) ex.contested = contested;
    else delete ex.contested;
    ex.foils = draft.items.filter((i) => i.skill === "foil" && homeSkill(draft, i) === template.skill && inScope(draft, ex, i)).map((i) => i.id);
    if (ex.type === "highlight") ex.labels = labels.length ? labels : ex.labels;
    else {
      // the menu offers at least two labels: the key's, then the skill's others from the glossary
      const more = draft.techniques.filter((t) => t.skill === template.skill && !labels.includes(t.id)).map((t) => t.id);
      ex.label_options = labels.length ? [...labels, ...more].slice(0, Math.max(2, labels.length)) : ex.label_options;
    }
  }
  const id = `${draft.pack.id}-quiz`;
  draft.quizzes = draft.exercises.length
    ? [{ id, title: state.quiz.title || draft.pack.title, kind: state.quiz.kind, exercises: draft.exercises.map((e) => e.id) }]
    : [];
}

/* ---------- home: saved packs, new article, shared pack file ---------- */

async function fileBase64(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function studioHome() {
  return guarded(async () => {
    setTitle("Studio");
    const packs = await call("GET", "/studio/packs");
    const errors = h("div");
    const paste = field("Paste the article's text", { name: "studio_text", rows: 10, "data-testid": "studio-paste" }, "textarea");
    const upload = field("…or upload a file (.txt, .md, .html, .docx)", { type: "file", name: "studio_file", accept: ".txt,.md,.markdown,.html,.htm,.docx", "data-testid": "studio-file" });
    const packId = field("Pack name for the address (optional: lowercase letters, digits and hyphens)", { name: "studio_pack_id", pattern: "[a-z0-9][a-z0-9-]{0,40}", maxlength: 41 });
    const form = h("form", { class: "card", "aria-labelledby": "st-new-h" },
      h("h2", { id: "st-new-h" }, "Bring a new article"),
      h("p", {}, "The text is split into paragraphs with their roles proposed, and spans are suggested for each skill. You check every one."),
      paste.wrap, upload.wrap, packId.wrap, errors,
      h("button", { type: "submit", class: "btn", "data-testid": "studio-import" }, "Import"));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      replace(errors);
      const body = {};
      const file = upload.input.files && upload.input.files[0];
      if (file) Object.assign(body, { filename: file.name, content_base64: await fileBase64(file) });
      else if (paste.input.value.trim()) body.text = paste.input.value;
      else { replace(errors, h("p", { class: "error", role: "alert" }, "Paste a text or choose a file.")); return; }
      if (packId.input.value.trim()) body.pack_id = packId.input.value.trim();
      try {
        const imported = await call("POST", "/studio/import", body);
        begin(imported.draft, { reasons: imported.reasons, suggestions: imported.suggestions, rules: imported.rules });
        announce("Imported. Check the paragraphs and the suggested spans.");
        location.hash = "#/teacher/studio/edit";
      } catch (err) { replace(errors, errorBox(err)); }
    });
    const shared = field("A pack file from a colleague (.medialit-pack.json)", { type: "file", accept: ".json", name: "studio_pack_file" });
    const sharedErrors = h("div");
    const sharedForm = h("form", { class: "card", "aria-labelledby": "st-shared-h" },
      h("h2", { id: "st-shared-h" }, "Import a shared pack"), shared.wrap, sharedErrors,
      h("button", { type: "submit", class: "btn secondary" }, "Import the pack"));
    sharedForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      replace(sharedErrors);
      const file = shared.input.files && shared.input.files[0];
      if (!file) { replace(sharedErrors, h("p", { class: "error", role: "alert" }, "Choose a pack file.")); return; }
      try {
        const saved = await call("POST", "/studio/packs", JSON.parse(await file.text()));
        announce(`Pack “${saved.title}” imported.`);
        window.dispatchEvent(new HashChangeEvent("hashchange"));
      } catch (err) { replace(sharedErrors, errorBox(err instanceof SyntaxError ? new Error("That file is not a pack file.") : err)); }
    });
    const current = load();
    return h("div", { class: "studio" },
      h("div", { class: "screen-head" }, h("h1", {}, "Studio: bring your own article"), signOut()),
      h("p", {}, h("a", { href: "#/teacher" }, "← Classes")),
      current ? h("p", { class: "card" }, "A pack you have not saved yet is open in this tab: ",
        h("a", { href: "#/teacher/studio/edit", class: "btn secondary" }, `Continue “${current.draft.pack.title}”`)) : null,
      h("section", { class: "card", "aria-labelledby": "st-saved-h" },
        h("h2", { id: "st-saved-h" }, "Your packs"),
        packs.length
          ? h("ul", {}, packs.map((p) => h("li", {},
              h("a", { href: `#/teacher/studio/pack/${enc(p.id)}` }, p.title), " · ",
              h("button", { type: "button", class: "btn small secondary", onclick: () => exportPack(p.id) }, `Export “${p.title}” as a file`))))
          : h("p", {}, "None saved yet.")),
      form, sharedForm);
  });
}

async function exportPack(packId) {
  const document_ = await call("GET", `/studio/packs/${enc(packId)}/export`);
  const url = URL.createObjectURL(new Blob([JSON.stringify(document_)], { type: "application/json" }));
  const a = h("a", { href: url, download: `${packId}.medialit-pack.json` });
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function studioOpen(packId) {
  return guarded(async () => {
    const draft = await call("GET", `/studio/packs/${enc(packId)}`);
    begin(draft);
    history.replaceState(null, "", "#/teacher/studio/edit");
    return editor();
  });
}

export function studioEditor() {
  return guarded(async () => {
    if (!load()) {
      setTitle("Studio");
      return h("div", {}, h("h1", {}, "No article open"), h("p", {}, h("a", { href: "#/teacher/studio" }, "Import an article first.")));
    }
    return editor();
  });
}

/* ---------- the editor ---------- */

function editor() {
  const { draft } = state;
  setTitle(`Studio: ${draft.pack.title}`);
  const problemsBox = h("div", { "aria-live": "polite", "data-testid": "studio-problems" });
  let lintTimer = null;
  let lastProblems = [];
  const itemNotes = new Map(); // item id -> element showing its problems
  const exerciseNotes = new Map(); // exercise id -> the same

  const changed = (structural = false) => {
    keep();
    if (structural) drawSpansLists();
    window.clearTimeout(lintTimer);
    lintTimer = window.setTimeout(lint, 900);
  };
  onLeave(() => window.clearTimeout(lintTimer));

  async function lint() {
    refreshKeys(draft);
    keep();
    try {
      const result = await call("POST", "/studio/lint", draft);
      lastProblems = result.problems;
      drawProblems(result);
      return result;
    } catch (err) {
      replace(problemsBox, errorBox(err));
      return null;
    }
  }

  function drawProblems(result) {
    if (result.ok) replace(problemsBox, h("p", { class: "ok", "data-testid": "lint-ok" }, "No problems: the pack can be saved."));
    else replace(problemsBox, h("p", {}, `${result.problems.length} problem${result.problems.length === 1 ? "" : "s"} to fix before saving:`),
      h("ul", { class: "problems" }, result.problems.map((p) => h("li", {}, h("code", {}, `${p.file}${p.location ? ` · ${p.location}` : ""}`), " ", p.message))));
    drawItemNotes();
  }

  // Problems anchored to the text: each item's own problems appear under it.
  function drawItemNotes() {
    for (const [id, note] of [...itemNotes, ...exerciseNotes]) {
      const mine = lastProblems.filter((p) => p.location.includes(`(${id})`) || p.location === id);
      replace(note, mine.map((p) => h("p", { class: "error" }, p.message)));
    }
  }

  /* 1. text, blocks and provenance */
  const meta = draft.pack;
  const bind = (obj, key, label, attrs = {}, tag = "input") => {
    const f = field(label, { ...attrs, value: obj[key] ?? "" }, tag);
    if (tag === "textarea") f.input.value = obj[key] ?? "";
    f.input.addEventListener("input", () => { obj[key] = f.input.value; changed(); });
    return f.wrap;
  };
  const prov = meta.provenance;
  const unknowns = field("What is not known (one per line)", { rows: 4, name: "prov_unknowns" }, "textarea");
  unknowns.input.value = (prov.unknowns || []).join("\n");
  unknowns.input.addEventListener("input", () => { prov.unknowns = unknowns.input.value.split("\n").map((x) => x.trim()).filter(Boolean); changed(); });
  const url = field("Original address (URL)", { name: "prov_url", value: prov.url || "" });
  url.input.addEventListener("input", () => { prov.url = url.input.value.trim(); prov.original_url_known = !!prov.url; changed(); });
  const blockRows = meta.blocks.map((b) => {
    const id = newId("role");
    const select = h("select", { id, "data-block": b.id }, Object.entries(ROLE_NAMES).map(([role, name]) => h("option", { value: role, selected: role === b.role }, name)));
    select.addEventListener("change", () => { b.role = select.value; changed(); });
    const text = blockText(draft, b);
    return h("li", { class: "studio-block" },
      h("label", { for: id }, `Paragraph ${b.id}: `), select,
      state.reasons[b.id] ? h("span", { class: "small" }, ` proposed because: ${state.reasons[b.id]}`) : null,
      h("p", { class: "block-preview" }, text.length > 160 ? `${text.slice(0, 160)}…` : text));
  });
  const again = h("button", { type: "button", class: "btn secondary", onclick: async () => {
    try {
      const result = await call("POST", "/studio/suggestions", draft);
      state.suggestions = result.suggestions;
      state.rules = result.rules;
      keep();
      drawSpansLists();
      announce(`${result.suggestions.length} suggestions.`);
    } catch (err) { announce(err.message, true); }
  } }, "Suggest spans again for these roles");
  const textSection = h("section", { class: "card", "aria-labelledby": "st-text-h" },
    h("h2", { id: "st-text-h" }, "1. The text, its paragraphs and where it comes from"),
    bind(meta, "title", "Title shown to students", { name: "pack_title" }),
    h("div", { class: "field" }, h("span", { class: "label" }, "Pack name (in the address)"), h("code", {}, meta.id)),
    h("details", { open: true }, h("summary", {}, `Paragraphs and their roles (${meta.blocks.length})`), h("ol", { class: "studio-blocks" }, blockRows), again),
    h("fieldset", { class: "provenance-fields" }, h("legend", {}, "Provenance"),
      bind(prov, "publisher", "Publisher", { name: "prov_publisher" }),
      bind(prov, "date", "Date (or “unknown”)", { name: "prov_date" }),
      bind(prov, "date_basis", "How the date is known", { name: "prov_date_basis" }),
      url.wrap,
      bind(prov, "repost_site", "Reposted on (if the text is a repost)", { name: "prov_repost" }),
      bind(prov, "notes", "Notes", { name: "prov_notes", rows: 3 }, "textarea"),
      unknowns.wrap));

  /* 2. spans */
  const ctx = ctxOf(draft);
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

  const spanSection = h("section", { class: "card", "aria-labelledby": "st-spans-h" },
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

  /* 3. exercises */
  const exList = h("ul", { class: "exercises" });
  const templateBox = h("div");
  const exErrors = h("div");
  function drawExercises() {
    exerciseNotes.clear();
    replace(exList, draft.exercises.map((ex) => h("li", { class: "exercise-row", "data-exercise": ex.id },
      h("strong", {}, ex.title), ` · ${typeName(ex.type)} · paragraphs ${ex.scope.join(", ")} `,
      exerciseNotes.set(ex.id, h("div", { class: "item-problems" })).get(ex.id),
      h("button", { type: "button", class: "btn small secondary", "aria-label": `Remove exercise ${ex.title}`, onclick: () => {
        draft.exercises = draft.exercises.filter((e) => e !== ex);
        delete state.templates[ex.id];
        drawExercises();
        changed();
      } }, "Remove"))));
    drawItemNotes();
  }
  const templates = {
    highlight: "Highlight the spans of a skill in chosen paragraphs",
    label_spans: "Label the spans of a skill in chosen paragraphs",
    attribution_roles: "Source, cue and content of a chosen quote",
    single_choice: "Single choice",
    multi_choice: "Multiple choice (choose all that apply)",
    match: "Match spans of the key to their labels",
    short_answer: "Short answer with a rubric",
    rewrite: "Rewrite a loaded sentence neutrally",
  };
  const kind = h("select", { id: "tpl-kind", "data-testid": "template" }, Object.entries(templates).map(([k, v]) => h("option", { value: k }, v)));
  kind.addEventListener("change", () => drawTemplate());
  // A span exercise starts with every body paragraph chosen: marking everything must earn little,
  // which needs plenty of text with no technique in it around the key spans (docs/scoring.md).
  function paragraphBoxes(spans = false) {
    return h("fieldset", { class: "scope" }, h("legend", {}, "Paragraphs the exercise is about"),
      spans ? h("p", { class: "small" }, "Every body paragraph is chosen to start with: students must be able to tell the technique from plain text, so a span exercise needs plenty of text around its spans.") : null,
      meta.blocks.filter((b) => ARTICLE_ROLES.has(b.role)).map((b) => {
        const id = newId("sc");
        const text = blockText(draft, b);
        return h("div", { class: "choice" }, h("input", { type: "checkbox", id, value: b.id, name: "scope", checked: spans && b.role === "body" }),
          h("label", { for: id }, `${b.id}: ${text.length > 70 ? `${text.slice(0, 70)}…` : text}`));
      }));
  }
  let form = null;
  function drawTemplate() {
    const type = kind.value;
    const parts = [field("Title", { name: "ex_title", required: true }).wrap, field("Prompt for students", { name: "ex_prompt", rows: 2 }, "textarea").wrap];
    if (type === "highlight" || type === "label_spans") {
      parts.push(h("div", { class: "field" }, h("label", { for: "tpl-skill" }, "Skill"),
        h("select", { id: "tpl-skill", name: "ex_skill" }, SKILLS.map(([s, n]) => h("option", { value: s }, n)))), paragraphBoxes(true));
    } else if (type === "attribution_roles") {
      const quotes = draft.items.filter((i) => i.skill === "attribution" && i.roles);
      parts.push(h("div", { class: "field" }, h("label", { for: "tpl-claim" }, "The quote (an attribution with source, cue and content)"),
        h("select", { id: "tpl-claim", name: "ex_claim" }, quotes.map((i) => h("option", { value: i.id }, `${i.id}: ${i.quote.slice(0, 80)}`)))));
    } else if (type === "match") {
      parts.push(h("fieldset", { class: "match-items" }, h("legend", {}, "Spans to match (two or more; each is matched to its label)"),
        draft.items.filter((i) => i.skill !== "foil").map((i) => {
          const id = newId("mi");
          return h("div", { class: "choice" }, h("input", { type: "checkbox", id, value: i.id, name: "ex_items" }),
            h("label", { for: id }, `${i.id}: ${i.quote.slice(0, 80)} (${ctx.labelName(i.labels[0])})`));
        })));
    } else if (type === "rewrite") {
      const framing = draft.items.filter((i) => i.skill === "framing");
      parts.push(h("div", { class: "field" }, h("label", { for: "tpl-loaded" }, "The loaded words (the sentence around them is rewritten)"),
        h("select", { id: "tpl-loaded", name: "ex_loaded" }, framing.map((i) => h("option", { value: i.id }, `${i.id}: ${i.quote.slice(0, 80)}`)))),
        field("Names, places and figures the rewrite must keep (comma-separated)", { name: "ex_keep" }).wrap,
        field("Model answer: the sentence rewritten neutrally", { name: "ex_model", rows: 2 }, "textarea").wrap);
    } else {
      parts.push(paragraphBoxes(), h("div", { class: "field" }, h("label", { for: "tpl-ref" }, "Which span of the key it is about"),
        h("select", { id: "tpl-ref", name: "ex_ref" }, draft.items.map((i) => h("option", { value: i.id }, `${i.id}: ${i.quote.slice(0, 80)}`)))));
      if (type === "single_choice" || type === "multi_choice") {
        const multi = type === "multi_choice";
        parts.push(h("fieldset", {}, h("legend", {}, multi ? "Options (tick every correct one)" : "Options (choose the correct one)"), [0, 1, 2, 3].map((k) => h("div", { class: "option-row" },
          h("input", { type: multi ? "checkbox" : "radio", name: "ex_correct", value: String(k), id: `tpl-correct-${k}`, checked: k === 0 }),
          h("label", { for: `tpl-correct-${k}` }, `Option ${k + 1} is correct`),
          field(`Option ${k + 1}`, { name: `ex_option_${k}` }).wrap,
          field(`Feedback for option ${k + 1}`, { name: `ex_feedback_${k}` }).wrap))));
      } else {
        parts.push(field("Model answer", { name: "ex_model", rows: 2 }, "textarea").wrap,
          field("Rubric criterion: what a good answer does", { name: "ex_criterion" }).wrap,
          field("Words that show it (comma-separated base words: “pay” also counts pays, paid and paying; a semicolon starts a second group that must also appear)", { name: "ex_concepts", placeholder: "pay, fund; claim, evidence" }).wrap);
      }
    }
    form = h("form", { class: "template-form" }, parts, exErrors, h("button", { type: "submit", class: "btn", "data-testid": "add-exercise" }, "Add the exercise"));
    form.addEventListener("submit", (e) => { e.preventDefault(); addExercise(type); });
    replace(templateBox, form);
  }
  function addExercise(type) {
    replace(exErrors);
    const value = (name) => (form.elements[name] ? form.elements[name].value.trim() : "");
    const scope = [...form.querySelectorAll("input[name=scope]:checked")].map((x) => x.value);
    const fail = (message) => { replace(exErrors, h("p", { class: "error", role: "alert" }, message)); };
    const taken = new Set(draft.exercises.map((x) => x.id));
    const id = nextId(draft.pack.id, taken);
    const base = { id, type, title: value("ex_title") || templates[type], prompt: value("ex_prompt") };
    if (!base.prompt) return fail("Write the prompt students read.");
    let ex;
    if (type === "highlight" || type === "label_spans") {
      if (!scope.length) return fail("Choose at least one paragraph.");
      const skill = value("ex_skill");
      ex = { ...base, skill, scope, key: [], ...(type === "highlight" ? { labels: [] } : { label_options: [] }) };
      state.templates[id] = { skill };
      refreshKeys({ ...draft, exercises: [ex] });
      if (!ex.key.length) return fail("There is no span of this skill in the key inside those paragraphs yet.");
    } else if (type === "attribution_roles") {
      const claim = draft.items.find((i) => i.id === value("ex_claim"));
      if (!claim) return fail("Accept a quotation suggestion (it brings source, cue and content) first.");
      ex = { ...base, skill: "attribution", scope: [blockOf(draft, claim.start).id], claim: claim.id };
    } else if (type === "match") {
      const chosen = [...form.querySelectorAll("input[name=ex_items]:checked")].map((x) => draft.items.find((i) => i.id === x.value));
      if (chosen.length < 2) return fail("Choose at least two spans.");
      const skill = homeSkill(draft, chosen[0]);
      const labels = [...new Set(chosen.map((i) => i.labels[0]))];
      const others = draft.techniques.filter((t) => t.skill === skill && !labels.includes(t.id)).map((t) => t.id);
      const right = [...labels, ...others].slice(0, Math.max(2, labels.length)).map((l, k) => ({ id: `r${k + 1}`, text: ctx.labelName(l), label: l }));
      const left = chosen.map((i, k) => ({ id: `l${k + 1}`, text: i.quote.length > 140 ? `${i.quote.slice(0, 140)}…` : i.quote, ref: i.id }));
      ex = { ...base, skill, scope: [...new Set(chosen.map((i) => blockOf(draft, i.start).id))], left,
        right: right.map(({ id: rid, text }) => ({ id: rid, text })),
        pairs: Object.fromEntries(left.map((l, k) => [l.id, right.find((r) => r.label === chosen[k].labels[0]).id])) };
    } else if (type === "rewrite") {
      const loaded = draft.items.find((i) => i.id === value("ex_loaded"));
      if (!loaded) return fail("Put a framing span in the key first.");
      if (!value("ex_model")) return fail("Write the model answer.");
      const target = sentenceAround(draft, loaded);
      const inside = draft.items.filter((i) => i.skill === "framing" && i.start >= target.start && i.end <= target.end).map((i) => i.id);
      ex = { ...base, skill: "framing", scope: [blockOf(draft, loaded.start).id], target, loaded: inside,
        keep: value("ex_keep").split(",").map((w) => w.trim()).filter(Boolean), model_answer: value("ex_model") };
    } else {
      const ref = draft.items.find((i) => i.id === value("ex_ref"));
      if (!scope.length && ref) scope.push(blockOf(draft, ref.start).id);
      if (!scope.length) return fail("Choose at least one paragraph.");
      const skill = ref ? homeSkill(draft, ref) : "framing";
      if (type === "single_choice" || type === "multi_choice") {
        const correct = new Set([...form.querySelectorAll("input[name=ex_correct]:checked")].map((x) => Number(x.value)));
        const options = [0, 1, 2, 3].map((k) => ({ id: String.fromCharCode(97 + k), text: value(`ex_option_${k}`), correct: correct.has(k),
          feedback: value(`ex_feedback_${k}`) || (correct.has(k) ? "Right." : "Not quite.") })).filter((o) => o.text);
        if (options.length < 2 || !options.some((o) => o.correct)) return fail("Write at least two options, one of them correct.");
        if (type === "single_choice" && options.filter((o) => o.correct).length !== 1) return fail("Exactly one option is correct.");
        ex = { ...base, skill, scope, refs: ref ? [ref.id] : [], options };
      } else {
        const groups = value("ex_concepts").split(";").map((g) => g.split(",").map((w) => w.trim()).filter(Boolean)).filter((g) => g.length);
        if (!value("ex_model") || !groups.length) return fail("Write a model answer and the words that show the criterion.");
        if (groups.flat().some((w) => w.includes("*"))) return fail("Write each word without “*”: the base word is enough (“pay” also counts pays, paid and paying).");
        ex = { ...base, skill, scope, refs: ref ? [ref.id] : [], model_answer: value("ex_model"),
          rubric: { criteria: [{ id: "c1", description: value("ex_criterion") || "Answers the question", points: 1, concepts: groups }] } };
      }
    }
    draft.exercises.push(ex);
    drawExercises();
    drawTemplate();
    announce(`Exercise “${ex.title}” added.`);
    changed();
  }
  const quizTitle = field("Quiz title", { name: "quiz_title", value: state.quiz.title });
  quizTitle.input.addEventListener("input", () => { state.quiz.title = quizTitle.input.value; changed(); });
  const quizKind = h("select", { id: "quiz-kind" }, [["assessment", "An assessment you assign"], ["practice", "A practice set anyone can try"]]
    .map(([k, n]) => h("option", { value: k, selected: state.quiz.kind === k }, n)));
  quizKind.addEventListener("change", () => { state.quiz.kind = quizKind.value; changed(); });
  const exSection = h("section", { class: "card", "aria-labelledby": "st-ex-h" },
    h("h2", { id: "st-ex-h" }, "3. Exercises from templates"),
    exList,
    h("div", { class: "field" }, h("label", { for: "tpl-kind" }, "Template"), kind),
    templateBox,
    h("h3", {}, "The quiz"), quizTitle.wrap, h("div", { class: "field" }, h("label", { for: "quiz-kind" }, "Kind"), quizKind));

  /* 4. check and preview */
  const previewBox = h("div", { "data-testid": "previews" });
  const outcomeLine = (name, o) => h("li", {}, `${name}: `, o ? h("strong", {}, `${o.earned} of ${o.possible}`) : "—", o ? ` (${o.status.replace("_", " ")})` : " (no such answer for this type)");
  const checkSection = h("section", { class: "card", "aria-labelledby": "st-check-h" },
    h("h2", { id: "st-check-h" }, "4. Check and preview as a student"),
    problemsBox,
    h("button", { type: "button", class: "btn secondary", "data-testid": "preview", onclick: async () => {
      const result = await lint();
      if (!result) return;
      if (!result.ok) { replace(previewBox, h("p", {}, "Fix the problems above to see the preview.")); return; }
      const pctx = ctxOf(draft);
      replace(previewBox, result.previews.map((p, k) => h("article", { class: "card preview", "data-exercise": p.exercise.id },
        renderQuestion(p.exercise, pctx, k, result.previews.length),
        renderAnswer(p.exercise, pctx, undefined, () => {}).el,
        h("h3", {}, "What the scorer gives"),
        h("ul", { class: "preview-scores" },
          outcomeLine("The model answer", p.model_answer), outcomeLine("An empty answer", p.empty_answer), outcomeLine("Marking everything", p.mark_everything)))));
      announce(`Preview of ${result.previews.length} exercises.`);
    } }, "Check and preview"),
    previewBox);

  /* 5. save and assign */
  const saveBox = h("div", { "aria-live": "polite" });
  const saveSection = h("section", { class: "card", "aria-labelledby": "st-save-h" },
    h("h2", { id: "st-save-h" }, "5. Save and assign"),
    h("button", { type: "button", class: "btn", "data-testid": "save-pack", onclick: async () => {
      refreshKeys(draft);
      keep();
      replace(saveBox);
      try {
        const saved = await call("PUT", `/studio/packs/${enc(draft.pack.id)}`, draft);
        announce("Saved.");
        replace(saveBox, h("p", { class: "ok", "data-testid": "saved" }, `Saved “${saved.title}”. Its quiz can now be assigned to a class.`), await assignForm(saved));
      } catch (err) { replace(saveBox, errorBox(err)); }
    } }, "Save the pack"),
    saveBox);

  drawSpansLists();
  drawExercises();
  drawTemplate();
  lint();
  return h("div", { class: "studio-editor" },
    h("div", { class: "screen-head" }, h("h1", {}, `Studio: ${draft.pack.title}`), signOut()),
    h("p", {}, h("a", { href: "#/teacher/studio" }, "← Studio")),
    textSection, spanSection, exSection, checkSection, saveSection);
}

async function assignForm(saved) {
  const classes = await call("GET", "/classes");
  if (!classes.length) return h("p", {}, "Create a class on the ", h("a", { href: "#/teacher" }, "teacher page"), " to assign it.");
  const select = h("select", { id: "st-assign-class" }, classes.map((c) => h("option", { value: c.id }, c.name)));
  const quiz = h("select", { id: "st-assign-quiz" }, saved.quizzes.map((q) => h("option", { value: q }, q)));
  const out = h("div");
  const form = h("form", { class: "assign" },
    h("div", { class: "field" }, h("label", { for: "st-assign-class" }, "Class"), select),
    h("div", { class: "field" }, h("label", { for: "st-assign-quiz" }, "Quiz"), quiz),
    h("button", { type: "submit", class: "btn", "data-testid": "assign" }, "Assign to the class"), out);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const created = await call("POST", `/classes/${enc(select.value)}/assignments`, { quiz_id: quiz.value, feedback: "immediate" });
      state = null;
      store.set(KEY, null, true);
      replace(out, h("p", { "data-testid": "assigned" }, "Assigned. ", h("a", { href: `#/teacher/assignment/${enc(created.id)}` }, "Open the assignment")));
      announce("Assigned.");
    } catch (err) { replace(out, errorBox(err)); }
  });
  return form;
}
