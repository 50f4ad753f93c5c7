// The class page's "Privacy and records" card: download everything stored about one student,
// close or reopen the class (the retention period counts from closing), delete an assignment or
// the whole class, and the class's activity log in sentences. Destructive buttons take a second
// click on the same button, as removing a student does (the page never opens a browser dialog).

import { h, replace, announce, saveFile, dateText } from "./dom.js";
import { api } from "./api.js";
import { errorBox } from "./ui.js";

function armed(label, confirmLabel, action) {
  const button = h("button", { type: "button", class: "btn secondary small" }, label);
  button.addEventListener("click", async () => {
    if (!button.dataset.armed) {
      button.dataset.armed = "1";
      button.textContent = confirmLabel;
      return;
    }
    await action();
  });
  return button;
}

function download(name, text) {
  saveFile(name, new Blob([text], { type: "application/json" }));
}

function counted(d) {
  const parts = [];
  if (d.students) parts.push(`${d.students} student${d.students === 1 ? "" : "s"}`);
  parts.push(`${d.answers} answer${d.answers === 1 ? "" : "s"}`);
  return parts.join(" and ");
}

export function privacyCard(classId, klass) {
  const errors = h("div");
  const fail = (err) => replace(errors, errorBox(err));
  const students = klass.students || [];
  const assignments = klass.assignments || [];

  const who = h("select", { id: "pv-student" }, students.map((s) => h("option", { value: s.id }, s.display_name)));
  const exportButton = h("button", { type: "button", class: "btn secondary small", disabled: !students.length }, "Download their data");
  exportButton.addEventListener("click", async () => {
    const chosen = students.find((s) => String(s.id) === who.value);
    if (!chosen) return;
    try {
      download(`${chosen.display_name.replace(/[^\p{L}\p{N}]+/gu, "-")}-data.json`, await api.exportStudent(classId, chosen.id));
      announce(`Downloaded everything stored about ${chosen.display_name}.`);
      drawLog();
    } catch (err) { fail(err); }
  });

  const closedLine = h("p", { "data-testid": "class-closed" });
  const drawClosed = (c) => {
    closedLine.textContent = c.closed_at ? `Closed on ${dateText(c.closed_at)}. A retention setting, if the server has one, counts from then.` : "The class is running.";
  };
  drawClosed(klass);
  const closeButton = h("button", { type: "button", class: "btn secondary small" }, klass.closed_at ? "Reopen class" : "Close class");
  closeButton.addEventListener("click", async () => {
    try {
      const c = closeButton.textContent === "Close class" ? await api.closeClass(classId) : await api.reopenClass(classId);
      drawClosed(c);
      closeButton.textContent = c.closed_at ? "Reopen class" : "Close class";
      announce(c.closed_at ? "Class closed: joining and its assignments are off." : "Class reopened.");
      drawLog();
    } catch (err) { fail(err); }
  });

  const which = h("select", { id: "pv-assignment" }, assignments.map((a) => h("option", { value: a.id }, a.quiz_title || a.quiz_id)));
  const deleteAssignment = armed("Delete assignment", "Delete it and all its answers", async () => {
    try {
      const d = await api.deleteAssignment(which.value);
      announce(`Assignment deleted with ${counted(d)}.`);
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (err) { fail(err); }
  });
  deleteAssignment.disabled = !assignments.length;
  const deleteClass = armed("Delete class", "Delete the class, its students and all answers", async () => {
    try {
      const d = await api.deleteClass(classId);
      announce(`Class deleted with ${counted(d)}.`);
      location.hash = "#/teacher";
    } catch (err) { fail(err); }
  });

  const log = h("ol", { class: "audit-log", "data-testid": "audit-log" });
  async function drawLog() {
    try {
      const page = await api.auditLog(classId);
      replace(log, page.entries.length
        ? page.entries.slice(0, 20).map((e) => h("li", {}, h("span", { class: "meta" }, `${dateText(e.at)} · ${e.actor}: `), e.sentence))
        : h("li", {}, "Nothing recorded yet."));
    } catch (err) { fail(err); }
  }
  drawLog();

  return h("section", { class: "card", "aria-labelledby": "pv-h" },
    h("h2", { id: "pv-h" }, "Privacy and records"),
    errors,
    h("div", { class: "field" }, h("label", { for: "pv-student" }, "Everything stored about one student"), who, " ", exportButton),
    closedLine, h("p", {}, closeButton),
    h("div", { class: "field" }, h("label", { for: "pv-assignment" }, "Delete one assignment with its answers"), which, " ", deleteAssignment),
    h("p", {}, deleteClass),
    h("h3", {}, "Activity (newest first)"), log);
}
