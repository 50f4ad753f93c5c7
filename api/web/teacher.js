// The teacher's side: token, classes, assignments, the live gradebook, the review queue, item
// analysis, the heat map of students' marks, the CSV download and the learning gain of a class.

import { h, replace, field, announce, fmt, points } from "./dom.js";
import { api, auth, ApiError } from "./api.js";
import { lessonFor } from "./reading.js";
import { renderBlocks } from "./article.js";
import { setTitle, errorBox, items, onLeave } from "./ui.js";
import { materialsCard, quizShortPurpose } from "./materials.js";
import { privacyCard } from "./privacy.js";
import { poll } from "./polling.js";
import { teachersCard } from "./colleagues.js";


const POLL_MS = 4000;

function tokenGate() {
  setTitle("Teacher sign-in");
  const token = field("Teacher token", { type: "password", autocomplete: "current-password", required: true, name: "teacher_token" });
  const errors = h("div");
  const form = h("form", { class: "card narrow" },
    h("h1", {}, "Teacher sign-in"),
    h("p", {}, "Paste your teacher token: the one your administrator gave you, or the one the server printed when it first started. It is kept only in this browser tab."),
    token.wrap, errors, h("button", { type: "submit", class: "btn" }, "Sign in"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const value = token.input.value.trim();
    if (!value) { replace(errors, h("p", { class: "error", role: "alert" }, "Enter the token.")); return; }
    try {
      await api.classes(value);
      auth.setTeacher(value);
      announce("Signed in.");
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (err) {
      replace(errors, errorBox(err instanceof ApiError && err.status === 401 ? new Error("That token is not right. Check it and try again.") : err));
    }
  });
  return form;
}

export function signOut() {
  return h("button", { type: "button", class: "btn small secondary", onclick: () => { auth.setTeacher(null); location.hash = "#/teacher"; window.dispatchEvent(new HashChangeEvent("hashchange")); } }, "Sign out");
}

export async function guarded(fn) {
  if (!auth.teacher()) return tokenGate();
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) { auth.setTeacher(null); return tokenGate(); }
    throw err;
  }
}

export function teacherHome() {
  return guarded(async () => {
    setTitle("Teacher: classes");
    const [classList, quizList, me] = await Promise.all([api.classes(), api.quizzes().catch(() => []), api.me()]);
    const classes = items(classList, "classes");
    const name = field("Class name", { required: true, maxlength: 200, name: "class_name" });
    const errors = h("div");
    const form = h("form", { class: "card" }, h("h2", {}, "Create a class"), name.wrap, errors, h("button", { type: "submit", class: "btn" }, "Create class"));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        const created = await api.createClass({ name: name.input.value.trim() });
        announce(`Class created. Join code ${created.join_code}.`);
        location.hash = `#/teacher/class/${encodeURIComponent(created.id)}`;
      } catch (err) { replace(errors, errorBox(err)); }
    });
    return h("div", {},
      h("div", { class: "screen-head" }, h("h1", {}, "Your classes"), signOut()),
      h("p", { class: "meta", "data-testid": "signed-in-as" }, "Signed in as ", h("strong", {}, me.display_name), "."),
      h("p", {}, h("a", { class: "btn secondary", href: "#/teacher/studio", "data-testid": "open-studio" }, "Studio: bring your own article")),
      classes.length
        ? h("ul", { class: "class-list" }, classes.map((c) => h("li", { class: "card" },
            h("h2", {}, h("a", { href: `#/teacher/class/${encodeURIComponent(c.id)}` }, c.name)),
            h("p", { class: "meta" }, `${c.closed_at ? "Closed" : c.join_code ? `Join code ${c.join_code}` : "Joining off"} · ${c.student_count ?? (c.students || []).length} students`))))
        : h("p", {}, "No classes yet."),
      form,
      materialsCard(items(quizList, "quizzes")));
  });
}

function dateText(value) {
  if (!value) return "";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? String(value) : d.toLocaleString();
}

function codeText(code) {
  // Groups of four joined by hyphens ("ABCD-EFGH-JK") read aloud and copy easily and never break
  // into what looks like two codes; the join form ignores the hyphens.
  return String(code || "").replace(/(.{4})(?=.)/g, "$1-");
}

