"""Teacher results: gradebook (JSON and CSV), item analysis, review with audit trail, regrade."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Collection, Iterable, Iterator
from fractions import Fraction
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from api.catalog import Catalog
from api.errors import InvalidInput, NotFound, NotReviewable
from api.schemas import (
    GradebookOut, GradebookRowOut, InProgressOut, RegradeEntryOut, RegradeOut, ReviewIn, ReviewOut, ReviewRecordOut,
    ScoreOut, SkillScoreOut, StudentOut,
)
from api.store.assignments import assignment_out, get_assignment_row
from api.store.attempts import score_stored
from api.store.classes import student_out
from api.store import audit
from api.store.tables import AnswerRow, AssignmentRow, AttemptRow, ClassRow, RegradeEntryRow, RegradeRow, ReviewRow, StudentRow
from quizzes.analysis.items import Analysis, Contribution, SpanResolver, analyse, combine, contribution
from quizzes.bank import Bank
from quizzes.exports.spreadsheet import gradebook_spreadsheet
from quizzes.fractions_field import parse_fraction
from quizzes.gradebook import AttemptRef, GradeRecord, StudentRef, build_rows, gradebook_csv
from quizzes.outcome import Outcome, Review, Status
from quizzes.responses import parse_response
from quizzes.scoring.review import apply_review
from quizzes.scoring.text import flag_reason
from quizzes.views import to_points

__all__ = ["gradebook", "gradebook_rows", "gradebook_progress", "submitted_attempts", "review_marks", "analysis_parts", "combine_parts", "gradebook_as_csv", "answers_jsonl", "analysis", "review_answer", "regrade"]

TEACHER = "teacher"
MAX_FRACTION_TEXT = 40
"""Longest stored score text (``reviews.earned``, ``regrade_entries.*_earned`` are VARCHAR(40))."""


def _fraction_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value.numerator)


def _attempts(session: Session, assignment_id: int) -> list[tuple[AttemptRow, StudentRow, list[AnswerRow]]]:
    rows = session.execute(
        select(AttemptRow, StudentRow).join(StudentRow, StudentRow.id == AttemptRow.student_id)
        .where(AttemptRow.assignment_id == assignment_id).order_by(StudentRow.display_name, StudentRow.id, AttemptRow.number)
    ).all()
    answers: dict[int, list[AnswerRow]] = defaultdict(list)
    ids = [attempt.id for attempt, _ in rows]
    if ids:
        for answer in session.scalars(select(AnswerRow).where(AnswerRow.attempt_id.in_(ids))):
            answers[answer.attempt_id].append(answer)
    return [(attempt, student, answers[attempt.id]) for attempt, student in rows]


@dataclass(frozen=True)
class _AnswerSummary:
    """What the gradebook needs of a stored answer: ids, whether it was answered and the outcome's totals."""

    id: int
    exercise_id: str
    answered: bool
    outcome: Outcome | None


_OUTCOME = AnswerRow.outcome
_SUMMARY_COLUMNS = (
    AnswerRow.id, AnswerRow.attempt_id, AnswerRow.exercise_id, AnswerRow.response.is_not(None).label("answered"),
    _OUTCOME["exercise_id"].as_string(), _OUTCOME["status"].as_string(), _OUTCOME["earned"].as_string(),
    _OUTCOME["possible"].as_string(), _OUTCOME["counts"], _OUTCOME["review"],
    # a text answer's feedback is a line or two (the reason it was flagged); other types' feedback
    # is as large as the answer and is not read
    case((_OUTCOME["status"].as_string() == "needs_review", _OUTCOME["feedback"]), else_=None).label("feedback"),
)
"""The gradebook's columns: the database extracts the totals from each outcome, so neither the
response nor the outcome's per-span details (both as large as the answer) reach Python."""


def _summaries(session: Session, attempt_ids: list[int]) -> dict[int, list[_AnswerSummary]]:
    found: dict[int, list[_AnswerSummary]] = defaultdict(list)
    if not attempt_ids:
        return found
    for row in session.execute(select(*_SUMMARY_COLUMNS).where(AnswerRow.attempt_id.in_(attempt_ids))):
        answer_id, attempt_id, exercise_id, answered, out_exercise, status, earned, possible, counts, review, feedback = row
        outcome = None
        if status is not None:
            outcome = Outcome.model_validate({"exercise_id": out_exercise, "status": status, "earned": earned, "possible": possible,
                                              "counts": counts, "review": review, "feedback": feedback or []})
        found[attempt_id].append(_AnswerSummary(answer_id, exercise_id, bool(answered), outcome))
    return found


