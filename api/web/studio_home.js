// The studio's home: the teacher's saved packs (open one, export it as a file), a new article to
// import (pasted or uploaded), and a pack file shared by a colleague.

import { h, replace, field, announce, saveFile } from "./dom.js";
import { guarded, signOut } from "./teacher_common.js";
import { setTitle, errorBox } from "./ui.js";
import { call, enc } from "./studio_common.js";
import { begin, load } from "./studio_draft.js";

async function fileBase64(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function studioHome() {
  return guarded(async () => {
    setTitle("Studio");
    const packs = await call("GET", "/studio/packs");
    const errors = h("div");
    const paste = field("Paste the article's text", { name: "studio_text", rows: 10, "data-testid": "studio-paste" }, "textarea");
    const upload = field("…or upload a file (.txt, .md, .html, .docx)", { type: "file", name: "studio_file", accept: ".txt,.md,.markdown,.html,.htm,.docx", "data-testid": "studio-file" });
    const packId = field("Pack name for the address (optional: lowercase letters, digits and hyphens)", { name: "studio_pack_id", pattern: "[a-z0-9][a-z0-9-]{0,40}", maxlength: 41 });
    const form = h("form", { class: "card", "aria-labelledby": "st-new-h" },
      h("h2", { id: "st-new-h" }, "Bring a new article"),
      h("p", {}, "The text is split into paragraphs with their roles proposed, and spans are suggested for each skill. You check every one."),
      paste.wrap, upload.wrap, packId.wrap, errors,
      h("button", { type: "submit", class: "btn", "data-testid": "studio-import" }, "Import"));
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      replace(errors);
      const body = {};
      const file = upload.input.files && upload.input.files[0];
      if (file) Object.assign(body, { filename: file.name, content_base64: await fileBase64(file) });
      else if (paste.input.value.trim()) body.text = paste.input.value;
      else { replace(errors, h("p", { class: "error", role: "alert" }, "Paste a text or choose a file.")); return; }
      if (packId.input.value.trim()) body.pack_id = packId.input.value.trim();
      try {
        const imported = await call("POST", "/studio/import", body);
        begin(imported.draft, { reasons: imported.reasons, suggestions: imported.suggestions, rules: imported.rules });
        announce("Imported. Check the paragraphs and the suggested spans.");
        location.hash = "#/teacher/studio/edit";
      } catch (err) { replace(errors, errorBox(err)); }
    });
    const shared = field("A pack file from a colleague (.medialit-pack.json)", { type: "file", accept: ".json", name: "studio_pack_file" });
    const sharedErrors = h("div");
    const sharedForm = h("form", { class: "card", "aria-labelledby": "st-shared-h" },
      h("h2", { id: "st-shared-h" }, "Import a shared pack"), shared.wrap, sharedErrors,
      h("button", { type: "submit", class: "btn secondary" }, "Import the pack"));
    sharedForm.addEventListener("submit", async (e) => {
      e.preventDefault();
      replace(sharedErrors);
      const file = shared.input.files && shared.input.files[0];
      if (!file) { replace(sharedErrors, h("p", { class: "error", role: "alert" }, "Choose a pack file.")); return; }
      try {
        const saved = await call("POST", "/studio/packs", JSON.parse(await file.text()));
        announce(`Pack “${saved.title}” imported.`);
        window.dispatchEvent(new HashChangeEvent("hashchange"));
      } catch (err) { replace(sharedErrors, errorBox(err instanceof SyntaxError ? new Error("That file is not a pack file.") : err)); }
    });
    const current = load();
    return h("div", { class: "studio" },
      h("div", { class: "screen-head" }, h("h1", {}, "Studio: bring your own article"), signOut()),
      h("p", {}, h("a", { href: "#/teacher" }, "← Classes")),
      current ? h("p", { class: "card" }, "A pack you have not saved yet is open in this tab: ",
        h("a", { href: "#/teacher/studio/edit", class: "btn secondary" }, `Continue “${current.draft.pack.title}”`)) : null,
      h("section", { class: "card", "aria-labelledby": "st-saved-h" },
        h("h2", { id: "st-saved-h" }, "Your packs"),
        packs.length
          ? h("ul", {}, packs.map((p) => h("li", {},
              h("a", { href: `#/teacher/studio/pack/${enc(p.id)}` }, p.title), " · ",
              h("button", { type: "button", class: "btn small secondary", onclick: () => exportPack(p.id) }, `Export “${p.title}” as a file`))))
          : h("p", {}, "None saved yet.")),
      form, sharedForm);
  });
}

async function exportPack(packId) {
  const document_ = await call("GET", `/studio/packs/${enc(packId)}/export`);
  saveFile(`${packId}.medialit-pack.json`, new Blob([JSON.stringify(document_)], { type: "application/json" }));
}
