"""Grading a stream of answer records for one quiz: the grading script's engine room.

Each record is validated and scored with the same functions the API uses
(``quizzes.responses.parse_response`` and ``quizzes.scoring.score``). Scoring is pure and
deterministic, so identical answers to one exercise share one outcome: a bounded cache keyed by
exercise id and the answer's data saves rescoring the many identical choice answers of a
large class. Memory grows with students × exercises (one reference to a shared (response, outcome) pair
each: the data of the gradebook and the item analysis), never with the number of records read.

Policies:

- A record that cannot be graded (unknown exercise, a response that does not validate, a span
  outside the text or a quote that does not occur) is rejected with its file, line and reason and
  scores nothing; the student's other answers still count.
- When a file holds two answers of one student to one exercise, the later one counts (the API's
  autosave does the same); ``replaced`` counts them.
- An exercise a student did not answer earns 0 of its points, as in the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import math
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from pydantic import ValidationError

from quizzes.bank import Bank, Quiz
from quizzes.records import AnswerRecord, RecordError, response_from_cells
from quizzes.exercises import Exercise
from quizzes.outcome import FeedbackKind, Outcome, Review, SpanCounts, Status
from quizzes.responses import Response, parse_response
from quizzes.scoring.review import ReviewOutOfRange, apply_review

if TYPE_CHECKING:
    from quizzes.gradebook import GradebookRow, GradeRecord

__all__ = [
    "ReviewItem",
    "ClassGrades",
    "grade_records",
    "merge_grades",
    "gradebook_records",
    "gradebook_rows",
    "discernment",
    "CACHE_LIMIT",
    "KEEP_ERRORS",
    "KEEP_REVIEWS",
]

CACHE_LIMIT = 50_000
"""Most distinct answers whose outcome is remembered; the cache is emptied when full, so it stays bounded."""
KEEP_ERRORS = 1000
"""Rejected records kept for the report (all are counted and all are reported on stderr as they occur)."""
KEEP_REVIEWS = 2000
"""Answers awaiting a teacher's review kept for the report (all are counted)."""


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """An answer whose score is provisional: who, which exercise, where in the file, what they wrote."""

    student: str
    exercise: str
    file: str
    line: int
    text: str
    outcome: Outcome


@dataclass
class ClassGrades:
    """Everything the gradebook and the report need, accumulated record by record.

    ``answers[student][exercise_id]`` is the counting ``(response, outcome)`` of each answered
    exercise (``quizzes.analysis.items.AttemptAnswers`` per student; the response is ``None`` and the
    outcome slimmed when graded without ``detail``), students in order of first appearance.
    ``records`` counts records read (graded or not).
    """

    bank: Bank
    quiz: Quiz
    exercises: dict[str, Exercise]
    answers: dict[str, dict[str, tuple[Response | None, Outcome]]] = field(default_factory=dict)
    records: int = 0
    graded: int = 0
    rejected: int = 0
    replaced: int = 0
    errors: list[RecordError] = field(default_factory=list)
    reviews: dict[tuple[str, str], ReviewItem] = field(default_factory=dict)
    reviews_dropped: int = 0

    @property
    def students(self) -> list[str]:
        return list(self.answers)

    def payload(self) -> tuple[Any, ...]:
        """What another process needs to rebuild these grades (everything but the bank): see :meth:`from_payload`."""
        return (self.answers, self.records, self.graded, self.rejected, self.replaced, self.errors, self.reviews, self.reviews_dropped)

    @classmethod
    def from_payload(cls, bank: Bank, quiz: Quiz, payload: tuple[Any, ...]) -> "ClassGrades":
        answers, records, graded, rejected, replaced, errors, reviews, dropped = payload
        exercises = {e.id: e for e in bank.quiz_exercises(quiz.id)}
        return cls(bank, quiz, exercises, answers, records, graded, rejected, replaced, errors, reviews, dropped)

    def outcomes(self, student: str) -> dict[str, Outcome]:
        """The counting outcome of each exercise ``student`` answered."""
        return {exercise_id: pair[1] for exercise_id, pair in self.answers[student].items()}


