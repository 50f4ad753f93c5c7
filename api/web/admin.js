// The administrator's screen: teacher accounts (a display name each, no e-mail), a new account, a
// new token for a teacher who lost theirs. A token is shown once, right after it is made.

import { h, replace, field } from "./dom.js";
import { api, auth } from "./api.js";
import { behindGate, errorBox, setTitle, signOutButton } from "./ui.js";

/** The administrator's token, kept in this tab. */
const ADMIN = {
  title: "Administration sign-in",
  label: "Administrator token",
  name: "admin_token",
  help: "Paste the administrator token the server printed when it first started. It manages teacher accounts only and is kept only in this browser tab.",
  wrong: "That is not the administrator token. Check it and try again.",
  check: (token) => api.accounts(token),
  token: () => auth.admin(),
  keep: (token) => auth.setAdmin(token),
};

/** The box that shows a new token once, with whom it is for. */
function tokenShown(made, what) {
  return h("div", { class: "notice", role: "status", "data-testid": "new-token" },
    h("p", {}, h("strong", {}, `${what} for ${made.teacher.display_name}. `),
      "Give them this token now: it is shown only once, and it signs them in as a teacher."),
    h("p", {}, h("code", { class: "token" }, made.token)));
}

export function adminScreen() {
  return behindGate(ADMIN, accountsScreen);
}

async function accountsScreen() {
  const accounts = await api.accounts();
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
  const signOut = signOutButton(ADMIN);
  draw(accounts);
  return h("div", {},
    h("div", { class: "screen-head" }, h("h1", {}, "Teacher accounts"), signOut),
    h("p", {}, "Each teacher signs in with their own token and sees only their own classes, and the classes a colleague shares with them."),
    shown, errors, table, form);
}
