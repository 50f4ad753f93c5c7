// What the studio's modules share: the request helper with the teacher's token, the skills and
// id prefixes, and small readings of a draft (its lesson context, blocks, sentences, a foil's skill).

import { auth, ApiError } from "./api.js";
import { lessonContext } from "./article.js";

const BASE = "/api/v1";
export const SKILLS = [
  ["attribution", "Attribution: who says so?"],
  ["framing", "Framing: which words do the work?"],
  ["funding", "Funding: who pays, and is it an answer?"],
];
export const PREFIX = { attribution: "att", framing: "frm", funding: "fun" };
export const ARTICLE_ROLES = new Set(["headline", "standfirst", "subhead", "body"]);
export const enc = encodeURIComponent;

export async function call(method, path, body) {
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

export function ctxOf(draft) {
  return lessonContext({ text: draft.text, blocks: draft.pack.blocks, glossary: draft.techniques });
}

export function labelsOf(draft, skill) {
  return draft.techniques.filter((t) => t.skill === skill);
}

export function nextId(prefix, taken) {
  let n = 1;
  while (taken.has(`${prefix}-${n}`)) n += 1;
  return `${prefix}-${n}`;
}

export function blockOf(draft, start) {
  return draft.pack.blocks.find((b) => b.start <= start && start < b.end);
}

/** The sentence of its block that holds ``item``, as a span {start, end, quote} in code points. */
export function sentenceAround(draft, item) {
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

export function blockText(draft, block) {
  return Array.from(draft.text).slice(block.start, block.end).join("");
}

/** The skill a key item belongs to; a foil belongs to the skill of the technique it resembles. */
export function homeSkill(draft, item) {
  if (item.skill !== "foil") return item.skill;
  const technique = draft.techniques.find((t) => t.id === item.labels[0]);
  return technique ? technique.skill : "framing";
}
