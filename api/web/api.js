// The API client: every call goes to the same origin under /api/v1. Errors arrive as RFC 9457
// problem+json and are turned into ApiError with a readable message.

const BASE = "/api/v1";

export class ApiError extends Error {
  constructor(status, problem, retryAfter = null) {
    const detail = problem && (problem.detail || problem.title);
    super(detail ? String(detail) : `Request failed (${status})`);
    this.status = status;
    this.problem = problem || {};
    /** Seconds from a Retry-After header (429), or null. */
    this.retryAfter = retryAfter;
  }

  /** Field-level messages from a validation problem, if any, as plain strings. */
  fieldMessages() {
    const errors = this.problem.errors || this.problem.invalid_params || [];
    return errors.map((e) => {
      const where = Array.isArray(e.loc) ? e.loc.join(".") : (e.name || e.field || e.pointer || "");
      const text = e.message || e.msg || e.reason || e.detail || "";
      return where ? `${where}: ${text}` : String(text);
    });
  }
}

const store = {
  get(key, session = false) {
    try {
      const raw = (session ? sessionStorage : localStorage).getItem(key);
      return raw ? JSON.parse(raw) : null;
    } catch {
      return null;
    }
  },
  set(key, value, session = false) {
    const s = session ? sessionStorage : localStorage;
    if (value === null || value === undefined) s.removeItem(key);
    else s.setItem(key, JSON.stringify(value));
  },
};
export { store };

export const auth = {
  student() { return store.get("medialit.student"); },
  setStudent(value) { store.set("medialit.student", value); },
  teacher() { return store.get("medialit.teacher", true); },
  setTeacher(token) { store.set("medialit.teacher", token, true); },
  // The administrator's token manages teacher accounts only; like a teacher's, it stays in this tab.
  admin() { return store.get("medialit.admin", true); },
  setAdmin(token) { store.set("medialit.admin", token, true); },
};

/**
 * Local copy of a student's answers per attempt, so a reload never loses a keystroke.
 * The key has a version: drafts kept by a client from before revision 0006 name option ids the
 * server has since renamed (what it stored was renamed with them), so sending such a draft again
 * would choose another option. They are dropped instead; only an answer that never reached the
 * server across that upgrade is lost.
 */
const draftKey = (attemptId) => `medialit.answers.2.${attemptId}`;
export const drafts = {
  /** The localStorage key of an attempt's copies (other tabs watch it through storage events). */
  key: draftKey,
  get(attemptId) {
    store.set(`medialit.answers.${attemptId}`, null);
    return store.get(draftKey(attemptId)) || {};
  },
  /** Forget every attempt's copies on this device (a student leaving the class, or signed out). */
  clearAll() {
    try {
      for (const key of Object.keys(localStorage)) if (key.startsWith("medialit.answers.")) localStorage.removeItem(key);
    } catch {
      /* storage unavailable: nothing was kept */
    }
  },
  put(attemptId, exerciseId, response) {
    const all = drafts.get(attemptId);
    all[exerciseId] = response;
    store.set(draftKey(attemptId), all);
  },
};

// `seen` (an object with `etag`) makes a conditional GET: the ETag of the copy the page holds goes
// in If-None-Match, a 304 resolves to NOT_MODIFIED, and a new body's ETag is kept in `seen`.
const NOT_MODIFIED = Symbol("not modified");