def _graded_attempts(session: Session, assignment_id: int, submitted_only: bool = False,
                     only: Collection[int] | None = None) -> list[tuple[AttemptRow, StudentRow, list[_AnswerSummary]]]:
    """Like :func:`_attempts`, with answer summaries: the cost does not grow with the size of the answers."""
    query = (
        select(AttemptRow, StudentRow).join(StudentRow, StudentRow.id == AttemptRow.student_id)
        .where(AttemptRow.assignment_id == assignment_id).order_by(StudentRow.display_name, StudentRow.id, AttemptRow.number)
    )
    if submitted_only:
        query = query.where(AttemptRow.submitted_at.is_not(None))
    if only is not None:
        query = query.where(AttemptRow.id.in_(list(only)))
    rows = session.execute(query).all()
    answers = _summaries(session, [attempt.id for attempt, _ in rows])
    return [(attempt, student, answers[attempt.id]) for attempt, student in rows]


def _record(attempt: AttemptRow, student: StudentRow, answers: list[_AnswerSummary]) -> GradeRecord:
    outcomes = {a.exercise_id: Outcome.model_validate(a.outcome) for a in answers if a.outcome is not None}
    submitted = attempt.submitted_at.isoformat() if attempt.submitted_at else None
    return GradeRecord(StudentRef(str(student.id), student.display_name), AttemptRef(str(attempt.id), attempt.number, submitted), outcomes)


def submitted_attempts(session: Session, assignment_id: int) -> list[int]:
    """The submitted attempts' ids in the gradebook's order (student name, student, attempt number)."""
    return list(session.scalars(
        select(AttemptRow.id).join(StudentRow, StudentRow.id == AttemptRow.student_id)
        .where(AttemptRow.assignment_id == assignment_id, AttemptRow.submitted_at.is_not(None))
        .order_by(StudentRow.display_name, StudentRow.id, AttemptRow.number)))


def review_marks(session: Session, assignment_id: int) -> dict[int, tuple[int, int]]:
    """For each attempt of the assignment with a reviewed answer: how many reviews and the latest id.

    Counted per attempt, so a review whose id is lower than one already seen (PostgreSQL hands out
    ids before commit, not in commit order) still changes its attempt's mark.
    """
    found = session.execute(
        select(AnswerRow.attempt_id, func.count(ReviewRow.id), func.max(ReviewRow.id))
        .join(ReviewRow, ReviewRow.answer_id == AnswerRow.id).join(AttemptRow, AttemptRow.id == AnswerRow.attempt_id)
        .where(AttemptRow.assignment_id == assignment_id).group_by(AnswerRow.attempt_id))
    return {attempt: (int(count), int(latest)) for attempt, count, latest in found}


def gradebook_rows(session: Session, catalog: Catalog, assignment_id: int, only: Collection[int] | None = None) -> list[GradebookRowOut]:
    """The gradebook's rows: each submitted attempt (or only those of ``only``) with its scores.
    A row changes only on its own submit, review or regrade (``api.store.snapshots`` keeps them)."""
    assignment = get_assignment_row(session, assignment_id)
    bank, quiz = catalog.quiz(assignment.quiz_id)
    exercises = bank.quiz_exercises(quiz.id)
    submitted = _graded_attempts(session, assignment_id, submitted_only=True, only=only)
    records = [_record(a, s, ans) for a, s, ans in submitted]
    rows = build_rows(exercises, records)
    out_rows = []
    for (attempt, student, answers), row, record in zip(submitted, rows, records):
        answer_ids = {a.exercise_id: a.id for a in answers}
        out_rows.append(GradebookRowOut(
            student_id=student.id, display_name=student.display_name, attempt_id=attempt.id, attempt=attempt.number,
            submitted_at=attempt.submitted_at, earned=to_points(row.earned), possible=to_points(row.possible),
            percent=to_points(row.percent), discernment=None if row.discernment is None else round(row.discernment, 3),
            awaiting_review=list(row.awaiting_review),
            exercises={k: ScoreOut(earned=to_points(v.earned), possible=to_points(v.possible), status=v.status, answer_id=answer_ids.get(k),
                                exact=_fraction_text(v.earned), flag=flag_reason(record.outcomes[k]) if k in record.outcomes else None)
                       for k, v in row.exercises.items()},
            skills={k: SkillScoreOut(earned=to_points(e), possible=to_points(p), percent=to_points(100 * e / p) if p else 0.0)
                    for k, (e, p) in row.skills.items()},
        ))
    return out_rows


