// Offsets: the API speaks half-open [start, end) ranges of Unicode code points; JS strings are
// UTF-16. Everything in the client keeps code-point offsets and converts only here.

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const JOINER = new Set(["'", "’", "-", "‑", ".", ",", "&"]);

/** The text as an array of code points (one string per character, astral or not). */
export function codePoints(text) {
  return Array.from(text);
}

/** Map code-point index -> UTF-16 index, length n+1 (the last entry is text.length). */
export function unitIndex(chars) {
  const map = new Array(chars.length + 1);
  let unit = 0;
  for (let i = 0; i < chars.length; i += 1) {
    map[i] = unit;
    unit += chars[i].length;
  }
  map[chars.length] = unit;
  return map;
}

/** The substring [start, end) in code points. */
export function slice(chars, start, end) {
  return chars.slice(start, end).join("");
}

export function isWordChar(ch) {
  return WORD_CHAR.test(ch);
}

/**
 * Split [start, end) of ``chars`` into tokens {start, end, word: bool}. A word is a run of letters,
 * digits and marks, joined across one inner apostrophe, hyphen, dot or comma ("don't",
 * "Kazakh-American", "U.S", "1,000"); everything else (spaces, quotes, punctuation) is a gap.
 * Word boundaries here are the boundaries marks snap to.
 */
export function tokenize(chars, start, end) {
  const tokens = [];
  let i = start;
  while (i < end) {
    const word = isWordChar(chars[i]);
    let j = i + 1;
    if (word) {
      while (j < end) {
        if (isWordChar(chars[j])) j += 1;
        else if (JOINER.has(chars[j]) && j + 1 < end && isWordChar(chars[j + 1])) j += 2;
        else break;
      }
    } else {
      while (j < end && !isWordChar(chars[j])) j += 1;
    }
    tokens.push({ start: i, end: j, word });
    i = j;
  }
  return tokens;
}

/** Merge overlapping or touching spans of the same label (used for display only). */
export function overlaps(a, b) {
  return a.start < b.end && b.start < a.end;
}
