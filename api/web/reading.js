// The reading view (the whole article styled by role, its provenance, the glossary dialog) and
// lessonFor, which every screen showing an exercise uses to fetch its article once.

import { h, newId } from "./dom.js";
import { api } from "./api.js";
import { lessonContext, renderBlocks, numberParagraphs, ROLE_NAMES } from "./article.js";
import { setTitle, cachedLesson, items } from "./ui.js";

/** Load the lesson an object (quiz, exercise, assignment) belongs to, or the first lesson. */
export async function lessonFor(obj) {
  let id = obj && (obj.lesson_id || obj.lesson || obj.pack_id);
  if (!id) {
    const list = items(await cachedLesson("__list__", () => api.lessons()), "lessons");
    if (!list.length) throw new Error("The server has no lesson loaded.");
    id = list[0].id;
  }
  const lesson = await cachedLesson(id, (x) => api.lesson(x));
  return lessonContext(lesson);
}

/** A button that opens the glossary in a modal dialog (one click from any exercise). */
export function glossaryButton(ctx) {
  const titleId = newId("gl");
  const close = h("button", { type: "button", class: "btn secondary", "data-testid": "close-glossary" }, "Close");
  const dialog = h("dialog", { class: "glossary", "aria-labelledby": titleId },
    h("div", { class: "dialog-head" }, h("h2", { id: titleId }, "Glossary of techniques"), close),
    h("dl", {}, ctx.glossary.map((g) => [
      h("dt", { id: `g-${g.id}` }, g.name),
      h("dd", {},
        h("p", {}, g.definition),
        g.example ? h("p", {}, h("span", { class: "label" }, "In the article: "), h("q", {}, g.example)) : null,
        g.counter_example ? h("p", {}, h("span", { class: "label" }, "Neutral or counter-example: "), g.counter_example) : null,
        g.semeval_label ? h("p", { class: "small" }, `Research label: ${g.semeval_label}`) : null),
    ])));
  close.addEventListener("click", () => dialog.close());
  const open = h("button", { type: "button", class: "btn secondary", "aria-haspopup": "dialog", "data-testid": "open-glossary" }, "Glossary");
  open.addEventListener("click", () => { if (!dialog.isConnected) document.body.append(dialog); dialog.showModal(); close.focus(); });
  dialog.addEventListener("close", () => { dialog.remove(); open.focus(); });
  return open;
}

function provenance(p) {
  if (!p) return null;
  return h("details", { class: "provenance" },
    h("summary", {}, "Where this text comes from"),
    h("dl", {},
      p.publisher ? [h("dt", {}, "Original publisher"), h("dd", {}, p.publisher)] : null,
      p.date ? [h("dt", {}, "Date"), h("dd", {}, p.date, p.date_basis ? ` (${p.date_basis})` : "")] : null,
      p.repost_site ? [h("dt", {}, "This copy"), h("dd", {}, p.repost_site)] : null,
      p.notes ? [h("dt", {}, "Notes"), h("dd", {}, p.notes)] : null,
      p.unknowns && p.unknowns.length ? [h("dt", {}, "Not known"), h("dd", {}, h("ul", {}, p.unknowns.map((u) => h("li", {}, u))))] : null));
}

export function roleLegend() {
  return h("details", { class: "role-legend" },
    h("summary", {}, "How the page is laid out"),
    h("ul", {}, Object.entries(ROLE_NAMES).map(([role, name]) =>
      h("li", {}, h("span", { class: `role-sample role-${role}` }, name)))));
}

export async function readScreen(lessonId) {
  const ctx = await lessonFor(lessonId ? { lesson_id: lessonId } : null);
  setTitle("Article");
  return h("article", { class: "reading" },
    h("div", { class: "screen-head" }, h("h1", {}, ctx.lesson.title || "The article"), glossaryButton(ctx)),
    h("p", { class: "help" }, "Read the whole page first. Grey boxes are the website around the article, not the article itself; the article's paragraphs are numbered in the margin. ",
      h("a", { href: "#/guide" }, "Reading guide"), " · ", h("a", { href: "#/print" }, "Print the article")),
    provenance(ctx.lesson.provenance),
    roleLegend(),
    numberParagraphs(renderBlocks(ctx, null, { headings: true }).el));
}