export function classScreen(classId) {
  return guarded(async () => {
    const [klass, quizList, me] = await Promise.all([api.klass(classId), api.quizzes(), api.me()]);
    setTitle(`Class ${klass.name}`);
    const quizzes = items(quizList, "quizzes");
    const quiz = h("select", { id: "as-quiz", required: true }, quizzes.map((q) => h("option", { value: q.id }, [quizShortPurpose(q), `${q.title} (${q.exercise_count ?? ""} exercises)`].filter(Boolean).join(": "))));
    const feedback = h("select", { id: "as-feedback" },
      h("option", { value: "immediate" }, "Immediately after submitting"),
      h("option", { value: "after_due" }, "After the due time (or when closed)"),
      h("option", { value: "none" }, "Never (scores stay with the teacher)"));
    const attempts = h("input", { id: "as-attempts", type: "number", min: 1, max: 20, value: 1 });
    const due = h("input", { id: "as-due", type: "datetime-local" });
    const shuffle = h("input", { id: "as-shuffle", type: "checkbox" });
    // Several attempts with immediate feedback means every attempt after the first is taken with
    // the key in view: say so where the choice is made, not after the fact.
    const keyWarning = h("p", { class: "note", id: "as-key-warning", role: "status", hidden: true },
      "With feedback straight after submitting, students see the answers before their next attempt: " +
      "attempt 2 is taken with the key in view. Choose \"After the due time\" if later attempts should count.");
    const updateWarning = () => { keyWarning.hidden = !(feedback.value === "immediate" && Number(attempts.value || 1) > 1); };
    feedback.addEventListener("change", updateWarning);
    attempts.addEventListener("input", updateWarning);
    const errors = h("div");
    const form = h("form", { class: "card" },
      h("h2", {}, "Set an assignment"),
      h("div", { class: "field" }, h("label", { for: "as-quiz" }, "Quiz"), quiz),
      h("div", { class: "field" }, h("label", { for: "as-feedback" }, "Students see scores and feedback"), feedback),
      h("div", { class: "field" }, h("label", { for: "as-attempts" }, "Attempts allowed"), attempts),
      keyWarning,
      h("div", { class: "field" }, h("label", { for: "as-due" }, "Due (optional, your local time)"), due),
      h("div", { class: "field check" }, shuffle, h("label", { for: "as-shuffle" }, "Shuffle the exercise order for each student")),
      errors,
      h("button", { type: "submit", class: "btn" }, "Create assignment"));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = { quiz_id: quiz.value, feedback: feedback.value, attempts_allowed: Number(attempts.value || 1), shuffle: shuffle.checked };
      if (due.value) body.due_at = new Date(due.value).toISOString();
      try {
        const created = await api.createAssignment(classId, body);
        announce("Assignment created.");
        location.hash = `#/teacher/assignment/${encodeURIComponent(created.id)}`;
      } catch (err) { replace(errors, errorBox(err)); }
    });
    const students = klass.students || [];
    const studentsHead = h("h2", { id: "st-h" }, `Students (${students.length})`);
    const studentList = h("div", {});
    const drawStudents = (list) => {
      studentsHead.textContent = `Students (${list.length})`;
      replace(studentList, list.length ? h("ul", { class: "students" }, list.map((s) => h("li", {}, h("span", { class: "student-name" }, s.display_name), " ", removeButton(s)))) : h("p", {}, "Nobody has joined yet."));
    };
    // Removing deletes the student's attempts and answers and signs their device out, so it takes
    // a second click on the same button (no browser dialog: the page never opens one).
    const removeButton = (s) => {
      const button = h("button", { type: "button", class: "btn secondary small", "aria-label": `Remove ${s.display_name}` }, "Remove");
      button.addEventListener("click", async () => {
        if (!button.dataset.armed) {
          button.dataset.armed = "1";
          button.textContent = "Remove, deleting their answers";
          button.setAttribute("aria-label", `Confirm: remove ${s.display_name} and delete their answers`);
          return;
        }
        try { drawStudents((await api.removeStudent(classId, s.id)).students || []); announce(`${s.display_name} removed.`); }
        catch (err) { replace(studentErrors, errorBox(err)); }
      });
      return button;
    };
    const studentErrors = h("div");
    const codeLine = h("p", { class: "join-code", "data-testid": "join-code" }, klass.join_code ? codeText(klass.join_code) : "Joining is off");
    const codeButton = (label, call) => {
      const button = h("button", { type: "button", class: "btn secondary" }, label);
      button.addEventListener("click", async () => {
        try { const c = await call(classId); codeLine.textContent = c.join_code ? codeText(c.join_code) : "Joining is off"; announce(c.join_code ? "New join code." : "Joining is off."); }
        catch (err) { replace(studentErrors, errorBox(err)); }
      });
      return button;
    };
    drawStudents(students);
    // Names appear while the code is on the projector, without a reload.
    onLeave(poll(async () => {
      try { drawStudents((await api.klass(classId)).students || []); } catch { /* keep the last list */ }
    }, { interval: POLL_MS }));
    return h("div", {},
      h("div", { class: "screen-head" }, h("h1", {}, klass.name), signOut()),
      h("p", {}, h("a", { href: "#/teacher" }, "← All classes")),
      h("section", { class: "card join-card", "aria-labelledby": "jc-h" },
        h("h2", { id: "jc-h" }, "Join code"),
        codeLine,
        h("p", {}, codeButton("New code", api.newJoinCode), " ", codeButton("Turn joining off", api.closeJoining)),
        h("p", {}, "Students open this page, choose “Join your class” and type the code. ",
          h("a", { class: "btn secondary", href: `#/teacher/class/${encodeURIComponent(classId)}/code` }, "Show full screen for the projector"))),
      h("section", { class: "card", "aria-labelledby": "as-h" },
        h("h2", { id: "as-h" }, "Assignments"),
        (klass.assignments || []).length
          ? h("ul", {}, klass.assignments.map((a) => h("li", {},
              h("a", { href: `#/teacher/assignment/${encodeURIComponent(a.id)}` }, a.quiz_title || a.quiz_id),
              ` · ${a.state || ""}${a.due_at ? ` · due ${dateText(a.due_at)}` : ""}`)))
          : h("p", {}, "None yet.")),
      form,
      gainCard(classId, klass.assignments || []),
      h("section", { class: "card", "aria-labelledby": "st-h" }, studentsHead, studentErrors, studentList),
      teachersCard(classId, me),
      privacyCard(classId, klass));
  });
}

const SKILL_NAMES = { attribution: "Attribution", framing: "Loaded framing", funding: "Funding arguments",
  provenance: "Provenance", lateral_reading: "Lateral reading", total: "All skills" };
const pct = (v) => `${Math.round(v)}%`;
const gText = (g) => (g === null || g === undefined ? "—" : g.toFixed(2));

