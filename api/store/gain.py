"""Learning gain of a class between its pre-check and post-check assignments (``quizzes.analysis.gain``).

Each student's latest submitted attempt on each listed assignment counts; with counterbalanced forms
the teacher lists both form-A and form-B assignments on each side, and each student is paired with
the one they took.
"""

from __future__ import annotations

from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.catalog import Catalog
from api.errors import InvalidInput
from api.schemas import DiscernmentOut, GainOut, SkillGainOut, StudentGainOut
from api.store.classes import get_class_row
from api.store.tables import AnswerRow, AssignmentRow, AttemptRow, StudentRow
from quizzes.analysis.gain import ClassGain, SkillGain, learning_gain
from quizzes.analysis.gain_report import render_gain_svg
from quizzes.outcome import Discernment, Outcome

__all__ = ["class_gain", "class_gain_svg"]


def _latest_outcomes(session: Session, assignment_id: int) -> dict[int, list[Outcome]]:
    attempts = session.execute(
        select(AttemptRow).where(AttemptRow.assignment_id == assignment_id, AttemptRow.submitted_at.is_not(None))
        .order_by(AttemptRow.number)
    ).scalars().all()
    latest = {attempt.student_id: attempt for attempt in attempts}
    outcomes: dict[int, list[Outcome]] = {student: [] for student in latest}
    by_attempt = {attempt.id: attempt.student_id for attempt in latest.values()}
    if by_attempt:
        for answer in session.scalars(select(AnswerRow).where(AnswerRow.attempt_id.in_(list(by_attempt)))):
            if answer.outcome is not None:
                outcomes[by_attempt[answer.attempt_id]].append(Outcome.model_validate(answer.outcome))
    return outcomes


def _side(session: Session, catalog: Catalog, class_id: int, ids: list[int], name: str,
          skill_of: dict[str, str]) -> dict[str, list[Outcome]]:
    chosen: dict[str, list[Outcome]] = {}
    for assignment_id in ids:
        # One answer for an id of another class and for no id at all: another teacher's
        # assignment ids must not be told apart from unknown ones.
        row = session.get(AssignmentRow, assignment_id)
        if row is None or row.class_id != class_id:
            raise InvalidInput(name, f"assignment {assignment_id} is not one of this class's assignments (it belongs to another class, or there is none)")
        bank, quiz = catalog.quiz(row.quiz_id)
        skill_of.update({e.id: e.skill.value for e in bank.quiz_exercises(quiz.id)})
        for student, outcomes in _latest_outcomes(session, assignment_id).items():
            if len(outcomes) >= len(chosen.get(str(student), [])):
                chosen[str(student)] = outcomes
    return chosen


def _compute(session: Session, catalog: Catalog, class_id: int, pre: list[int], post: list[int]) -> ClassGain:
    get_class_row(session, class_id)
    skill_of: dict[str, str] = {}
    before = _side(session, catalog, class_id, pre, "pre", skill_of)
    after = _side(session, catalog, class_id, post, "post", skill_of)
    return learning_gain(before, after, skill_of)


def _pct(value: Fraction) -> float:
    return round(float(value) * 100, 2)


def _skill(gain: SkillGain) -> SkillGainOut:
    g = gain.normalised
    return SkillGainOut(before=_pct(gain.pre), after=_pct(gain.post), raw_gain=_pct(gain.raw),
                        normalised_gain=None if g is None else round(float(g), 3))


def _discernment(d: Discernment | None) -> DiscernmentOut | None:
    if d is None:
        return None
    return DiscernmentOut(hits=d.hits, misses=d.misses, false_alarms=d.false_alarms, balanced_accuracy=round(float(d.balanced_accuracy), 3))


def _names(session: Session, ids: tuple[str, ...] | list[str]) -> dict[str, str]:
    rows = session.scalars(select(StudentRow).where(StudentRow.id.in_([int(i) for i in ids]))) if ids else []
    return {str(row.id): row.display_name for row in rows}


def class_gain(session: Session, catalog: Catalog, class_id: int, pre: list[int], post: list[int]) -> GainOut:
    result = _compute(session, catalog, class_id, pre, post)
    names = _names(session, [s.student for s in result.students] + list(result.only_pre) + list(result.only_post))
    return GainOut(
        pre_assignments=pre, post_assignments=post, paired=len(result.students),
        skills={skill: _skill(g) for skill, g in result.by_skill.items()},
        discernment_before=_discernment(result.discernment_pre), discernment_after=_discernment(result.discernment_post),
        students=sorted((StudentGainOut(student_id=int(s.student), display_name=names.get(s.student, s.student),
                                        skills={k: _skill(v) for k, v in s.by_skill.items()}) for s in result.students),
                        key=lambda s: s.display_name),
        only_before=sorted(names.get(s, s) for s in result.only_pre),
        only_after=sorted(names.get(s, s) for s in result.only_post),
    )


def class_gain_svg(session: Session, catalog: Catalog, class_id: int, pre: list[int], post: list[int]) -> str:
    result = _compute(session, catalog, class_id, pre, post)
    return render_gain_svg(result, "before", "after")
