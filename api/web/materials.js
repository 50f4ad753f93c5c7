// The teacher's materials on screen: the teacher's guide, the printable key, the students'
// reading guide, a print view of the article, and which quiz is for what.
//
// The guides are rendered from the pack's Markdown on the server (markdown-it-py, raw HTML off);
// here only known tags are copied into the page, and links only when they stay on the web.

import { h, points } from "./dom.js";
import { api } from "./api.js";
import { lessonFor } from "./reading.js";
import { renderBlocks, numberParagraphs } from "./article.js";
import { setTitle, items } from "./ui.js";
import { guarded } from "./teacher_common.js";

const ALLOWED = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "strong", "em", "code", "pre",
  "blockquote", "table", "thead", "tbody", "tr", "th", "td", "a", "hr", "br"]);

/** Copy rendered guide HTML into DOM nodes: known tags only, no attributes but a safe href. */
export function safeFragment(html) {
  const doc = new DOMParser().parseFromString(String(html || ""), "text/html");
  const copy = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
    if (node.nodeType !== Node.ELEMENT_NODE) return null;
    const tag = node.tagName.toLowerCase();
    const children = [...node.childNodes].map(copy).filter(Boolean);
    if (!ALLOWED.has(tag)) return h("span", {}, children);
    // The screen has its own h1 (the guide's first heading); any other h1 becomes an h2.
    if (tag === "h1") return h("h2", { class: "guide-title" }, children);
    if (tag === "a") {
      const href = node.getAttribute("href") || "";
      // Links between the pack's own files (teacher.md, ../annotations) mean nothing here: keep the words.
      return /^https?:\/\//i.test(href) ? h("a", { href, rel: "noopener noreferrer" }, children) : h("span", {}, children);
    }
    if (tag === "th" || tag === "td") return h(tag, node.getAttribute("scope") === "col" || tag === "th" ? { scope: "col" } : {}, children);
    return h(tag, {}, children);
  };
  return [...doc.body.childNodes].map(copy).filter(Boolean);
}

/** What each quiz is for, in the words of a lesson plan. */
export function quizPurpose(q) {
  if (q.kind === "pre_post") {
    return q.form === "B"
      ? "Post-check: give it after the lesson (parallel to form A)"
      : "Pre-check: give it before the lesson (then form B after it)";
  }
  if (q.kind === "practice") return "Practice: in class or at home, with feedback at once";
  if (q.kind === "assessment") return "Final assessment: after the lesson; you review its short answers";
  return q.kind || "";
}

/** A short name for the quiz menu: "Pre-check (form A)". */
export function quizShortPurpose(q) {
  if (q.kind === "pre_post") return q.form === "B" ? "Post-check (form B)" : `Pre-check (form ${q.form || "A"})`;
  if (q.kind === "practice") return "Practice";
  if (q.kind === "assessment") return "Final assessment";
  return "";
}

const ORDER = { pre_post_A: 0, practice: 1, assessment: 2, pre_post_B: 3 };
const rank = (q) => ORDER[q.kind === "pre_post" ? `pre_post_${q.form === "B" ? "B" : "A"}` : q.kind] ?? 9;

/** The card on the teacher's home: the guides, the keys, the print view and the quizzes in lesson order. */
export function materialsCard(quizzes) {
  const sorted = [...quizzes].sort((a, b) => rank(a) - rank(b));
  return h("section", { class: "card materials", "aria-labelledby": "materials-h", "data-testid": "materials" },
    h("h2", { id: "materials-h" }, "Teacher's materials"),
    h("ul", { class: "link-list" },
      h("li", {}, h("a", { href: "#/teacher/guide" }, "Teacher's guide"), " — objectives, lesson plans, background, and a walkthrough of the key"),
      h("li", {}, h("a", { href: "#/guide" }, "Reading guide for students"), " — the questions students ask of any article"),
      h("li", {}, h("a", { href: "#/print" }, "The article, ready to print"), " — with paragraph numbers in the margin")),
    h("h3", {}, "Which quiz for what"),
    h("table", { class: "grid purposes" },
      h("caption", { class: "sr-only" }, "Quizzes in the order of a lesson"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "When"), h("th", { scope: "col" }, "Quiz"), h("th", { scope: "col" }, "Key"))),
      h("tbody", {}, sorted.map((q) => h("tr", { "data-testid": "purpose-row" },
        h("td", {}, quizPurpose(q)),
        h("td", {}, `${q.title} (${q.exercise_count} exercises)`),
        h("td", {}, h("a", { href: `#/teacher/key/${encodeURIComponent(q.id)}`, "aria-label": `Printable key: ${q.title}` }, "Printable key")))))));
}

async function firstLessonId() {
  const list = items(await api.lessons(), "lessons");
  if (!list.length) throw new Error("The server has no lesson loaded.");
  return list[0].id;
}

function guideScreen(guide) {
  const nodes = safeFragment(guide.html).filter((n) => n.nodeType !== Node.TEXT_NODE || n.textContent.trim());
  const first = nodes[0];
  const title = first && first.classList && first.classList.contains("guide-title") ? nodes.shift().textContent : guide.title;
  return h("article", { class: "guide", "data-testid": "guide" },
    h("div", { class: "screen-head" }, h("h1", {}, title),
      h("button", { type: "button", class: "btn secondary no-print", onclick: () => window.print() }, "Print")),
    guide.guide === "teacher"
      ? h("p", { class: "help" }, "Paragraph numbers are those of ", h("a", { href: "#/print" }, "the article ready to print"), "; exercises are named by their titles, as in the printable keys.")
      : null,
    nodes);
}

