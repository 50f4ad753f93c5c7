// What every teacher screen shares: the sign-in gate (guarded, signOut), the polling period and the
// names of skills and the number formats of scores and gains.

import { api, auth } from "./api.js";
import { behindGate, signOutButton } from "./ui.js";

export const POLL_MS = 4000;

/** The teacher's token, kept in this tab: the sign-in gate of every teacher screen. */
const TEACHER = {
  title: "Teacher sign-in",
  label: "Teacher token",
  name: "teacher_token",
  help: "Paste your teacher token: the one your administrator gave you, or the one the server printed when it first started. It is kept only in this browser tab.",
  wrong: "That token is not right. Check it and try again.",
  check: (token) => api.classes(token),
  token: () => auth.teacher(),
  keep: (token) => auth.setTeacher(token),
};

export const signOut = () => signOutButton(TEACHER, "#/teacher");
export const guarded = (draw) => behindGate(TEACHER, draw);

export const SKILL_NAMES = { attribution: "Attribution", framing: "Loaded framing", funding: "Funding arguments",
  provenance: "Provenance", lateral_reading: "Lateral reading", total: "All skills" };
export const pct = (v) => `${Math.round(v)}%`;
export const gText = (g) => (g === null || g === undefined ? "—" : g.toFixed(2));
export function skillName(id) {
  return SKILL_NAMES[id] || id.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}