async function request(method, path, { body, token, accept, raw = false, blob = false, seen = null } = {}) {
  const headers = { Accept: accept || "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  if (seen && seen.etag) headers["If-None-Match"] = seen.etag;
  let response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch (err) {
    throw new ApiError(0, { title: "The server cannot be reached. Check the connection and try again." });
  }
  if (seen && response.status === 304) return NOT_MODIFIED;
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { problem = null; }
    const retry = Number(response.headers.get("Retry-After"));
    throw new ApiError(response.status, problem, Number.isFinite(retry) && retry > 0 ? retry : null);
  }
  if (seen) seen.etag = response.headers.get("ETag");
  // A Blob keeps the bytes as sent (text() would drop a spreadsheet CSV's byte order mark).
  if (blob) return response.blob();
  if (raw || (accept && !accept.includes("json"))) return response.text();
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/**
 * A teacher's view the page polls: each call resolves to the new body, or to null when nothing
 * changed since the last call (the server answered 304 to the ETag it sent).
 */
function watch(path, options = {}) {
  const seen = { etag: null };
  return async () => {
    const body = await request("GET", path, { ...options, token: teacher(), seen });
    return body === NOT_MODIFIED ? null : body;
  };
}

const enc = encodeURIComponent;
const teacher = () => auth.teacher();
const student = () => (auth.student() || {}).token;

export const api = {
  health: () => request("GET", "/health"),
  lessons: () => request("GET", "/lessons"),
  lesson: (id) => request("GET", `/lessons/${enc(id)}`),
  quizzes: () => request("GET", "/quizzes"),
  // An assessment's questions are shown to its teacher and to students it is assigned to: send
  // whichever token this browser holds (practice sets need none).
  quiz: (id) => request("GET", `/quizzes/${enc(id)}`, { token: teacher() || student() }),
  exercise: (id) => request("GET", `/exercises/${enc(id)}`, { token: teacher() || student() }),
  check: (id, response) => request("POST", `/exercises/${enc(id)}/check`, { body: response }),

  join: (joinCode, displayName) => request("POST", "/join", { body: { join_code: joinCode, display_name: displayName } }),
  myAssignments: () => request("GET", "/me/assignments", { token: student() }),
  startAttempt: (assignmentId) => request("POST", `/assignments/${enc(assignmentId)}/attempts`, { token: student() }),
  attempt: (attemptId) => request("GET", `/attempts/${enc(attemptId)}`, { token: student() }),
  classView: (attemptId) => request("GET", `/attempts/${enc(attemptId)}/class`, { token: student() }),
  saveAnswer: (attemptId, exerciseId, response) =>
    request("PUT", `/attempts/${enc(attemptId)}/answers/${enc(exerciseId)}`, { body: response, token: student() }),
  submit: (attemptId) => request("POST", `/attempts/${enc(attemptId)}/submit`, { token: student() }),

  classes: (token = teacher()) => request("GET", "/classes", { token }),
  klass: (id) => request("GET", `/classes/${enc(id)}`, { token: teacher() }),
  createClass: (body) => request("POST", "/classes", { body, token: teacher() }),
  removeStudent: (classId, studentId) => request("DELETE", `/classes/${enc(classId)}/students/${enc(studentId)}`, { token: teacher() }),
  newJoinCode: (classId) => request("POST", `/classes/${enc(classId)}/join-code`, { token: teacher() }),
  closeJoining: (classId) => request("DELETE", `/classes/${enc(classId)}/join-code`, { token: teacher() }),
  createAssignment: (classId, body) => request("POST", `/classes/${enc(classId)}/assignments`, { body, token: teacher() }),
  assignment: (id) => request("GET", `/assignments/${enc(id)}`, { token: teacher() }),
  patchAssignment: (id, body) => request("PATCH", `/assignments/${enc(id)}`, { body, token: teacher() }),
  results: (id) => request("GET", `/assignments/${enc(id)}/results`, { token: teacher() }),
  resultsCsv: (id, layout = "plain", tz = "UTC") =>
    request("GET", `/assignments/${enc(id)}/results.csv?layout=${enc(layout)}&tz=${enc(tz)}`, { token: teacher(), accept: "text/csv", blob: true }),
  analysis: (id) => request("GET", `/assignments/${enc(id)}/analysis`, { token: teacher() }),
  // Polled views: watchX(id) returns a function resolving to the new body, or null when unchanged.
  watchResults: (id) => watch(`/assignments/${enc(id)}/results`),
  watchAnalysis: (id) => watch(`/assignments/${enc(id)}/analysis`),
  watchAnswers: (id) => watch(`/assignments/${enc(id)}/answers`, { accept: "application/x-ndjson, text/plain", raw: true }),
  debrief: (id) => request("GET", `/assignments/${enc(id)}/debrief`, { token: teacher() }),
  // Stored answers as JSON Lines ({student, exercise, response, ...} per line), where the server offers them.
  answers: (id) => request("GET", `/assignments/${enc(id)}/answers`, { token: teacher(), accept: "application/x-ndjson, text/plain", raw: true }),
  review: (answerId, body) => request("PUT", `/answers/${enc(answerId)}/review`, { body, token: teacher() }),
  quizKey: (quizId) => request("GET", `/quizzes/${enc(quizId)}/key`, { token: teacher() }),
  teacherGuide: (lessonId) => request("GET", `/lessons/${enc(lessonId)}/guides/teacher`, { token: teacher() }),
  studentGuide: (lessonId) => request("GET", `/lessons/${enc(lessonId)}/guides/student`),
  // Learning gain between pre- and post-check assignments (comma-separated ids, both forms when counterbalanced).
  gain: (classId, pre, post) => request("GET", `/classes/${enc(classId)}/gain?pre=${enc(pre.join(","))}&post=${enc(post.join(","))}`, { token: teacher() }),
  exportStudent: (classId, studentId) => request("GET", `/classes/${enc(classId)}/students/${enc(studentId)}/export`, { token: teacher(), raw: true }),
  closeClass: (id) => request("POST", `/classes/${enc(id)}/close`, { token: teacher() }),
  reopenClass: (id) => request("POST", `/classes/${enc(id)}/reopen`, { token: teacher() }),
  deleteClass: (id) => request("DELETE", `/classes/${enc(id)}`, { token: teacher() }),
  deleteAssignment: (id) => request("DELETE", `/assignments/${enc(id)}`, { token: teacher() }),
  auditLog: (classId) => request("GET", `/audit?class_id=${enc(classId)}&limit=20`, { token: teacher() }),
  // Accounts: who is signed in, colleagues, a class's teachers (its owner adds co-teachers).
  me: () => request("GET", "/teachers/me", { token: teacher() }),
  colleagues: () => request("GET", "/teachers", { token: teacher() }),
  classTeachers: (classId) => request("GET", `/classes/${enc(classId)}/teachers`, { token: teacher() }),
  addCoTeacher: (classId, teacherId) => request("POST", `/classes/${enc(classId)}/teachers`, { body: { teacher_id: teacherId }, token: teacher() }),
  removeCoTeacher: (classId, teacherId) => request("DELETE", `/classes/${enc(classId)}/teachers/${enc(teacherId)}`, { token: teacher() }),
  // The administrator's screen.
  accounts: (token = auth.admin()) => request("GET", "/admin/teachers", { token }),
  createAccount: (displayName) => request("POST", "/admin/teachers", { body: { display_name: displayName }, token: auth.admin() }),
  resetAccountToken: (teacherId) => request("POST", `/admin/teachers/${enc(teacherId)}/token`, { token: auth.admin() }),
  gainSvg: (classId, pre, post) => request("GET", `/classes/${enc(classId)}/gain.svg?pre=${enc(pre.join(","))}&post=${enc(post.join(","))}`, { token: teacher(), accept: "image/svg+xml" }),
};
