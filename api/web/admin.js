// The administrator's screen: teacher accounts (a display name each, no e-mail), a new account, a
// new token for a teacher who lost theirs. A token is shown once, right after it is made.

import { h, replace, field, announce } from "./dom.js";
import { api, auth, ApiError } from "./api.js";
import { setTitle, errorBox } from "./ui.js";

function adminGate() {
  setTitle("Administration sign-in");
  const token = field("Administrator token", { type: "password", autocomplete: "current-password", required: true, name: "admin_token" });
  const errors = h("div");
  const form = h("form", { class: "card narrow" },
    h("h1", {}, "Administration sign-in"),
    h("p", {}, "Paste the administrator token the server printed when it first started. It manages teacher accounts only and is kept only in this browser tab."),
    token.wrap, errors, h("button", { type: "submit", class: "btn" }, "Sign in"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = token.input.value.trim();
    if (!value) { replace(errors, h("p", { class: "error", role: "alert" }, "Enter the token.")); return; }
    try {
      await api.accounts(value);
      auth.setAdmin(value);
      announce("Signed in.");
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (err) {
      replace(errors, errorBox(err instanceof ApiError && err.status === 401 ? new Error("That is not the administrator token. Check it and try again.") : err));
    }
  });
  return form;
}

/** The box that shows a new token once, with whom it is for. */
function tokenShown(made, what) {
  return h("div", { class: "notice", role: "status", "data-testid": "new-token" },
    h("p", {}, h("strong", {}, `${what} for ${made.teacher.display_name}. `),
      "Give them this token now: it is shown only once, and it signs them in as a teacher."),
    h("p", {}, h("code", { class: "token" }, made.token)));
}

export async function adminScreen() {
  if (!auth.admin()) return adminGate();
  let accounts;
  try {
    accounts = await api.accounts();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { auth.setAdmin(null); return adminGate(); }
    throw err;
  }
  setTitle("Administration: teacher accounts");
  const shown = h("div", { "aria-live": "polite" });
  const errors = h("div");
  const table = h("div", { class: "table-wrap" });
  const draw = (list) => replace(table, h("table", { class: "grid" },
    h("caption", {}, `Teacher accounts (${list.length})`),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Teacher"), h("th", { scope: "col" }, "Classes"), h("th", { scope: "col" }, "Signs in"), h("th", { scope: "col" }, "Token"))),
    h("tbody", {}, list.map((t) => h("tr", {},
      h("th", { scope: "row" }, t.display_name),
      h("td", {}, String(t.class_count)),
      h("td", {}, t.has_token ? "yes" : "not yet: give them a token"),
      h("td", {}, resetButton(t)))))));
  const resetButton = (t) => {
    // A new token signs the teacher out everywhere, so it takes a second click on the same button.
    const button = h("button", { type: "button", class: "btn secondary small", "aria-label": `New token for ${t.display_name}` }, "New token");
    button.addEventListener("click", async () => {
      if (!button.dataset.armed) {
        button.dataset.armed = "1";
        button.textContent = "New token: the old one stops working";
        button.setAttribute("aria-label", `Confirm: new token for ${t.display_name}; the old one stops working`);
        return;
      }
      try {
        const made = await api.resetAccountToken(t.id);
        replace(shown, tokenShown(made, "A new token"));
        replace(errors);
        draw(await api.accounts());
      } catch (err) { replace(errors, errorBox(err)); }
    });
    return button;
  };
  const name = field("Display name", { required: true, maxlength: 80, name: "teacher_name", autocomplete: "off" });
  name.wrap.append(h("p", { class: "help" }, "What colleagues and students see, for example “Ms Okafor”. No e-mail address is needed or stored."));
  const form = h("form", { class: "card" }, h("h2", {}, "New teacher account"), name.wrap, h("button", { type: "submit", class: "btn" }, "Create account"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = name.input.value.trim();
    if (!value) { replace(errors, h("p", { class: "error", role: "alert" }, "Enter a display name.")); return; }
    try {
      const made = await api.createAccount(value);
      replace(shown, tokenShown(made, "Account created"));
      replace(errors);
      name.input.value = "";
      draw(await api.accounts());
    } catch (err) { replace(errors, errorBox(err)); }
  });
  const signOut = h("button", { type: "button", class: "btn small secondary", onclick: () => { auth.setAdmin(null); window.dispatchEvent(new HashChangeEvent("hashchange")); } }, "Sign out");
  draw(accounts);
  return h("div", {},
    h("div", { class: "screen-head" }, h("h1", {}, "Teacher accounts"), signOut),
    h("p", {}, "Each teacher signs in with their own token and sees only their own classes, and the classes a colleague shares with them."),
    shown, errors, table, form);
}
