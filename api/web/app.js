// The classroom client's entry: the start page (join a class with its code, or continue) and the
// hash router that lazy-loads every other screen's module when its page first opens. No build
// step; plain ES modules.

import { h, replace, field, announce } from "./dom.js";
import { api, auth, ApiError } from "./api.js";
import { errorBox, setTitle, leave } from "./ui.js";

const main = () => document.getElementById("main");

const NAME_MAX = 40;

/** Joining is paused for the whole network after many wrong codes: say so, and what to do. */
function lockedOut(err) {
  const seconds = err.retryAfter || 60;
  const until = new Date(Date.now() + seconds * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  const wait = seconds >= 90 ? `about ${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
  return h("div", { class: "error", role: "alert", "data-testid": "join-locked" },
    h("p", {}, h("strong", {}, "Joining is paused for a moment."),
      ` Too many wrong codes were typed from this network, so the server stops every join from it for ${wait} (until ${until}) — even with the right code.`),
    h("p", {}, "Check the code on the board with your teacher, and try again after that time. Everyone in the room shares this pause, so type the code carefully."));
}

function home() {
  setTitle("Home");
  const me = auth.student();
  const code = field("Join code", { name: "join_code", autocomplete: "off", autocapitalize: "characters", required: true, spellcheck: "false", "aria-describedby": "join-code-help" });
  const name = field("Your display name", { name: "display_name", autocomplete: "nickname", required: true, maxlength: NAME_MAX, "aria-describedby": "join-name-help" });
  code.wrap.append(h("p", { class: "help", id: "join-code-help" }, "The letters and digits your teacher shows; spaces and hyphens do not matter."));
  const counter = h("p", { class: "help", id: "join-name-help", "aria-live": "polite" }, `Up to ${NAME_MAX} characters.`);
  name.wrap.append(counter);
  name.input.addEventListener("input", () => {
    const left = NAME_MAX - Array.from(name.input.value).length;
    counter.textContent = left > 0 ? `Up to ${NAME_MAX} characters: ${left} left.` : `That is the longest name allowed (${NAME_MAX} characters).`;
  });
  const errors = h("div");
  const form = h("form", { class: "card", "aria-labelledby": "join-h" },
    h("h2", { id: "join-h" }, "Join your class"),
    h("p", {}, "Your teacher shows a join code. Choose a name your teacher will recognise."),
    code.wrap, name.wrap, errors,
    h("button", { type: "submit", class: "btn" }, "Join"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    replace(errors);
    const joinCode = code.input.value.trim().toUpperCase().replace(/[\s-]+/g, "");
    const displayName = name.input.value.trim();
    if (!joinCode || !displayName) {
      replace(errors, h("p", { class: "error", role: "alert" }, "Enter both the join code and your name."));
      return;
    }
    try {
      const joined = await api.join(joinCode, displayName);
      auth.setStudent({
        token: joined.token || joined.student_token,
        name: joined.display_name || displayName,
        classId: joined.class_id,
        className: joined.class_name || (joined.class && joined.class.name) || "",
      });
      announce("Joined. Loading your assignments.");
      location.hash = "#/student";
    } catch (err) {
      replace(errors, err instanceof ApiError && err.status === 429 ? lockedOut(err) : errorBox(err));
    }
  });
  return h("div", { class: "home" },
    h("h1", {}, "Read closely: who says so, which words do the work, who pays?"),
    me && me.token
      ? h("p", { class: "card continue" }, `Welcome back, `, h("strong", {}, me.name || "student"), ". ",
          h("a", { href: "#/student", class: "btn" }, "Continue to your assignments"))
      : null,
    h("div", { class: "cards" },
      form,
      h("section", { class: "card", "aria-labelledby": "practice-h" },
        h("h2", { id: "practice-h" }, "Practise on your own"),
        h("p", {}, "Try the exercises without joining a class. Nothing is stored."),
        h("a", { class: "btn secondary", href: "#/practice" }, "Start practising")),
      h("section", { class: "card", "aria-labelledby": "teacher-h" },
        h("h2", { id: "teacher-h" }, "Teachers"),
        h("p", {}, "Create a class, set an assignment and watch the results arrive."),
        h("a", { class: "btn secondary", href: "#/teacher" }, "Open the teacher view"),
        h("p", { class: "help" }, h("a", { href: "#/admin" }, "Administration"), ": teacher accounts, for whoever runs this server."))));
}

// Screens are loaded on first use, so the start page stays light.
const lazy = (module, name) => async (...args) => (await import(module))[name](...args);

const routes = [
  [/^#?\/?$/, home],
  [/^#\/student$/, lazy("./student.js", "studentHome")],
  [/^#\/assignment\/([^/]+)(?:\/(new))?$/, lazy("./student_assignment.js", "assignmentScreen")],
  [/^#\/result\/([^/]+)$/, lazy("./student_result.js", "resultScreen")],
  [/^#\/practice$/, lazy("./practice.js", "practiceList")],
  [/^#\/practice\/([^/]+)(?:\/(\d+))?$/, lazy("./practice.js", "practiceQuiz")],
  [/^#\/read(?:\/([^/]+))?$/, lazy("./reading.js", "readScreen")],
  [/^#\/teacher$/, lazy("./teacher.js", "teacherHome")],
  [/^#\/admin$/, lazy("./admin.js", "adminScreen")],
  [/^#\/teacher\/guide$/, lazy("./materials.js", "teacherGuideScreen")],
  [/^#\/teacher\/key\/([^/]+)$/, lazy("./materials.js", "keyScreen")],
  [/^#\/guide$/, lazy("./materials.js", "studentGuideScreen")],
  [/^#\/print$/, lazy("./materials.js", "printArticleScreen")],
  [/^#\/teacher\/studio$/, lazy("./studio.js", "studioHome")],
  [/^#\/teacher\/studio\/edit$/, lazy("./studio.js", "studioEditor")],
  [/^#\/teacher\/studio\/pack\/([^/]+)$/, lazy("./studio.js", "studioOpen")],
  [/^#\/teacher\/class\/([^/]+)$/, lazy("./teacher_class.js", "classScreen")],
  [/^#\/teacher\/class\/([^/]+)\/code$/, lazy("./teacher_class.js", "projectCode")],
  [/^#\/teacher\/assignment\/([^/]+)$/, lazy("./teacher_assignment.js", "assignmentDashboard")],
  [/^#\/teacher\/assignment\/([^/]+)\/debrief$/, lazy("./debrief.js", "debriefScreen")],
  [/^#\/result\/([^/]+)\/class$/, lazy("./debrief.js", "classViewScreen")],
];

let generation = 0;
let firstLoad = true;

async function route() {
  leave();
  generation += 1;
  const mine = generation;
  const hash = location.hash || "#/";
  const el = main();
  let view = null;
  let args = [];
  for (const [pattern, fn] of routes) {
    const m = hash.match(pattern);
    if (m) { view = fn; args = m.slice(1).map((x) => (x === undefined ? undefined : decodeURIComponent(x))); break; }
  }
  document.querySelectorAll("header.site nav a").forEach((a) => {
    const target = a.getAttribute("href");
    const current = target === "#/" ? hash === "#/" || hash === "" : hash.startsWith(target);
    if (current) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  });
  if (!view) {
    setTitle("Not found");
    replace(el, h("h1", {}, "Page not found"), h("p", {}, h("a", { href: "#/" }, "Go to the start page")));
    return;
  }
  replace(el, h("p", { class: "loading" }, "Loading…"));
  let content;
  try {
    content = await view(...args);
  } catch (err) {
    content = h("div", {}, h("h1", {}, "Something went wrong"), errorBox(err), h("p", {}, h("a", { href: "#/" }, "Back to the start page")));
  }
  if (mine !== generation) return;
  replace(el, content);
  // Move focus to the new screen's heading so keyboard and screen-reader users start at the top.
  // (Not on the first load: the browser already starts at the top of the page.)
  const heading = el.querySelector("h1");
  if (heading) heading.setAttribute("tabindex", "-1");
  if (heading && !firstLoad) heading.focus({ preventScroll: false });
  firstLoad = false;
}

// The page's "Skip to content" link must not change the hash: the hash is the router's address.
document.addEventListener("click", (e) => {
  const skip = e.target.closest && e.target.closest("a.skip");
  if (!skip) return;
  e.preventDefault();
  main().focus();
});

window.addEventListener("hashchange", route);
route();