_ANSWERED = func.sum(case((AnswerRow.response.is_not(None), 1), else_=0))


def gradebook_progress(session: Session, assignment: AssignmentRow) -> tuple[list[InProgressOut], list[StudentOut]]:
    """Who is working (attempts not submitted, with how many exercises they answered) and who has
    not started: two grouped queries that read no answer bodies."""
    working = session.execute(
        select(AttemptRow.id, StudentRow.id, StudentRow.display_name, func.coalesce(_ANSWERED, 0))
        .join(StudentRow, StudentRow.id == AttemptRow.student_id)
        .outerjoin(AnswerRow, AnswerRow.attempt_id == AttemptRow.id)
        .where(AttemptRow.assignment_id == assignment.id, AttemptRow.submitted_at.is_(None))
        .group_by(AttemptRow.id, StudentRow.id, StudentRow.display_name, AttemptRow.number)
        .order_by(StudentRow.display_name, StudentRow.id, AttemptRow.number)
    ).all()
    in_progress = [InProgressOut(student_id=s, display_name=name, attempt_id=a, answered=int(n)) for a, s, name, n in working]
    started = select(AttemptRow.id).where(AttemptRow.assignment_id == assignment.id, AttemptRow.student_id == StudentRow.id)
    waiting = session.scalars(select(StudentRow).where(StudentRow.class_id == assignment.class_id, ~started.exists())
                              .order_by(StudentRow.display_name))
    return in_progress, [student_out(s) for s in waiting]


def gradebook(session: Session, catalog: Catalog, assignment_id: int) -> GradebookOut:
    """Each submitted attempt as a gradebook row; attempts in progress and students not started listed apart."""
    assignment = get_assignment_row(session, assignment_id)
    bank, quiz = catalog.quiz(assignment.quiz_id)
    rows = gradebook_rows(session, catalog, assignment_id)
    in_progress, not_started = gradebook_progress(session, assignment)
    return GradebookOut(assignment=assignment_out(catalog, assignment), exercises=[e.id for e in bank.quiz_exercises(quiz.id)],
                        rows=rows, in_progress=in_progress, not_started=not_started)


def gradebook_as_csv(session: Session, catalog: Catalog, assignment_id: int, layout: str = "plain", time_zone: str = "UTC") -> str:
    """The submitted attempts as CSV: ``plain`` (columns: ``quizzes.gradebook.csv_columns``) or
    ``spreadsheet`` (``quizzes.exports.spreadsheet``: the screen's titles, points, local times, BOM)."""
    assignment = get_assignment_row(session, assignment_id)
    bank, quiz = catalog.quiz(assignment.quiz_id)
    exercises = bank.quiz_exercises(quiz.id)
    records = [_record(a, s, ans) for a, s, ans in _graded_attempts(session, assignment_id) if a.submitted_at is not None]
    rows = build_rows(exercises, records)
    if layout == "spreadsheet":
        try:
            zone = ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            raise InvalidInput("tz", f"unknown time zone {time_zone!r}; use a name such as Europe/Berlin") from None
        return gradebook_spreadsheet(exercises, rows, zone)
    return gradebook_csv(exercises, rows)


