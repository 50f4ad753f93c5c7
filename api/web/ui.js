// Screen-level helpers shared by every screen.

import { h } from "./dom.js";
import { ApiError } from "./api.js";

const leaving = [];

/** Register a function to run when the screen changes (stop polling, timers). */
export function onLeave(fn) {
  leaving.push(fn);
}

/** Run and forget every registered leave handler (the router calls this). */
export function leave() {
  while (leaving.length) {
    const fn = leaving.pop();
    try { fn(); } catch { /* a failing cleanup must not block navigation */ }
  }
}

/** An error shown in the page (role=alert, so it is announced), with field messages if any. */
export function errorBox(err) {
  const messages = err instanceof ApiError ? err.fieldMessages() : [];
  return h("div", { class: "error", role: "alert" },
    h("p", {}, err && err.message ? err.message : String(err)),
    // The problem's detail already names a single offending field; list them when there are several.
    messages.length > 1 ? h("ul", {}, messages.map((m) => h("li", {}, m))) : null);
}

export function setTitle(text) {
  document.title = `${text} · Media literacy classroom`;
}

/** Load a lesson once per page load. */
const lessons = new Map();
export function cachedLesson(id, loader) {
  if (!lessons.has(id)) lessons.set(id, loader(id).catch((err) => { lessons.delete(id); throw err; }));
  return lessons.get(id);
}

/** Items of a list response, whether the API sends a bare list or {items|lessons|quizzes: [...]}. */
export function items(list, key) {
  if (Array.isArray(list)) return list;
  if (!list) return [];
  return list[key] || list.items || list.results || [];
}