// Pre- and post-check assignments are ticked on two lists (both forms on each side when half the
// class took form A first); the server pairs each student's attempts.
function gainCard(classId, assignments) {
  const choose = (side) => h("fieldset", { class: "field" }, h("legend", {}, side === "pre" ? "Before (pre-check)" : "After (post-check)"),
    assignments.map((a) => {
      const id = `gain-${side}-${a.id}`;
      return h("div", { class: "check" }, h("input", { type: "checkbox", id, value: String(a.id), "data-side": side }),
        h("label", { for: id }, `${a.quiz_title || a.quiz_id} (#${a.id})`));
    }));
  const out = h("div", { "data-testid": "gain" });
  const form = h("form", {}, choose("pre"), choose("post"), h("button", { type: "submit", class: "btn secondary" }, "Show learning gain"));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const ids = (side) => [...form.querySelectorAll(`input[data-side=${side}]:checked`)].map((i) => Number(i.value));
    const pre = ids("pre"), post = ids("post");
    if (!pre.length || !post.length) { replace(out, h("p", { role: "alert" }, "Tick at least one assignment on each side.")); return; }
    try {
      drawGain(out, await api.gain(classId, pre, post), classId, pre, post);
      announce("Learning gain shown.");
    } catch (err) { replace(out, errorBox(err)); }
  });
  return h("section", { class: "card", "aria-labelledby": "gain-h" }, h("h2", { id: "gain-h" }, "Learning gain"),
    assignments.length ? [h("p", {}, "Compare a pre-check with a post-check. With parallel forms, tick both forms on each side."), form, out]
      : h("p", {}, "Set a pre-check and a post-check first."));
}

// A bar's width is set through the CSSOM: the page's Content-Security-Policy refuses style attributes.
function bar(cls, share) {
  const el = h("span", { class: cls }, pct(share));
  el.style.width = `${Math.max(0, Math.min(100, share))}%`;
  return el;
}

function drawGain(el, data, classId, pre, post) {
  const row = (name, s) => h("tr", {}, h("th", { scope: "row" }, name), h("td", {}, pct(s.before)), h("td", {}, pct(s.after)),
    h("td", {}, `${s.raw_gain >= 0 ? "+" : ""}${Math.round(s.raw_gain)}`), h("td", {}, gText(s.normalised_gain)));
  const head = (...cols) => h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col" }, c))));
  const bars = h("div", { class: "gain-bars", role: "img", "aria-label": "Before and after per skill" },
    Object.entries(data.skills).map(([skill, s]) => h("div", { class: "gain-bar" },
      h("span", { class: "gain-name" }, SKILL_NAMES[skill] || skill),
      bar("gain-before", s.before), bar("gain-after", s.after))));
  const d = (x) => (x ? `${x.hits} of ${x.hits + x.misses} found, ${x.false_alarms} false alarm${x.false_alarms === 1 ? "" : "s"}, balanced accuracy ${x.balanced_accuracy.toFixed(2)}` : "no marking exercises");
  const svgButton = h("button", { type: "button", class: "btn secondary", onclick: async () => {
    try {
      const text = await api.gainSvg(classId, pre, post);
      const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
      const a = h("a", { href: url, download: `class-${classId}-gain.svg` });
      document.body.append(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 10000);
      announce("Chart downloaded.");
    } catch (err) { announce(`Download failed: ${err.message}`, true); }
  } }, "Download the chart (SVG) to project");
  replace(el,
    h("p", { "data-testid": "gain-paired" }, `${data.paired} student${data.paired === 1 ? "" : "s"} with both attempts.`),
    h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Learning gain per skill" },
      h("table", {}, h("caption", {}, "The class, per skill (g: share of the possible improvement made)"),
        head("Skill", "Before", "After", "Raw gain (points)", "Normalised gain g"),
        h("tbody", {}, Object.entries(data.skills).map(([skill, s]) => row(SKILL_NAMES[skill] || skill, s))))),
    bars,
    h("p", {}, `Marking exercises — before: ${d(data.discernment_before)}; after: ${d(data.discernment_after)}.`),
    h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Learning gain per student" },
      h("table", {}, h("caption", {}, "Each student, all skills"), head("Student", "Before", "After", "Raw gain (points)", "g"),
        h("tbody", {}, data.students.map((s) => row(s.display_name, s.skills.total))))),
    data.only_before.length ? h("p", {}, `Only a pre-check: ${data.only_before.join(", ")}.`) : null,
    data.only_after.length ? h("p", {}, `Only a post-check: ${data.only_after.join(", ")}.`) : null,
    svgButton);
}

export function projectCode(classId) {
  return guarded(async () => {
    const klass = await api.klass(classId);
    setTitle("Join code");
    return h("div", { class: "projector", "data-testid": "projector" },
      h("h1", {}, `Join ${klass.name}`),
      h("p", { class: "projector-code", "data-testid": "projector-code", "aria-label": `Join code ${String(klass.join_code).split("").join(" ")}` }, codeText(klass.join_code)),
      h("p", { class: "projector-help" }, `Open ${location.origin}/ and choose “Join your class”.`),
      h("p", {}, h("a", { href: `#/teacher/class/${encodeURIComponent(classId)}` }, "Back to the class")));
  });
}

/* ---------- assignment dashboard ---------- */