def grade_records(
    bank: Bank,
    quiz: Quiz,
    records: Iterable[AnswerRecord | RecordError],
    on_error: Callable[[RecordError], None] | None = None,
    on_record: Callable[[], None] | None = None,
    detail: bool = True,
) -> ClassGrades:
    """Score every record of ``records`` against ``quiz``; report each rejected one to ``on_error``.

    ``on_record`` is called once per record read (for a progress bar). What is kept per answer is
    only what the gradebook and the report use, so memory stays near students × exercises × a few
    hundred bytes: outcomes lose their feedback texts, and with ``detail=False`` (no report wanted)
    also their parts, span measures and the response itself (``None`` in the pair).
    """
    # imported here: quizzes.gradebook imports this module for discernment(); the outcome cache below
    # makes the engine's own memo redundant (and a cost, for distinct answers)
    from quizzes.scoring import score_unremembered as score

    exercises = {e.id: e for e in bank.quiz_exercises(quiz.id)}
    grades = ClassGrades(bank=bank, quiz=quiz, exercises=exercises)
    # one cache per exercise, keyed by the reader's raw key (see AnswerRecord.key) or else by repr()
    # of the answer data: equal keys mean equal data; a different spelling is merely a cache miss
    caches: dict[str, dict[str | bytes, tuple[Any, Outcome] | str]] = {e: {} for e in exercises}
    cached = 0
    students = grades.answers
    reviews = grades.reviews
    pack = bank.pack
    needs_review = Status.NEEDS_REVIEW
    read = graded = replaced = 0

    def reject(error: RecordError) -> None:
        grades.rejected += 1
        if len(grades.errors) < KEEP_ERRORS:
            grades.errors.append(error)
        if on_error is not None:
            on_error(error)

    for record in records:
        read += 1
        if on_record is not None:
            on_record()
        if type(record) is RecordError:
            reject(record)
            continue
        exercise_id = record.exercise
        cache = caches.get(exercise_id)
        if cache is None:
            reject(RecordError(record.file, record.line, _unknown_exercise(exercise_id, quiz, bank)))
            continue
        raw = record.response
        if record.cells:
            try:
                raw = response_from_cells(exercises[exercise_id].type, raw)
            except ValueError as error:
                reject(RecordError(record.file, record.line, f"{exercise_id}: {error}"))
                continue
        key = record.key or repr(raw)
        result = cache.get(key)
        if result is None:
            result = _score_raw(score, exercises[exercise_id], raw, pack, detail)
            if cached >= CACHE_LIMIT:
                for each in caches.values():
                    each.clear()
                cached = 0
            cache[key] = result
            cached += 1
        if record.review is not None and type(result) is not str:
            result = _reviewed(result, record.review)
        if type(result) is str:
            reject(RecordError(record.file, record.line, f"{exercise_id}: {result}"))
            continue
        graded += 1
        student = record.student
        answers = students.get(student)
        if answers is None:
            answers = students[student] = {}
        elif exercise_id in answers:
            replaced += 1
            reviews.pop((student, exercise_id), None)
        answers[exercise_id] = result
        if result[1].status is needs_review:
            _keep_review(grades, record, raw, result[1])
    grades.records, grades.graded, grades.replaced = read, graded, replaced
    return grades


def merge_grades(first: ClassGrades, second: ClassGrades) -> ClassGrades:
    """Fold ``second``, graded from records that come *after* ``first``'s, into ``first`` and return it.

    The result is what grading all the records in one pass gives: later answers replace earlier
    ones, students keep the order of their first appearance, counts add up.
    """
    for student, answers in second.answers.items():
        mine = first.answers.get(student)
        if mine is None:
            first.answers[student] = answers
            continue
        for exercise_id, pair in answers.items():
            if exercise_id in mine:
                first.replaced += 1
            mine[exercise_id] = pair
    first.records += second.records
    first.graded += second.graded
    first.rejected += second.rejected
    first.replaced += second.replaced
    first.errors.extend(second.errors[: max(0, KEEP_ERRORS - len(first.errors))])
    for key, item in second.reviews.items():
        if key in first.reviews or len(first.reviews) < KEEP_REVIEWS:
            first.reviews[key] = item
        else:
            first.reviews_dropped += 1
    first.reviews_dropped += second.reviews_dropped
    return first


def _reviewed(result: tuple[Any, Outcome], review: Any) -> tuple[Any, Outcome] | str:
    """Apply a teacher's review (as the API stores it) to a provisional outcome, or say why not."""
    raw, outcome = result
    if outcome.status is not Status.NEEDS_REVIEW:
        return "a 'review' is given, but this answer is scored automatically and has nothing to review"
    try:
        return raw, apply_review(outcome, Review.model_validate(review))
    except ValidationError as error:
        first = error.errors()[0]
        return f"'review' is invalid: {'.'.join(map(str, first['loc'])) or 'review'}: {first['msg']}"
    except ReviewOutOfRange as error:
        return f"'review' is invalid: {error}"


