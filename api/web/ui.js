// Screen-level helpers shared by every screen: leaving a screen, error boxes, titles, the lesson
// cache, list unwrapping, and the sign-in gates of the teacher's and the admin's screens.

import { announce, field, h, replace } from "./dom.js";
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

/**
 * A sign-in form for a token kept only in this browser tab (a teacher's or the administrator's).
 * `role` holds the words and the three actions: `title`, `label`, `name` (the field's name), `help`
 * (one sentence on where the token comes from), `wrong` (the sentence for a refused token),
 * `check(token)` (a request the server answers with 401 for a wrong token), `token()` and
 * `keep(token)` (read and store it; `keep(null)` forgets it). After a sign-in the screen is drawn again.
 */
export function tokenGate(role) {
  setTitle(role.title);
  const token = field(role.label, { type: "password", autocomplete: "current-password", required: true, name: role.name });
  const errors = h("div");
  const form = h("form", { class: "card narrow" },
    h("h1", {}, role.title),
    h("p", {}, role.help),
    token.wrap, errors, h("button", { type: "submit", class: "btn" }, "Sign in"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = token.input.value.trim();
    if (!value) { replace(errors, h("p", { class: "error", role: "alert" }, "Enter the token.")); return; }
    try {
      await role.check(value);
      role.keep(value);
      announce("Signed in.");
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (err) {
      replace(errors, errorBox(err instanceof ApiError && err.status === 401 ? new Error(role.wrong) : err));
    }
  });
  return form;
}

/** Draw a screen behind `role`'s gate: the sign-in form when no token is kept or the server refuses it (401). */
export async function behindGate(role, draw) {
  if (!role.token()) return tokenGate(role);
  try {
    return await draw();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { role.keep(null); return tokenGate(role); }
    throw err;
  }
}

/** A "Sign out" button: forgets `role`'s token and draws the screen at `to` (the current one if omitted). */
export function signOutButton(role, to = null) {
  return h("button", { type: "button", class: "btn small secondary", onclick: () => {
    role.keep(null);
    if (to) location.hash = to;
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } }, "Sign out");
}