function tabs(defs) {
  const list = h("div", { role: "tablist", "aria-label": "Assignment views", class: "tabs" });
  const panels = [];
  const buttons = defs.map((d, k) => {
    const panel = h("div", { role: "tabpanel", id: `panel-${d.id}`, "aria-labelledby": `tab-${d.id}`, tabindex: "0", hidden: k !== 0 }, d.panel);
    panels.push(panel);
    const b = h("button", { type: "button", role: "tab", id: `tab-${d.id}`, "aria-controls": `panel-${d.id}`, "aria-selected": k === 0 ? "true" : "false", tabindex: k === 0 ? "0" : "-1" }, d.label);
    return b;
  });
  function select(k, focus = true) {
    buttons.forEach((b, i) => { b.setAttribute("aria-selected", i === k ? "true" : "false"); b.tabIndex = i === k ? 0 : -1; panels[i].hidden = i !== k; });
    if (focus) buttons[k].focus();
    if (defs[k].onShow) defs[k].onShow();
  }
  buttons.forEach((b, k) => {
    b.addEventListener("click", () => select(k));
    b.addEventListener("keydown", (e) => {
      if (e.key === "ArrowRight") { e.preventDefault(); select((k + 1) % buttons.length); }
      else if (e.key === "ArrowLeft") { e.preventDefault(); select((k - 1 + buttons.length) % buttons.length); }
      else if (e.key === "Home") { e.preventDefault(); select(0); }
      else if (e.key === "End") { e.preventDefault(); select(buttons.length - 1); }
    });
  });
  list.append(...buttons);
  return h("div", { class: "tabbed" }, list, panels);
}

export function assignmentDashboard(assignmentId) {
  return guarded(async () => {
    const assignment = await api.assignment(assignmentId);
    const quiz = await api.quiz(assignment.quiz_id);
    const ctx = await lessonFor(assignment);
    setTitle(`Results: ${assignment.quiz_title || quiz.title}`);
    const gradebook = h("div", { "data-testid": "gradebook" });
    const reviews = h("div", { "data-testid": "review-queue" });
    const analysis = h("div", { "data-testid": "analysis" });
    const heat = h("div", { "data-testid": "heatmap" });
    const updated = h("p", { class: "help", "aria-live": "off" });
    let lastResults = null;
    let lastAnalysis = null;
    let heatLabel = "";

    // The gradebook carries scores, not the students' words; the review queue reads the words from
    // the stored answers where the server offers them (GET /assignments/{id}/answers).
    const texts = new Map();
    let answersRoute = true;
    let fetchedFor = "";
    async function loadTexts(results) {
      const wanted = reviewItems(results).filter((q) => answerText(q, texts) === undefined);
      const key = wanted.map((q) => q.answer_id).join(",");
      if (!answersRoute || !wanted.length || key === fetchedFor) return;
      fetchedFor = key;
      try {
        readAnswerLines(await api.answers(assignmentId), texts);
      } catch (err) {
        if (err instanceof ApiError && (err.status === 404 || err.status === 405)) answersRoute = false;
      }
    }

    // Each poll sends the ETag of what is on screen: a 304 (null here) means nothing changed.
    const watchResults = api.watchResults(assignmentId);
    const watchAnalysis = api.watchAnalysis(assignmentId);
    const watchAnswers = api.watchAnswers(assignmentId);
    const stamp = () => { updated.textContent = `Updated ${new Date().toLocaleTimeString()}; refreshes every ${POLL_MS / 1000} seconds.`; };
    async function loadResults() {
      try {
        const results = await watchResults();
        if (results === null) { stamp(); return; }
        lastResults = results;
        drawGradebook(gradebook, results, quiz);
        await loadTexts(results);
        drawReviews(reviews, results, quiz, loadResults, texts);
        stamp();
      } catch (err) { replace(gradebook, errorBox(err)); }
    }
    // Where students marked, word by word, from the stored answers; fetched only while the heat
    // map is on screen, so polling stays light.
    let spans = [];
    let heatDrawn = "";
    const exerciseViews = new Map((quiz.exercises || []).map((e) => [e.id, e]));
    const heatVisible = () => { const panel = heat.closest("[role=tabpanel]"); return !panel || !panel.hidden; };
    async function loadHeat(force = false) {
      if (!lastAnalysis || (!force && !heatVisible())) return;
      if (answersRoute) {
        try {
          const body = await watchAnswers();
          if (body !== null) {
            readAnswerLines(body, texts);
            spans = markedSpans(body, exerciseViews);
          }
        } catch (err) {
          if (err instanceof ApiError && (err.status === 404 || err.status === 405)) answersRoute = false;
        }
      }
      const signature = JSON.stringify([lastAnalysis.blocks, spans, heatLabel]);
      if (signature === heatDrawn && !force) return;
      heatDrawn = signature;
      drawHeat(heat, lastAnalysis, ctx, heatLabel, spans, (label) => { heatLabel = label; loadHeat(true); });
    }
    async function loadAnalysis() {
      try {
        const fresh = await watchAnalysis();
        if (fresh !== null) {
          lastAnalysis = fresh;
          drawAnalysis(analysis, lastAnalysis, quiz, ctx);
        }
        await loadHeat(heat.childElementCount === 0);
      } catch (err) { replace(analysis, errorBox(err)); }
    }
    await Promise.all([loadResults(), loadAnalysis()]);
    onLeave(poll(() => Promise.all([loadResults(), loadAnalysis()]), { interval: POLL_MS }));

    async function download(layout, name) {
      try {
        const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
        const blob = await api.resultsCsv(assignmentId, layout, zone);
        const url = URL.createObjectURL(blob);
        const a = h("a", { href: url, download: name });
        document.body.append(a);
        a.click();
        a.remove();
        window.setTimeout(() => URL.revokeObjectURL(url), 10000);
        announce("Downloaded.");
      } catch (err) { announce(`Download failed: ${err.message}`, true); }
    }
    const csvButton = h("button", { type: "button", class: "btn secondary", "data-testid": "csv",
      onclick: () => download("spreadsheet", `assignment-${assignmentId}-gradebook.csv`) }, "Download for a spreadsheet (Excel, LibreOffice)");
    const plainButton = h("button", { type: "button", class: "btn secondary small", "data-testid": "csv-plain",
      onclick: () => download("plain", `assignment-${assignmentId}-results.csv`) }, "CSV for an LMS or a script");
    const closeArea = h("span", { class: "close-area" });
    const closeAssignment = async () => {
      try {
        await api.patchAssignment(assignmentId, { closed: !assignment.closed });
        window.dispatchEvent(new HashChangeEvent("hashchange"));
      } catch (err) { announce(err.message, true); }
    };
    // Closing stops every student's saving at once: ask first (reopening needs no confirmation).
    const drawClose = () => replace(closeArea, h("button", { type: "button", class: "btn secondary", onclick: () => {
      if (assignment.closed) { closeAssignment(); return; }
      const yes = h("button", { type: "button", class: "btn", "data-testid": "confirm-close", onclick: closeAssignment }, "Yes, close it");
      replace(closeArea, h("span", { role: "group", "aria-label": "Confirm closing" },
        "Close now? Students still working can no longer save or submit. You can reopen it later. ", yes, " ",
        h("button", { type: "button", class: "btn secondary", onclick: () => { drawClose(); closeArea.querySelector("button").focus(); } }, "Cancel")));
      yes.focus();
    } }, assignment.closed ? "Reopen assignment" : "Close assignment"));
    drawClose();
    const dueInput = h("input", { id: "due-change", type: "datetime-local" });
    const dueMsg = h("div", { "aria-live": "polite" });
    const dueForm = h("form", { class: "inline-form" },
      h("div", { class: "field" }, h("label", { for: "due-change" }, "New due time (empty removes it)"), dueInput),
      h("button", { type: "submit", class: "btn secondary" }, "Change due time"), dueMsg);
    dueForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await api.patchAssignment(assignmentId, { due_at: dueInput.value ? new Date(dueInput.value).toISOString() : null });
        announce("Due time changed.");
        window.dispatchEvent(new HashChangeEvent("hashchange"));
      } catch (err) { replace(dueMsg, errorBox(err)); }
    });
    return h("div", { class: "dashboard" },
      h("div", { class: "screen-head" }, h("h1", {}, assignment.quiz_title || quiz.title), signOut()),
      h("p", {}, h("a", { href: `#/teacher/class/${encodeURIComponent(assignment.class_id)}` }, "← Class and join code")),
      h("p", { class: "meta" }, `State: ${assignment.state || ""} · feedback: ${assignment.feedback} · attempts allowed: ${assignment.attempts_allowed}`,
        assignment.due_at ? ` · due ${dateText(assignment.due_at)}` : ""),
      h("div", { class: "actions" }, csvButton, " ", plainButton, " ", closeArea, " ",
        h("a", { class: "btn secondary", href: `#/teacher/assignment/${encodeURIComponent(assignmentId)}/debrief`, "data-testid": "open-debrief" },
          "Class debrief (for the projector)")),
      columnLegend(),
      h("details", { class: "due" }, h("summary", {}, "Extend or change the due time"), dueForm),
      updated,
      tabs([
        { id: "gradebook", label: "Gradebook", panel: gradebook },
        { id: "review", label: "Review queue", panel: reviews },
        { id: "analysis", label: "Item analysis", panel: analysis },
        { id: "heatmap", label: "Heat map", panel: heat, onShow: () => loadHeat() },
      ]));
  });
}


