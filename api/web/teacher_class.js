// One class: its assignments, students, co-teachers, privacy, the projected join code and the learning
// gain between a pre- and a post-check.

import { announce, h, replace, saveFile, dateText } from "./dom.js";
import { api } from "./api.js";
import { errorBox, items, onLeave, setTitle } from "./ui.js";
import { quizShortPurpose } from "./materials.js";
import { privacyCard } from "./privacy.js";
import { poll } from "./polling.js";
import { teachersCard } from "./colleagues.js";
import { POLL_MS, SKILL_NAMES, gText, guarded, pct, signOut } from "./teacher_common.js";

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
      saveFile(`class-${classId}-gain.svg`, new Blob([text], { type: "image/svg+xml" }));
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