def answers_jsonl(session: Session, assignment_id: int) -> str:
    """Each student's latest submitted attempt as JSON Lines, one answer per line, for ``quiz-grade pull``.

    A record is ``{"student", "student_id", "attempt", "submitted_at", "exercise", "response"}``
    (the grading script's input format), plus ``"review"`` when a teacher has reviewed the answer,
    so the script's scores equal the gradebook's, and ``"option_order"`` for a choice or match answer:
    the option (or right-item) ids in the order this attempt showed them. Exercises never answered
    are left out (they score 0).
    """
    get_assignment_row(session, assignment_id)
    latest: dict[int, tuple[AttemptRow, StudentRow, list[AnswerRow]]] = {}
    for attempt, student, answers in _attempts(session, assignment_id):
        if attempt.submitted_at is not None:
            latest[student.id] = (attempt, student, answers)  # attempts come in number order
    lines = []
    for attempt, student, answers in latest.values():
        orders = attempt.option_orders or {}
        for answer in sorted(answers, key=lambda a: attempt.exercise_order.index(a.exercise_id) if a.exercise_id in attempt.exercise_order else 0):
            if answer.response is None:
                continue
            lines.append(json.dumps({
                "student": student.display_name, "student_id": student.id, "attempt": attempt.number,
                "submitted_at": attempt.submitted_at.isoformat() if attempt.submitted_at else None,
                "exercise": answer.exercise_id, "response": answer.response,
                **({"review": answer.outcome["review"]} if answer.outcome and answer.outcome.get("review") else {}),
                **({"option_order": orders[answer.exercise_id]} if answer.exercise_id in orders else {}),
            }, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


_ANALYSIS_COLUMNS = (AnswerRow.attempt_id, AnswerRow.exercise_id, AnswerRow.response, *_SUMMARY_COLUMNS[4:10])
"""An answer's response and its outcome's totals: the item analysis reads no per-span outcome details."""


def _analysis_attempts(session: Session, assignment_id: int, types: dict[str, str],
                       only: Collection[int] | None = None) -> Iterator[tuple[int, dict[str, tuple[Any, Outcome | None]]]]:
    """Each submitted attempt's id and answers, streamed from the database one attempt at a time."""
    submitted = select(AttemptRow.id).where(AttemptRow.assignment_id == assignment_id, AttemptRow.submitted_at.is_not(None))
    if only is not None:
        submitted = submitted.where(AttemptRow.id.in_(list(only)))
    query = (select(*_ANALYSIS_COLUMNS).where(AnswerRow.attempt_id.in_(submitted)).order_by(AnswerRow.attempt_id)
             .execution_options(yield_per=512))
    current: int | None = None
    answers: dict[str, tuple[Any, Outcome | None]] = {}
    for attempt_id, exercise_id, response, out_exercise, status, earned, possible, counts, review in session.execute(query):
        if attempt_id != current:
            if current is not None:
                yield current, answers
            current, answers = attempt_id, {}
        outcome = None if status is None else Outcome.model_validate(
            {"exercise_id": out_exercise, "status": status, "earned": earned, "possible": possible, "counts": counts, "review": review})
        parsed = parse_response(types[exercise_id], response) if response is not None and exercise_id in types else None
        answers[exercise_id] = (parsed, outcome)
    if current is not None:
        yield current, answers


def analysis(session: Session, catalog: Catalog, assignment_id: int) -> Analysis:
    """Item analysis over the submitted attempts (see ``quizzes.analysis.items``), streamed: memory stays
    flat however large the class."""
    assignment = get_assignment_row(session, assignment_id)
    bank, quiz = catalog.quiz(assignment.quiz_id)
    exercises = bank.quiz_exercises(quiz.id)
    return analyse(exercises, bank.pack, (answers for _id, answers in _analysis_attempts(session, assignment_id, {e.id: e.type for e in exercises})))


def analysis_parts(session: Session, catalog: Catalog, assignment_id: int, only: Collection[int] | None = None) -> dict[int, Contribution]:
    """Each submitted attempt's (or only those of ``only``) contribution to the item analysis, by attempt id."""
    assignment = get_assignment_row(session, assignment_id)
    bank, quiz = catalog.quiz(assignment.quiz_id)
    exercises = bank.quiz_exercises(quiz.id)
    resolver = _resolver(bank)
    return {attempt_id: contribution(exercises, bank.pack, answers, resolver)
            for attempt_id, answers in _analysis_attempts(session, assignment_id, {e.id: e.type for e in exercises}, only)}


def combine_parts(catalog: Catalog, assignment: AssignmentRow, parts: Iterable[Contribution]) -> Analysis:
    """The item analysis from attempts' contributions (in any order: the counts add up)."""
    bank, quiz = catalog.quiz(assignment.quiz_id)
    return combine(bank.quiz_exercises(quiz.id), bank.pack, parts)


_RESOLVERS: dict[int, tuple[Bank, SpanResolver]] = {}


def _resolver(bank: Bank) -> SpanResolver:
    """One span resolver per loaded pack: building it folds the whole article."""
    known = _RESOLVERS.get(id(bank))
    if known is None or known[0] is not bank:
        if len(_RESOLVERS) > 32:
            _RESOLVERS.clear()
        known = _RESOLVERS[id(bank)] = (bank, SpanResolver(bank.pack.article.text))
    return known[1]


def _review_out(session: Session, answer: AnswerRow, outcome: Outcome) -> ReviewOut:
    history = session.scalars(select(ReviewRow).where(ReviewRow.answer_id == answer.id).order_by(ReviewRow.id))
    return ReviewOut(
        answer_id=answer.id, exercise_id=answer.exercise_id, status=outcome.status.value,
        earned=_fraction_text(outcome.earned), possible=_fraction_text(outcome.possible),
        history=[ReviewRecordOut(reviewer=r.reviewer, provisional=r.provisional, earned=r.earned, comment=r.comment, created_at=r.created_at) for r in history],
    )


def review_answer(session: Session, answer_id: int, body: ReviewIn, reviewer: str = TEACHER) -> ReviewOut:
    """Confirm or override a provisional score; every review is kept with who (``reviewer``, the
    teacher account's display name), when and the provisional score."""
    answer = session.get(AnswerRow, answer_id)
    if answer is None:
        raise NotFound(f"no answer {answer_id}")
    if answer.outcome is None:
        raise NotReviewable(f"answer {answer_id} belongs to an attempt that has not been submitted")
    outcome = Outcome.model_validate(answer.outcome)
    if outcome.status is not Status.NEEDS_REVIEW and outcome.review is None:
        raise NotReviewable(f"answer {answer_id} was scored automatically ({outcome.status.value})")
    try:
        # a decimal comma ("1,6") is how many teachers type a decimal
        earned = parse_fraction(body.earned.replace(",", ".") if isinstance(body.earned, str) else body.earned)
    except ValueError as error:
        raise InvalidInput("earned", str(error)) from None
    if not 0 <= earned <= outcome.possible:
        raise InvalidInput("earned", f"must lie between 0 and {_fraction_text(outcome.possible)}")
    if len(_fraction_text(earned)) > MAX_FRACTION_TEXT:
        raise InvalidInput("earned", f"has too many digits: a score is kept as a fraction of at most {MAX_FRACTION_TEXT} characters")
    provisional = outcome.provisional if outcome.provisional is not None else outcome.earned
    reviewed = apply_review(outcome, Review(earned=earned, comment=body.comment, reviewer=reviewer))
    answer.outcome = reviewed.model_dump(mode="json")
    session.add(ReviewRow(answer_id=answer.id, reviewer=reviewer, provisional=_fraction_text(provisional), earned=_fraction_text(earned), comment=body.comment))
    attempt = session.get(AttemptRow, answer.attempt_id)
    assignment = session.get(AssignmentRow, attempt.assignment_id) if attempt else None
    audit.record(session, "answer-reviewed", class_id=assignment.class_id if assignment else None, assignment_id=assignment.id if assignment else None,
                 student_id=attempt.student_id if attempt else None, answer_id=answer.id, quiz_id=assignment.quiz_id if assignment else None,
                 provisional=_fraction_text(provisional), earned=_fraction_text(earned))
    session.commit()
    return _review_out(session, answer, reviewed)


def regrade(session: Session, catalog: Catalog, assignment_id: int) -> RegradeOut:
    """Re-read the lesson packs and rescore every stored answer of submitted attempts.

    Each answer's old and new score and scoring version are recorded. A teacher's review stays in
    force: it is applied again to the new provisional score.
    """
    assignment: AssignmentRow = get_assignment_row(session, assignment_id)
    catalog.reload()
    bank, _quiz = catalog.quiz(assignment.quiz_id)
    regrade_row = RegradeRow(assignment_id=assignment_id)
    session.add(regrade_row)
    session.flush()
    entries = []
    for attempt, _student, answers in _attempts(session, assignment_id):
        if attempt.submitted_at is None:
            continue
        for answer in answers:
            if answer.outcome is None or answer.exercise_id not in bank.exercises:
                continue
            old = Outcome.model_validate(answer.outcome)
            new = score_stored(bank, bank.exercises[answer.exercise_id], answer.response)
            if old.review is not None:
                new = apply_review(new, old.review)
            answer.outcome = new.model_dump(mode="json")
            entry = RegradeEntryRow(regrade_id=regrade_row.id, answer_id=answer.id, old_earned=_fraction_text(old.earned),
                                    new_earned=_fraction_text(new.earned), old_version=old.scoring_version, new_version=new.scoring_version)
            session.add(entry)
            entries.append(RegradeEntryOut(answer_id=answer.id, attempt_id=attempt.id, exercise_id=answer.exercise_id,
                                           old_earned=entry.old_earned, new_earned=entry.new_earned,
                                           old_version=entry.old_version, new_version=entry.new_version))
    audit.record(session, "assignment-regraded", klass=session.get(ClassRow, assignment.class_id), assignment_id=assignment_id, quiz_id=assignment.quiz_id,
                 answers=len(entries), changed=sum(e.old_earned != e.new_earned for e in entries))
    session.commit()
    return RegradeOut(regrade_id=regrade_row.id, assignment_id=assignment_id, created_at=regrade_row.created_at,
                      changed=sum(e.old_earned != e.new_earned for e in entries), entries=entries)