function skillName(id) {
  return SKILL_NAMES[id] || id.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** What every column of the gradebook (and of the spreadsheet download) means. */
function columnLegend() {
  const rows = [
    ["Total", "points earned on the whole quiz, of the maximum shown"],
    ["Skill columns", "points earned on the exercises of one skill (Attribution, Loaded framing, …)"],
    ["Discernment", "how well a student's marks tell the techniques from look-alikes and plain text: 1 = every key place found and every look-alike left alone, 0.5 = no better than chance; – when the quiz has no marking exercise"],
    ["To review", "short answers and rewrites whose provisional score you have not confirmed yet"],
    ["Ex 1, Ex 2, …", "points on each exercise, numbered and titled as students see them"],
    ["Download for a spreadsheet", "the same columns, times in your time zone, and a marker that lets Excel read every alphabet"],
    ["CSV for an LMS or a script", "ids as column names, ISO times and percentages, for imports and quiz-grade"],
  ];
  return h("details", { class: "legend-columns" }, h("summary", {}, "What the columns mean"),
    h("dl", {}, rows.map(([term, text]) => [h("dt", {}, term), h("dd", {}, text)])));
}

function drawGradebook(el, results, quiz) {
  const rows = results.rows || [];
  const working = results.in_progress || [];
  const waiting = results.not_started || [];
  const exIds = results.exercises || (quiz.exercises || []).map((e) => e.id);
  const views = new Map((quiz.exercises || []).map((e) => [e.id, e]));
  const skills = [...new Set(rows.flatMap((r) => Object.keys(r.skills || {})))];
  const skillMax = new Map(skills.map((s) => [s, (rows.find((r) => (r.skills || {})[s]) || { skills: {} }).skills[s].possible]));
  const summary = h("p", { class: "gb-summary", "data-testid": "gb-summary" },
    `${rows.length} submitted · ${working.length} working · ${waiting.length} joined but not started`);
  if (!rows.length && !working.length && !waiting.length) {
    replace(el, summary, h("p", {}, "No student has joined yet. This table fills in as they work."));
    return;
  }
  const total = rows.length ? rows[0].possible : null;
  const table = h("table", { class: "grid" },
    h("caption", {}, "Gradebook: one row per student and attempt; every score in points"),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Student"),
      h("th", { scope: "col" }, "Status"),
      h("th", { scope: "col" }, "Total", total !== null ? h("span", { class: "th-max" }, `of ${points(total)}`) : null),
      skills.map((s) => h("th", { scope: "col" }, skillName(s), h("span", { class: "th-max" }, `of ${points(skillMax.get(s))}`))),
      h("th", { scope: "col" }, "Discernment", h("span", { class: "th-max" }, "0 to 1")),
      h("th", { scope: "col" }, "To review"),
      exIds.map((id, k) => {
        const ex = views.get(id) || {};
        return h("th", { scope: "col", class: "th-ex" }, `Ex ${k + 1}`,
          h("span", { class: "th-title" }, ex.title || ""), h("span", { class: "th-max" }, `of ${points(ex.points || 1)}`));
      }))),
    h("tbody", {},
      rows.map((r) => h("tr", { "data-testid": "gb-row" },
        h("th", { scope: "row" }, r.display_name),
        h("td", {}, r.attempt > 1 ? `Submitted (attempt ${r.attempt})` : "Submitted"),
        h("td", {}, points(r.earned)),
        skills.map((s) => {
          const v = (r.skills || {})[s];
          return h("td", {}, v ? points(v.earned) : "–");
        }),
        h("td", {}, r.discernment === null || r.discernment === undefined ? "–" : fmt(r.discernment)),
        h("td", {}, String((r.awaiting_review || []).length)),
        exIds.map((id) => {
          const v = (r.exercises || {})[id];
          if (!v) return h("td", {}, "–");
          const review = v.status === "needs_review";
          return h("td", { class: review ? "needs-review" : "" }, `${points(v.earned)}${review ? " (to review)" : ""}`);
        }))),
      working.map((w) => h("tr", { "data-testid": "gb-working" },
        h("th", { scope: "row" }, w.display_name),
        h("td", { colspan: String(4 + skills.length + exIds.length) }, `Working: ${w.answered} answered`))),
      waiting.map((s) => h("tr", {},
        h("th", { scope: "row" }, s.display_name),
        h("td", { colspan: String(4 + skills.length + exIds.length) }, "Not started")))));
  replace(el, summary, h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Gradebook table" }, table));
}

