// The teacher's home: the sign-in (teacher_common.js) and the list of classes. Each other screen has its
// module: a class (teacher_class.js), an assignment's results (teacher_assignment.js) with its tabs
// (teacher_gradebook.js, teacher_review.js, teacher_analysis.js, teacher_heatmap.js).

import { announce, field, h, replace } from "./dom.js";
import { api } from "./api.js";
import { errorBox, items, setTitle } from "./ui.js";
import { materialsCard } from "./materials.js";
import { guarded, signOut } from "./teacher_common.js";

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
