"""GIFT text of one quiz (Moodle's plain-text question format), for the types GIFT can express.

Carried: ``single_choice`` and ``multi_choice`` (weights as for Moodle XML), ``match``
(proportional only), ``short_answer`` and ``rewrite`` (as essays; GIFT has no grader information,
so the rubric goes in a ``//`` comment, which Moodle drops on import, and stays in this file for the
teacher). Each question starts with the comment ``// [id:<exercise id>]``, the token from which
Moodle's GIFT importer takes the question's ID number. Skipped, and named in the notes: ``highlight``, ``label_spans`` and
``attribution_roles`` (GIFT has no way to select text; use Moodle XML or QTI for those).

GIFT has no shuffle flag: Moodle's question-type default decides (multiple choice shuffles, matching
always shuffles its answers). GIFT cannot pin an option either, so an exercise with a pinned option
is named in the notes: turn off "Shuffle the choices" for it after import (the file order is free of
cues, which lint checks).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from quizzes.bank import Bank, Quiz
from quizzes.exercises import (
    Exercise,
    MatchExercise,
    MultiChoiceExercise,
    RewriteExercise,
    ShortAnswerExercise,
    SingleChoiceExercise,
)
from quizzes.exports.scorer_notes import scorer_notes
from quizzes.exports.moodle import moodle_percent
from quizzes.ordering import orderable_items

__all__ = ["GiftExport", "gift_escape", "gift_text", "GIFT_SKIPPED_TYPES"]

GIFT_SKIPPED_TYPES = frozenset({"highlight", "label_spans", "attribution_roles"})


@dataclass(frozen=True, slots=True)
class GiftExport:
    text: str
    notes: tuple[str, ...]


def gift_escape(text: str) -> str:
    """Escape GIFT's special characters ``~ = # { } :`` and the backslash; newlines become ``\\n``."""
    text = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _id_comment(exercise: Exercise) -> str:
    # Moodle reads the ID number from "[id:...]" in the comment lines before a question; a plain
    # "id: x" comment is dropped. Exercise ids never contain "]".
    return f"// [id:{exercise.id}]"


def _head(exercise: Exercise) -> str:
    return f"{_id_comment(exercise)}\n::{gift_escape(exercise.title)}::{gift_escape(exercise.prompt)}"


def _choice(exercise: SingleChoiceExercise | MultiChoiceExercise) -> str:
    lines = []
    if isinstance(exercise, SingleChoiceExercise):
        for option in exercise.options:
            lines.append(f"\t{'=' if option.correct else '~'}{gift_escape(option.text)}#{gift_escape(option.feedback)}")
    else:
        right = sum(o.correct for o in exercise.options)
        for option in exercise.options:
            weight = Fraction(1, right) if option.correct else max(Fraction(-1), -exercise.penalty * Fraction(1, right))
            lines.append(f"\t~%{moodle_percent(weight)}%{gift_escape(option.text)}#{gift_escape(option.feedback)}")
    return _head(exercise) + " {\n" + "\n".join(lines) + "\n}"


def _match(exercise: MatchExercise) -> str:
    right = {r.id: r.text for r in exercise.right}
    lines = [f"\t={gift_escape(left.text)} -> {gift_escape(right[exercise.pairs[left.id]])}" for left in exercise.left]
    return _head(exercise) + " {\n" + "\n".join(lines) + "\n}"


def _essay(exercise: ShortAnswerExercise | RewriteExercise, bank: Bank) -> str:
    notes = scorer_notes(exercise, bank.pack)
    comments = [_id_comment(exercise)]
    comments += [f"// rubric: {line}" for line in notes.criteria + notes.checks]
    comments.append(f"// model answer: {notes.model_answer}")
    prompt = f"::{gift_escape(exercise.title)}::{gift_escape(exercise.prompt)}"
    if isinstance(exercise, RewriteExercise):
        prompt += gift_escape(f"\n\n“{exercise.target.quote}”")
    return "\n".join(comments) + "\n" + prompt + " {}"


def gift_text(bank: Bank, quiz: Quiz) -> GiftExport:
    """The GIFT text of ``quiz`` (a ``$CATEGORY`` line, then one question per carried exercise)."""
    blocks = [f"$CATEGORY: $course$/medialit/{bank.pack.id}/{quiz.id}"]
    notes: list[str] = []
    for exercise in bank.quiz_exercises(quiz.id):
        pinned = [i.id for i in orderable_items(exercise) or () if i.pinned]
        if pinned:
            notes.append(f"{exercise.id}: GIFT cannot keep {', '.join(pinned)} in place; turn off shuffling for this question after import")
        match exercise:
            case SingleChoiceExercise() | MultiChoiceExercise():
                blocks.append(_choice(exercise))
            case MatchExercise():
                if exercise.policy == "all_or_nothing":
                    notes.append(f"{exercise.id}: GIFT matching is scored proportionally; all_or_nothing is not kept")
                blocks.append(_match(exercise))
            case ShortAnswerExercise() | RewriteExercise():
                blocks.append(_essay(exercise, bank))
            case _:
                notes.append(f"{exercise.id}: {exercise.type} skipped; GIFT cannot select text (use Moodle XML or QTI)")
    return GiftExport("\n\n".join(blocks) + "\n", tuple(notes))
