// The studio: a teacher brings a new article, checks its blocks and provenance, accepts, edits or
// adds spans with the same Marker students use, writes rationales, builds exercises from
// templates, previews them as a student with the scorer's results, saves the pack and assigns it.
// The draft is kept in this tab (sessionStorage) until it is saved; the server lints it as it changes.
//
// This module is the entry app.js loads for the studio's three routes. The rest, by concern:
// studio_home.js (saved packs, import), studio_editor.js (the editor's shell and lint) with its
// sections studio_text.js, studio_key.js, studio_exercises.js (+ studio_templates.js),
// studio_preview.js and studio_saving.js; studio_draft.js (the draft in this tab) and
// studio_common.js (requests, skills, readings of a draft).

import { h } from "./dom.js";
import { guarded } from "./teacher_common.js";
import { setTitle } from "./ui.js";
import { call, enc } from "./studio_common.js";
import { begin, load } from "./studio_draft.js";
import { editor } from "./studio_editor.js";

export { studioHome } from "./studio_home.js";

export function studioOpen(packId) {
  return guarded(async () => {
    const draft = await call("GET", `/studio/packs/${enc(packId)}`);
    begin(draft);
    history.replaceState(null, "", "#/teacher/studio/edit");
    return editor();
  });
}

export function studioEditor() {
  return guarded(async () => {
    if (!load()) {
      setTitle("Studio");
      return h("div", {}, h("h1", {}, "No article open"), h("p", {}, h("a", { href: "#/teacher/studio" }, "Import an article first.")));
    }
    return editor();
  });
}
