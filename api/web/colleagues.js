// A class's teachers: its owner and co-teachers. The owner adds a colleague from the server's
// teachers (by display name) or removes one; a co-teacher can leave the class.

import { h, replace, announce } from "./dom.js";
import { api } from "./api.js";
import { errorBox } from "./ui.js";

/** The "Teachers of this class" card of the class screen; ``me`` is the signed-in account. */
export function teachersCard(classId, me) {
  const list = h("div");
  const errors = h("div");
  const adder = h("div");
  const draw = async (teachers) => {
    const mine = teachers.find((t) => t.id === me.id);
    const owner = mine && mine.role === "owner";
    replace(list, h("ul", { class: "teachers" }, teachers.map((t) => h("li", {},
      h("span", {}, t.display_name), t.role === "owner" ? " (created the class)" : " (co-teacher)",
      t.id === me.id ? " · you" : null, " ",
      t.role === "co" && (owner || t.id === me.id) ? removeButton(t) : null))));
    if (!owner) { replace(adder); return; }
    const taken = new Set(teachers.map((t) => t.id));
    const others = (await api.colleagues()).filter((t) => !taken.has(t.id));
    if (!others.length) { replace(adder, h("p", { class: "help" }, "Every teacher on this server already teaches this class.")); return; }
    const select = h("select", { id: "co-teacher" }, others.map((t) => h("option", { value: t.id }, t.display_name)));
    const add = h("button", { type: "button", class: "btn secondary" }, "Add co-teacher");
    add.addEventListener("click", async () => {
      try {
        const chosen = others.find((t) => String(t.id) === select.value);
        await draw(await api.addCoTeacher(classId, Number(select.value)));
        replace(errors);
        announce(`${chosen ? chosen.display_name : "The teacher"} now teaches this class too.`);
      } catch (err) { replace(errors, errorBox(err)); }
    });
    replace(adder, h("div", { class: "field" }, h("label", { for: "co-teacher" }, "Colleague"), select), add,
      h("p", { class: "help" }, "A co-teacher sees and changes this class as you do: students, assignments, answers and reviews."));
  };
  const removeButton = (t) => {
    const leaving = t.id === me.id;
    const button = h("button", { type: "button", class: "btn secondary small", "aria-label": leaving ? "Leave this class" : `Remove ${t.display_name} from this class` },
      leaving ? "Leave this class" : "Remove");
    button.addEventListener("click", async () => {
      try {
        const left = await api.removeCoTeacher(classId, t.id);
        if (leaving) { announce("You no longer teach this class."); location.hash = "#/teacher"; return; }
        await draw(left);
        announce(`${t.display_name} no longer teaches this class.`);
      } catch (err) { replace(errors, errorBox(err)); }
    });
    return button;
  };
  const card = h("section", { class: "card", "aria-labelledby": "tt-h" }, h("h2", { id: "tt-h" }, "Teachers of this class"), list, errors, adder);
  api.classTeachers(classId).then(draw).catch((err) => replace(errors, errorBox(err)));
  return card;
}
