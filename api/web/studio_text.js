// The editor's first section: the pack's title, its paragraphs with their proposed roles (and
// suggesting spans again for changed roles), and the provenance fields.

import { h, field, announce, newId } from "./dom.js";
import { ROLE_NAMES } from "./article.js";
import { call, blockText } from "./studio_common.js";
import { state, keep } from "./studio_draft.js";

/** Section 1 of the editor, built from the editor's shared context (studio_editor.js). */
export function textSection({ draft, changed, drawSpansLists }) {
  const meta = draft.pack;
  const bind = (obj, key, label, attrs = {}, tag = "input") => {
    const f = field(label, { ...attrs, value: obj[key] ?? "" }, tag);
    if (tag === "textarea") f.input.value = obj[key] ?? "";
    f.input.addEventListener("input", () => { obj[key] = f.input.value; changed(); });
    return f.wrap;
  };
  const prov = meta.provenance;
  const unknowns = field("What is not known (one per line)", { rows: 4, name: "prov_unknowns" }, "textarea");
  unknowns.input.value = (prov.unknowns || []).join("\n");
  unknowns.input.addEventListener("input", () => { prov.unknowns = unknowns.input.value.split("\n").map((x) => x.trim()).filter(Boolean); changed(); });
  const url = field("Original address (URL)", { name: "prov_url", value: prov.url || "" });
  url.input.addEventListener("input", () => { prov.url = url.input.value.trim(); prov.original_url_known = !!prov.url; changed(); });
  const blockRows = meta.blocks.map((b) => {
    const id = newId("role");
    const select = h("select", { id, "data-block": b.id }, Object.entries(ROLE_NAMES).map(([role, name]) => h("option", { value: role, selected: role === b.role }, name)));
    select.addEventListener("change", () => { b.role = select.value; changed(); });
    const text = blockText(draft, b);
    return h("li", { class: "studio-block" },
      h("label", { for: id }, `Paragraph ${b.id}: `), select,
      state.reasons[b.id] ? h("span", { class: "small" }, ` proposed because: ${state.reasons[b.id]}`) : null,
      h("p", { class: "block-preview" }, text.length > 160 ? `${text.slice(0, 160)}…` : text));
  });
  const again = h("button", { type: "button", class: "btn secondary", onclick: async () => {
    try {
      const result = await call("POST", "/studio/suggestions", draft);
      state.suggestions = result.suggestions;
      state.rules = result.rules;
      keep();
      drawSpansLists();
      announce(`${result.suggestions.length} suggestions.`);
    } catch (err) { announce(err.message, true); }
  } }, "Suggest spans again for these roles");
  return h("section", { class: "card", "aria-labelledby": "st-text-h" },
    h("h2", { id: "st-text-h" }, "1. The text, its paragraphs and where it comes from"),
    bind(meta, "title", "Title shown to students", { name: "pack_title" }),
    h("div", { class: "field" }, h("span", { class: "label" }, "Pack name (in the address)"), h("code", {}, meta.id)),
    h("details", { open: true }, h("summary", {}, `Paragraphs and their roles (${meta.blocks.length})`), h("ol", { class: "studio-blocks" }, blockRows), again),
    h("fieldset", { class: "provenance-fields" }, h("legend", {}, "Provenance"),
      bind(prov, "publisher", "Publisher", { name: "prov_publisher" }),
      bind(prov, "date", "Date (or “unknown”)", { name: "prov_date" }),
      bind(prov, "date_basis", "How the date is known", { name: "prov_date_basis" }),
      url.wrap,
      bind(prov, "repost_site", "Reposted on (if the text is a repost)", { name: "prov_repost" }),
      bind(prov, "notes", "Notes", { name: "prov_notes", rows: 3 }, "textarea"),
      unknowns.wrap));
}