function reviewItems(results) {
  const out = [];
  for (const r of results.rows || []) {
    for (const exId of r.awaiting_review || []) {
      const score = (r.exercises || {})[exId] || {};
      if (score.answer_id === null || score.answer_id === undefined) continue;
      out.push({ student: r.display_name, student_id: r.student_id, attempt: r.attempt, exercise_id: exId, ...score });
    }
  }
  return out;
}

/** Read JSON Lines of stored answers into ``texts``: answer id, or student id + attempt + exercise, -> text. */
export function readAnswerLines(body, texts) {
  for (const line of String(body || "").split(/\r?\n/)) {
    if (!line.trim()) continue;
    let record;
    try { record = JSON.parse(line); } catch { continue; }
    const response = record.response || {};
    if (typeof response.text !== "string") continue;
    const exercise = record.exercise || record.exercise_id;
    if (record.answer_id !== undefined) texts.set(`a:${record.answer_id}`, response.text);
    if (record.student_id !== undefined && record.attempt !== undefined) {
      texts.set(`t:${record.student_id}\u0000${record.attempt}\u0000${exercise}`, response.text);
    }
  }
}

function answerText(q, texts) {
  if (q.response && typeof q.response.text === "string") return q.response.text;
  for (const key of [`a:${q.answer_id}`, `t:${q.student_id}\u0000${q.attempt}\u0000${q.exercise_id}`]) {
    if (texts.has(key)) return texts.get(key);
  }
  return undefined;
}

/** "8/5" -> "1.6"; a fraction without a finite decimal ("4/3") stays a fraction, so nothing is rounded. */
export function scoreText(exact) {
  const m = /^(\d+)\/(\d+)$/.exec(String(exact ?? ""));
  if (!m) return String(exact ?? "");
  let d = Number(m[2]);
  while (d % 2 === 0) d /= 2;
  while (d % 5 === 0) d /= 5;
  return d === 1 ? String(Number(m[1]) / Number(m[2])) : `${m[1]}/${m[2]}`;
}