def _score_raw(score: Callable[..., Outcome], exercise: Exercise, raw: Any, pack: Any, detail: bool) -> tuple[Any, Outcome] | str:
    """The (response, outcome) of ``raw`` as an answer to ``exercise``, slimmed (see grade_records), or why it cannot be graded."""
    try:
        response = parse_response(exercise.type, raw)
    except ValidationError as error:
        return _validation_reason(error)
    except ValueError as error:
        return str(error)
    try:
        outcome = score(exercise, response, pack)
    except Exception as error:  # noqa: BLE001 - one answer the engine cannot handle must not stop a class's grading
        return f"could not be scored (internal error, please report it: {type(error).__name__}: {error})"
    if outcome.status is Status.INVALID:
        messages = [f.message for f in outcome.feedback if f.kind is FeedbackKind.INVALID]
        return "; ".join(messages) or "the answer could not be read"
    # feedback texts are for the student and the API; a whole class's would fill the memory
    if detail:
        return response, outcome.model_copy(update={"feedback": ()})
    return None, outcome.model_copy(update={"feedback": (), "parts": (), "measures": None})


def _validation_reason(error: ValidationError) -> str:
    parts = []
    for detail in error.errors()[:3]:
        # the first element of a tagged-union location is the tag (e.g. 'highlight'): not useful to a teacher
        location = [p for p in detail["loc"]][1:] if detail["loc"] else []
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in location).lstrip(".")
        message = detail["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    more = len(error.errors()) - 3
    return "invalid response: " + "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def _unknown_exercise(exercise_id: str, quiz: Quiz, bank: Bank) -> str:
    if exercise_id in bank.exercises:
        return f"exercise {exercise_id!r} is not part of quiz {quiz.id!r}"
    return f"unknown exercise {exercise_id!r} (quiz {quiz.id!r} has {', '.join(quiz.exercises)})"


def _keep_review(grades: ClassGrades, record: AnswerRecord, raw: Any, outcome: Outcome) -> None:
    key = (record.student, outcome.exercise_id)
    if key not in grades.reviews and len(grades.reviews) >= KEEP_REVIEWS:
        grades.reviews_dropped += 1
        return
    text = raw.get("text", "") if isinstance(raw, dict) else ""
    grades.reviews[key] = ReviewItem(record.student, outcome.exercise_id, record.file, record.line, str(text), outcome)


def _filled_outcomes(grades: ClassGrades, students: Iterable[str] | None = None) -> Iterator[tuple[str, dict[str, Outcome]]]:
    """Each student's outcome per quiz exercise, unanswered ones scored as the empty answer ``{}``."""
    from quizzes.scoring import score

    empty: dict[str, Outcome] = {}
    for student in grades.answers if students is None else students:
        answers = grades.answers[student]
        outcomes = {}
        for exercise_id, exercise in grades.exercises.items():
            pair = answers.get(exercise_id)
            if pair is not None:
                outcomes[exercise_id] = pair[1]
                continue
            if exercise_id not in empty:
                empty[exercise_id] = score(exercise, parse_response(exercise.type, {}), grades.bank.pack)
            outcomes[exercise_id] = empty[exercise_id]
        yield student, outcomes


def gradebook_records(grades: ClassGrades) -> Iterator[GradeRecord]:
    """The graded answers as ``quizzes.gradebook`` records (one attempt per student), students in order of first appearance.

    As the API does when an attempt is submitted, an exercise the student did not answer (or whose
    only record was rejected) is scored as the empty answer ``{}``, so totals, statuses and
    discernment are the API's. A file has no attempts: each student's answers form attempt 1, with
    no submission time.
    """
    from quizzes.gradebook import AttemptRef, GradeRecord, StudentRef

    for student, outcomes in _filled_outcomes(grades):
        yield GradeRecord(student=StudentRef(id=student, name=student), attempt=AttemptRef(id="", number=1, submitted_at=None), outcomes=outcomes)


def gradebook_rows(grades: ClassGrades, students: Iterable[str] | None = None) -> Iterator[GradebookRow]:
    """``quizzes.gradebook.build_rows(exercises, gradebook_records(grades))``, equal row for row, but fast.

    ``students`` limits the rows to those students, in that order (default: all, in order of first appearance).

    ``build_rows`` adds ``Fraction`` s cell by cell (about 2 ms per student of a 73-exercise quiz:
    half a minute for a large file). Here identical answers share one outcome object, so each
    outcome's cell is built once, and sums are exact integer sums per denominator, turned into one
    ``Fraction`` per total. The equality with ``build_rows`` is pinned by the tests.
    """
    from quizzes.gradebook import AttemptRef, ExerciseScore, GradebookRow, StudentRef

    exercises = list(grades.exercises.values())
    skill_of = {e.id: e.skill.value for e in exercises}
    # per distinct outcome: its cell, whether it awaits review, its exact points as integers, its counts
    cells: dict[int, tuple[ExerciseScore, bool, int, int, int, int, SpanCounts | None, Outcome]] = {}
    attempt = AttemptRef(id="", number=1, submitted_at=None)
    for student, outcomes in _filled_outcomes(grades, students):
        per_exercise: dict[str, ExerciseScore] = {}
        sums: dict[str, tuple[dict[int, int], dict[int, int]]] = {}
        awaiting: list[str] = []
        counts = []
        for exercise_id, outcome in outcomes.items():
            cell = cells.get(id(outcome))
            if cell is None:
                waiting = outcome.status is Status.NEEDS_REVIEW and outcome.review is None
                earned, possible = outcome.earned, outcome.possible
                cell = cells[id(outcome)] = (
                    ExerciseScore(earned, possible, outcome.status.value), waiting,
                    earned.numerator, earned.denominator, possible.numerator, possible.denominator, outcome.counts, outcome,
                )
            score_cell, waiting, e_num, e_den, p_num, p_den, span_counts, _ = cell
            per_exercise[exercise_id] = score_cell
            if waiting:
                awaiting.append(exercise_id)
            if span_counts is not None:
                counts.append(span_counts)
            skill = skill_of[exercise_id]
            pair = sums.get(skill)
            if pair is None:
                pair = sums[skill] = ({}, {})
            earned_sums, possible_sums = pair
            earned_sums[e_den] = earned_sums.get(e_den, 0) + e_num
            possible_sums[p_den] = possible_sums.get(p_den, 0) + p_num
        all_earned: dict[int, int] = {}
        all_possible: dict[int, int] = {}
        for earned_sums, possible_sums in sums.values():
            for d, n in earned_sums.items():
                all_earned[d] = all_earned.get(d, 0) + n
            for d, n in possible_sums.items():
                all_possible[d] = all_possible.get(d, 0) + n
        yield GradebookRow(
            student=StudentRef(id=student, name=student),
            attempt=attempt,
            earned=_total(all_earned),
            possible=_total(all_possible),
            exercises=per_exercise,
            skills={skill: (_total(e), _total(p)) for skill, (e, p) in sums.items()},
            discernment=_discernment_exact(counts),
            awaiting_review=tuple(awaiting),
        )


def _discernment_exact(counts: list[SpanCounts]) -> float | None:
    """:func:`discernment` with integer sums: the same balanced accuracy, without a ``Fraction`` per answer."""
    hits = misses = foils_total = foils_marked = 0
    free: dict[int, int] = {}
    for c in counts:
        hits += c.hits
        misses += c.misses
        foils_total += c.foils_total
        foils_marked += c.foils_marked
        _add(free, c.free_marked)
    if hits + misses == 0:
        return None
    rejected = (foils_total - foils_marked) + len(counts) - _total(free)
    specificity = rejected / (foils_total + len(counts))
    return float((Fraction(hits, hits + misses) + specificity) / 2)


def _add(sums: dict[int, int], value: Fraction) -> None:
    denominator = value.denominator
    sums[denominator] = sums.get(denominator, 0) + value.numerator


def _total(sums: dict[int, int]) -> Fraction:
    if not sums:
        return Fraction(0)
    if len(sums) == 1:
        ((denominator, numerator),) = sums.items()
        return Fraction(numerator, denominator)
    common = math.lcm(*sums)
    return Fraction(sum(n * (common // d) for d, n in sums.items()), common)


def discernment(counts: list[SpanCounts]) -> float | None:
    """Balanced accuracy of span answers in [0, 1], as ``quizzes.submission.discernment_of`` defines it.

    ``None`` when no key span was asked for. (Kept here because ``quizzes.gradebook`` imports it.)
    """
    from quizzes.submission import discernment_of

    result = discernment_of(counts)
    return None if result is None else float(result.balanced_accuracy)
