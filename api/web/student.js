// The student's home: the assignment list, and leaving the class on this device. The attempt is
// student_assignment.js, the result student_result.js; app.js loads each when its page opens.

import { h, replace, dateText } from "./dom.js";
import { api, auth, drafts, ApiError } from "./api.js";
import { setTitle, items } from "./ui.js";
import { needStudent } from "./student_common.js";

function leaveClass() {
  auth.setStudent(null);
  drafts.clearAll();  // this device keeps nothing of the student's answers once they leave
  location.hash = "#/";
}

/** "Leave this class on this device", with a confirmation: coming back needs the join code. */
function leaveArea() {
  const area = h("span", { class: "close-area" });
  const ask = () => {
    const yes = h("button", { type: "button", class: "btn small", "data-testid": "confirm-leave", onclick: leaveClass }, "Yes, leave");
    replace(area, h("span", { role: "group", "aria-label": "Confirm leaving" },
      "Leave? To come back on this device you need the join code again. Your submitted answers stay with your teacher. ", yes, " ",
      h("button", { type: "button", class: "btn small secondary", onclick: () => { draw(); area.querySelector("button").focus(); } }, "Stay")));
    yes.focus();
  };
  const draw = () => replace(area, h("button", { type: "button", class: "btn small secondary", onclick: ask }, "Leave this class on this device"));
  draw();
  return area;
}

export async function studentHome() {
  const gate = needStudent();
  if (gate) return gate;
  const me = auth.student();
  setTitle("Your assignments");
  let list;
  try {
    list = items(await api.myAssignments(), "assignments");
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      auth.setStudent(null);
      return h("div", {}, h("h1", {}, "Please join again"), h("p", {}, "This device's sign-in is no longer valid. ", h("a", { href: "#/" }, "Join with your class code"), "."));
    }
    throw err;
  }
  const quizzes = new Map(items(await api.quizzes().catch(() => []), "quizzes").map((q) => [q.id, q]));
  return h("div", {},
    h("h1", {}, "Your assignments"),
    h("p", {}, "Signed in as ", h("strong", { "data-testid": "student-name" }, me.name || ""), me.className ? ` in ${me.className}` : "", ". ",
      leaveArea()),
    list.length === 0
      ? h("p", { class: "card" }, "No assignments yet. Your teacher will set one; reload this page when they say so.")
      : h("ul", { class: "assignment-list" }, list.map((a) => {
          const quiz = quizzes.get(a.quiz_id) || {};
          const title = a.title || a.quiz_title || quiz.title || a.quiz_id;
          const submitted = a.attempts_used > 0 && !a.open_attempt_id;
          return h("li", { class: "card" },
            h("h2", {}, title),
            h("p", { class: "meta" }, [a.due_at ? `Due ${dateText(a.due_at)}` : null,
              a.state && a.state !== "open" ? a.state : null,
              a.open_attempt_id ? "In progress" : submitted ? "Submitted" : "Not started"].filter(Boolean).join(" · ")),
            a.state === "scheduled"
              ? h("p", {}, a.opens_at ? `Opens ${dateText(a.opens_at)}.` : "Not open yet.")
              : a.state === "closed" && !submitted
                ? h("p", {}, "Closed: answers are no longer accepted.")
                : h("a", { class: "btn", href: `#/assignment/${encodeURIComponent(a.id)}` },
                    a.open_attempt_id ? "Continue" : submitted ? "See your result" : "Start"),
            submitted && a.state === "open" && a.attempts_used < a.attempts_allowed
              ? [" ", h("a", { class: "btn secondary", href: `#/assignment/${encodeURIComponent(a.id)}/new` }, `Start attempt ${a.attempts_used + 1} of ${a.attempts_allowed}`)]
              : null);
        })));
}