function drawReviews(el, results, quiz, reload, texts = new Map()) {
  const queue = reviewItems(results);
  const open = new Set([...el.querySelectorAll("form[data-answer]")].map((f) => f.dataset.answer));
  const withText = new Set([...el.querySelectorAll("form[data-answer][data-text]")].map((f) => f.dataset.answer));
  const same = queue.length === open.size && queue.every((q) => open.has(String(q.answer_id)) && (withText.has(String(q.answer_id)) || answerText(q, texts) === undefined));
  // Never redraw under a teacher who is typing a score or comment.
  if (same && queue.length) return;
  if (!queue.length) { replace(el, h("p", {}, "Nothing waits for review.")); return; }
  const exercises = new Map((quiz.exercises || []).map((e) => [e.id, e]));
  replace(el, h("p", { class: "help" }, "Short answers and rewrites are scored provisionally by the rubric. Confirm or change each score; a comment is shown to the student."),
    h("ul", { class: "review-list" }, queue.map((q) => {
      const ex = exercises.get(q.exercise_id) || {};
      const earnedId = `rv-e-${q.answer_id}`;
      const commentId = `rv-c-${q.answer_id}`;
      // Any score the engine gives (1.6, 4/3) must be typable and confirmable unchanged.
      const exact = q.exact ?? String(q.earned ?? 0);
      const earned = h("input", { id: earnedId, type: "text", inputmode: "decimal", autocomplete: "off", value: scoreText(exact),
        "aria-describedby": `${earnedId}-help` });
      const comment = h("textarea", { id: commentId, rows: 2, maxlength: 2000 });
      const msg = h("div", { "aria-live": "polite" });
      const text = answerText(q, texts);
      const save = async (value) => {
        try {
          await api.review(q.answer_id, { earned: value, comment: comment.value });
          announce(`Score saved for ${q.student}.`);
          form.closest("li").remove();
          reload();
        } catch (err) { replace(msg, errorBox(err)); }
      };
      const confirm = h("button", { type: "button", class: "btn", "data-testid": "confirm-score" }, `Confirm ${scoreText(exact)}`);
      confirm.addEventListener("click", () => save(exact));
      const form = h("form", { class: "card review", "data-testid": "review-item", dataset: text === undefined ? { answer: String(q.answer_id) } : { answer: String(q.answer_id), text: "1" } },
        h("h2", { class: "review-title" }, `${q.student} — ${ex.title || q.exercise_id}`),
        ex.prompt ? h("p", { class: "meta" }, ex.prompt) : null,
        text !== undefined
          ? h("blockquote", { class: "student-text", "data-testid": "student-text" }, text)
          : h("p", { class: "help" }, "(This server does not send the answer's text to the dashboard.)"),
        h("p", { class: "meta" }, `Provisional score ${scoreText(exact)} of ${fmt(q.possible)}.`),
        q.flag ? h("p", { class: "help", "data-testid": "flag" }, `No provisional points: ${q.flag}`) : null,
        h("p", {}, confirm, " or give another score:"),
        h("div", { class: "field" }, h("label", { for: earnedId }, `Score (0 to ${fmt(q.possible)})`), earned,
          h("p", { class: "help", id: `${earnedId}-help` }, "A number such as 1.5 or 1,5, or a fraction such as 4/3.")),
        h("div", { class: "field" }, h("label", { for: commentId }, "Comment for the student (optional)"), comment),
        h("button", { type: "submit", class: "btn secondary" }, "Save score"), msg);
      form.addEventListener("submit", (e) => {
        e.preventDefault();
        const value = earned.value.trim();
        if (!/^\d+([.,]\d+)?$|^\d+\s*\/\s*[1-9]\d*$/.test(value)) {
          replace(msg, h("p", { class: "error", role: "alert" }, "Type a number such as 1.5 or a fraction such as 4/3."));
          earned.focus();
          return;
        }
        save(value.replace(/\s+/g, ""));
      });
      return h("li", {}, form);
    })));
}