export function teacherGuideScreen() {
  return guarded(async () => {
    setTitle("Teacher's guide");
    return guideScreen(await api.teacherGuide(await firstLessonId()));
  });
}

export async function studentGuideScreen() {
  setTitle("Reading guide");
  return guideScreen(await api.studentGuide(await firstLessonId()));
}

/** The article as a printed worksheet: the page's own text, paragraph numbers in the margin. */
export async function printArticleScreen() {
  const ctx = await lessonFor(null);
  setTitle("Article to print");
  const { el } = renderBlocks(ctx, null, { headings: true });
  numberParagraphs(el);
  const p = ctx.lesson.provenance || {};
  return h("article", { class: "print-article" },
    h("div", { class: "screen-head no-print" }, h("h1", {}, ctx.lesson.title || "The article"),
      h("button", { type: "button", class: "btn secondary", onclick: () => window.print() }, "Print")),
    h("p", { class: "help" }, [p.publisher ? `Originally published by ${p.publisher}` : null, p.date ? `${p.date}` : null, p.repost_site ? `this copy: ${p.repost_site}` : null].filter(Boolean).join(" · ")),
    h("p", { class: "help no-print" }, "Paragraphs of the article are numbered in the margin. Grey boxes are text from the website around the article, not the article itself."),
    el);
}

function keyAnswer(entry) {
  const ex = entry.exercise;
  const item = new Map((entry.items || []).map((i) => [i.id, i]));
  const quoteList = (ids) => h("ul", {}, ids.map((id) => {
    const i = item.get(id);
    return i ? h("li", {}, h("q", {}, i.quote), i.labels && i.labels.length ? ` (${i.labels.join(", ").replace(/_/g, " ")})` : "", i.rationale ? ` — ${i.rationale}` : "") : null;
  }));
  switch (ex.type) {
    case "highlight":
    case "label_spans":
      return [h("p", {}, `The places to mark (${(ex.key || []).length}):`), quoteList(ex.key || []),
        (ex.foils || []).length ? [h("p", {}, "Look-alikes students should leave alone:"), quoteList(ex.foils)] : null];
    case "single_choice":
    case "multi_choice":
      return h("ul", {}, (ex.options || []).map((o) => h("li", {}, h("strong", {}, o.correct ? "Right: " : "Wrong: "), o.text, o.feedback ? ` — ${o.feedback}` : "")));
    case "match": {
      const right = new Map((ex.right || []).map((r) => [r.id, r.text]));
      return h("ul", {}, (ex.left || []).map((l) => h("li", {}, h("q", {}, l.text), " → ", right.get((ex.pairs || {})[l.id]) || "")));
    }
    case "attribution_roles": {
      const claim = item.get(ex.claim) || {};
      const roles = claim.roles || {};
      return h("ul", {}, ["source", "cue", "content"].map((r) => h("li", {}, h("strong", {}, `${r[0].toUpperCase()}${r.slice(1)}: `), roles[r] ? h("q", {}, roles[r].quote || "") : "none in this claim")),
        claim.rationale ? h("li", {}, claim.rationale) : null);
    }
    case "short_answer":
      return [h("p", {}, h("strong", {}, "Model answer: "), ex.model_answer || ""),
        ex.rubric ? h("ul", {}, (ex.rubric.criteria || []).map((c) => h("li", {}, `${c.description} (${points(c.points)} of the rubric's points)`))) : null];
    case "rewrite":
      return [h("p", {}, h("strong", {}, "Model rewrite: "), ex.model_answer || ""),
        h("p", {}, "Loaded words to remove:"), quoteList(ex.loaded || []),
        (ex.keep || []).length ? h("p", {}, `Facts to keep: ${ex.keep.join(", ")}`) : null];
    default:
      return null;
  }
}

/** The key of one quiz as a printable page: exercise number, title, prompt and answers with reasons. */
export function keyScreen(quizId) {
  return guarded(async () => {
    const key = await api.quizKey(quizId);
    setTitle(`Key: ${key.title}`);
    return h("article", { class: "key", "data-testid": "key" },
      h("div", { class: "screen-head no-print" }, h("h1", {}, `Key: ${key.title}`),
        h("button", { type: "button", class: "btn secondary", onclick: () => window.print() }, "Print")),
      h("p", { class: "help no-print" }, "For the teacher only. Exercise numbers are those students see (without shuffling)."),
      h("ol", { class: "key-list" }, key.exercises.map((entry, k) => h("li", { class: "key-ex" },
        h("h2", {}, `Exercise ${k + 1}: ${entry.exercise.title}`),
        h("p", { class: "meta" }, `${points(entry.exercise.points || 1)} point${(entry.exercise.points || 1) === 1 ? "" : "s"}`),
        h("p", { class: "prompt" }, entry.exercise.prompt),
        keyAnswer(entry)))));
  });
}

