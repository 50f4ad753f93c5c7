// Small DOM helpers: building elements, live announcements, form fields, the number and points
// formats every screen shows, and saving a download. User data only ever reaches the page through
// textContent or attributes, never through innerHTML, so names, answers and comments cannot inject
// markup or script.

/**
 * Build an element: h("p", {class: "x", onclick: fn}, "text", child, [more children]).
 * Strings become text nodes; null/undefined/false children are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      el.className = value;
    } else if (key === "text") {
      el.textContent = String(value);
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else if (key === "value" || key === "checked" || key === "selected") {
      el[key] = value;
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replace every child of ``el``. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let uid = 0;
/** A unique id for label/aria wiring. */
export function newId(prefix = "id") {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** Announce a message to screen readers through the polite (or assertive) live region. */
export function announce(message, assertive = false) {
  const region = document.getElementById(assertive ? "alert" : "status");
  if (!region) return;
  region.textContent = "";
  // A fresh text node after clearing makes screen readers announce repeated messages too.
  window.setTimeout(() => { region.textContent = message; }, 30);
}

/** A labelled form field: returns {wrap, input}. */
export function field(label, inputAttrs = {}, tag = "input") {
  const id = inputAttrs.id || newId("f");
  const input = h(tag, { ...inputAttrs, id });
  const wrap = h("div", { class: "field" }, h("label", { for: id }, label), input);
  return { wrap, input };
}

/** Format a score like "2.5 / 4" from numbers or fraction strings ("5/2"). */
export function num(value) {
  if (value === null || value === undefined || value === "") return NaN;
  if (typeof value === "number") return value;
  const text = String(value);
  if (text.includes("/")) {
    const [a, b] = text.split("/").map(Number);
    return b ? a / b : NaN;
  }
  return Number(text);
}

export function fmt(value, digits = 2) {
  const n = num(value);
  if (Number.isNaN(n)) return "–";
  return String(Math.round(n * 10 ** digits) / 10 ** digits);
}

/** Points as a student reads them: whole numbers, or one decimal ("1.5"), never "0.36". */
export function points(value) {
  const n = num(value);
  if (Number.isNaN(n)) return "–";
  return String(Math.round(n * 10) / 10);
}

/** A date and time in the reader's locale; "" for none, the value itself if it is not a date. */
export function dateText(value) {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toLocaleString();
}

/** "1.5 of 2 points" */
export function pointsOf(earned, possible) {
  const p = points(possible);
  return `${points(earned)} of ${p} point${p === "1" ? "" : "s"}`;
}

/** Hand `blob` to the browser as a download named `name` (the object URL is freed after ten seconds). */
export function saveFile(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = h("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10000);
}