function drawAnalysis(el, data, quiz, ctx) {
  const titles = new Map((quiz.exercises || []).map((e) => [e.id, e.title]));
  const itemRows = data.items || [];
  const techniques = data.techniques || [];
  const confusion = [];
  for (const [expected, row] of Object.entries(data.confusion || {})) {
    for (const [chosen, count] of Object.entries(row)) confusion.push({ expected, chosen, count });
  }
  replace(el,
    h("p", { "data-testid": "analysis-attempts" }, `Based on ${data.attempts ?? 0} submitted attempt${data.attempts === 1 ? "" : "s"}.`),
    h("p", { class: "help" }, "Facility: average share of the points (0–1). Discrimination: corrected item–rest correlation (−1 to 1; below 0.2 the item separates students poorly)."),
    h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Item analysis table" },
      h("table", { class: "grid" },
        h("caption", {}, "Item analysis"),
        h("thead", {}, h("tr", {}, ["Exercise", "Answers", "Facility", "Standard deviation", "Discrimination"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, itemRows.map((r) => h("tr", {},
          h("th", { scope: "row" }, titles.get(r.exercise_id) || r.exercise_id),
          h("td", {}, String(r.attempts ?? "")),
          h("td", {}, fmt(r.facility)),
          h("td", {}, fmt(r.sd ?? r.standard_deviation)),
          h("td", {}, fmt(r.discrimination))))))),
    techniques.length ? h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Techniques table" },
      h("table", { class: "grid" },
        h("caption", {}, "Per technique: key spans found (hits), missed, and marks outside the key (false alarms)"),
        h("thead", {}, h("tr", {}, ["Technique", "Hits", "Misses", "False alarms"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, techniques.map((t) => h("tr", {},
          h("th", { scope: "row" }, ctx.labelName(t.label || t.technique || t.id)),
          h("td", {}, String(t.hits ?? 0)), h("td", {}, String(t.misses ?? 0)), h("td", {}, String(t.false_alarms ?? 0))))))) : null,
    confusion.length ? h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Confusion table" },
      h("table", { class: "grid" },
        h("caption", {}, "Labels chosen on key spans (rows where both agree are right answers)"),
        h("thead", {}, h("tr", {}, ["Key says", "Students chose", "Times"].map((t) => h("th", { scope: "col" }, t)))),
        h("tbody", {}, confusion.map((c) => h("tr", {},
          h("td", {}, ctx.labelName(c.expected)), h("td", {}, ctx.labelName(c.chosen)), h("td", {}, String(c.count))))))) : null);
}

/** Per-block counts: {block_id: n} or [{block_id, count, label?}] or {label: {block_id: n}}. */
export function heatCounts(data, label) {
  const raw = data && (data.heatmap || data.blocks || data.block_counts || data.highlights);
  const counts = new Map();
  const labels = new Set();
  const add = (block, n, l) => {
    if (l) labels.add(l);
    if (label && l && l !== label) return;
    counts.set(block, (counts.get(block) || 0) + Number(n || 0));
  };
  if (Array.isArray(raw)) {
    for (const r of raw) {
      if (r.by_label) {
        for (const l of Object.keys(r.by_label)) labels.add(l);
        if (label) add(r.block_id, r.by_label[label] || 0, null);
        else add(r.block_id, r.total ?? Object.values(r.by_label).reduce((x, y) => x + y, 0), null);
      } else add(r.block_id || r.block, r.count ?? r.n ?? r.marks, r.label || r.technique);
    }
  } else if (raw && typeof raw === "object") {
    for (const [k, v] of Object.entries(raw)) {
      if (v && typeof v === "object") { for (const [b, n] of Object.entries(v)) add(b, n, k); }
      else add(k, v, null);
    }
  }
  return { counts, labels: [...labels].sort() };
}

/**
 * Student spans from stored answers (JSON Lines) with the technique each stands for: its label
 * (label_spans), the exercise's first label (highlight, as the item analysis counts it), or
 * ``role:<role>`` (attribution_roles). Only position spans are drawn.
 */
export function markedSpans(body, exercises) {
  const out = [];
  const push = (span, label) => {
    if (span && Number.isInteger(span.start) && Number.isInteger(span.end) && span.end > span.start) out.push({ start: span.start, end: span.end, label });
  };
  for (const line of String(body || "").split(/\r?\n/)) {
    if (!line.trim()) continue;
    let record;
    try { record = JSON.parse(line); } catch { continue; }
    const ex = exercises.get(record.exercise || record.exercise_id);
    const r = record.response || {};
    if (!ex) continue;
    if (ex.type === "highlight") for (const sp of r.spans || []) push(sp, (ex.labels || [])[0]);
    else if (ex.type === "label_spans") for (const sp of r.spans || []) push(sp, sp.label);
    else if (ex.type === "attribution_roles") for (const role of ["source", "cue", "content"]) push(r[role], `role:${role}`);
  }
  return out;
}

function drawHeat(el, data, ctx, label, spans, setLabel) {
  const { counts, labels: blockLabels } = heatCounts(data, label);
  const labels = [...new Set([...blockLabels, ...spans.map((x) => x.label).filter(Boolean)])].sort();
  const max = Math.max(1, ...counts.values());
  const labelText = (l) => (l.startsWith("role:") ? `Attribution role: ${l.slice(5)}` : ctx.labelName(l));
  const select = h("select", { id: "heat-label" }, h("option", { value: "" }, "All techniques"),
    labels.map((l) => h("option", { value: l, selected: l === label }, labelText(l))));
  select.addEventListener("change", () => { setLabel(select.value); document.getElementById("heat-label").focus(); });
  const { el: text, words, gaps } = renderBlocks(ctx, null);
  text.classList.add("heat");
  for (const blockEl of text.querySelectorAll(".block")) {
    const n = counts.get(blockEl.dataset.block) || 0;
    const level = n === 0 ? 0 : Math.min(5, Math.ceil((n / max) * 5));
    blockEl.classList.add(`heat-${level}`);
    blockEl.prepend(h("span", { class: "heat-count" }, `${n} mark${n === 1 ? "" : "s"}`));
  }
  const chosen = spans.filter((x) => !label || x.label === label);
  const perWord = words.map((w) => chosen.filter((x) => x.start < w.end && w.start < x.end).length);
  const wordMax = Math.max(1, ...perWord);
  words.forEach((w, k) => {
    const n = perWord[k];
    if (!n) return;
    w.el.classList.add(`hw-${Math.min(5, Math.ceil((n / wordMax) * 5))}`);
    w.el.dataset.marks = String(n);
  });
  for (const g of gaps) {
    const n = chosen.filter((x) => x.start <= g.start && g.end <= x.end).length;
    if (n) g.el.classList.add(`hw-${Math.min(5, Math.ceil((n / wordMax) * 5))}`);
  }
  replace(el,
    h("p", { class: "help" }, "How many student marks fell in each paragraph (the number on each paragraph, and its shade), and on each word (words shaded and underlined: the darker, the more students marked it)."),
    labels.length ? h("div", { class: "field" }, h("label", { for: "heat-label" }, "Technique"), select) : null,
    h("div", { class: "heat-scale", "aria-hidden": "true" }, h("span", { class: "scale-name" }, "Paragraphs"),
      [0, 1, 2, 3, 4, 5].map((k) => h("span", { class: `heat-${k}` }, k === 0 ? "none" : k === 5 ? "most" : ""))),
    h("div", { class: "heat-scale heat", "aria-hidden": "true" }, h("span", { class: "scale-name" }, "Words"),
      [1, 2, 3, 4, 5].map((k) => h("span", { class: `hw-${k}` }, k === 1 ? "fewest" : k === 5 ? `${wordMax} (most)` : ""))),
    text);
}
