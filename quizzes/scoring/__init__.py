"""The scoring engine: ``score(exercise, response, pack) -> Outcome``, pure and deterministic.

No files, clock, randomness or logging below :func:`score`: values in, values out. The pack is an
argument (span answers are resolved against its text, annotation and glossary). Key structures
compiled from an exercise, and the outcomes of answers already seen, are memoised by object
identity and answer value (:mod:`quizzes.scoring.memo`, bounded), which changes speed, never results.

Every outcome has ``earned`` and ``possible`` as exact fractions in the exercise's points, a status
(``correct``, ``partial``, ``incorrect``, ``invalid``, ``needs_review``), its parts, feedback already
cut down to the exercise's feedback policy (:mod:`quizzes.scoring.feedback_policy`), span counts for discernment,
an optional certainty-based mark and ``scoring_version``. The rules per type are documented in the
type's module and in ``docs/scoring.md``.
"""

from __future__ import annotations

from typing import assert_never

from lesson.bundle import LessonPack
from quizzes.exercises import (
    AttributionRolesExercise,
    Exercise,
    HighlightExercise,
    LabelSpansExercise,
    MatchExercise,
    MultiChoiceExercise,
    RewriteExercise,
    ShortAnswerExercise,
    SingleChoiceExercise,
)
from quizzes.scoring.feedback_policy import apply_feedback_policy
from quizzes.outcome import Outcome, Status
from quizzes.responses import (
    AttributionRolesResponse,
    HighlightResponse,
    LabelSpansResponse,
    MatchResponse,
    MultiChoiceResponse,
    Response,
    RewriteResponse,
    ShortAnswerResponse,
    SingleChoiceResponse,
)
from quizzes.scoring.certainty import certainty_mark
from quizzes.scoring.choice import score_multi_choice, score_single_choice
from quizzes.scoring.common import invalid_outcome
from quizzes.scoring.matching import score_match
from quizzes.scoring.memo import memoised, remembered
from quizzes.scoring.roles import score_attribution_roles
from quizzes.scoring.spans import score_highlight, score_label_spans
from quizzes.scoring.rewrite import score_rewrite
from quizzes.scoring.short_answer import score_short_answer

__all__ = ["score", "score_unfiltered", "score_unremembered"]


def _answer_key(response: Response) -> object:
    """A hashable value, equal for responses that must get the same outcome (``match`` pairs are a
    dict, so sorted into a tuple; a ``multi_choice`` outcome depends on the set of choices only)."""
    if isinstance(response, MatchResponse):
        return ("match", tuple(sorted(response.pairs.items())), response.certainty)
    if isinstance(response, MultiChoiceResponse):  # its outcome depends on the set of choices only
        return ("multi", tuple(sorted(set(response.choices))), response.certainty)
    return response


_TABULATED = (SingleChoiceExercise, MultiChoiceExercise)
_TABLE_LIMIT = 1024


def _tabulated(exercise: Exercise, response: Response, pack: LessonPack, cut: bool) -> Outcome:
    """Choice exercises have a small, finite answer space (options x certainty): their outcomes are
    tabulated per exercise as answers arrive, like a compiled key, and never recomputed."""
    table: dict[tuple[bool, object], Outcome] = memoised("choice-table", exercise, pack, lambda _e, _p: {})
    slot = (cut, _answer_key(response))
    outcome = table.get(slot)
    if outcome is None:
        outcome = _score_unfiltered(exercise, response, pack)
        if cut:
            outcome = apply_feedback_policy(outcome, exercise.feedback_policy)
        if len(table) >= _TABLE_LIMIT:
            table.clear()
        table[slot] = outcome
    return outcome


def score_unfiltered(exercise: Exercise, response: Response, pack: LessonPack) -> Outcome:
    """Score with every detail, before the feedback policy: for grading and teachers, never students."""
    if isinstance(exercise, _TABULATED):
        return _tabulated(exercise, response, pack, cut=False)
    return remembered("raw", exercise, pack, _answer_key(response), lambda: _score_unfiltered(exercise, response, pack))


def score(exercise: Exercise, response: Response, pack: LessonPack) -> Outcome:
    """Score one response to one exercise of ``pack``; feedback limited to the exercise's policy."""
    if isinstance(exercise, _TABULATED):
        return _tabulated(exercise, response, pack, cut=True)
    return remembered(
        "cut",
        exercise,
        pack,
        _answer_key(response),
        lambda: apply_feedback_policy(_score_unfiltered(exercise, response, pack), exercise.feedback_policy),
    )


def score_unremembered(exercise: Exercise, response: Response, pack: LessonPack) -> Outcome:
    """:func:`score` without the engine's outcome memo, for a caller that keeps its own cache of
    outcomes (the grading script): the same outcome, without hashing the response and storing it
    where, with a class's distinct answers, it would never be found again."""
    if isinstance(exercise, _TABULATED):
        return _tabulated(exercise, response, pack, cut=True)
    return apply_feedback_policy(_score_unfiltered(exercise, response, pack), exercise.feedback_policy)


def _score_unfiltered(exercise: Exercise, response: Response, pack: LessonPack) -> Outcome:
    if response.type != exercise.type:
        return invalid_outcome(
            exercise.id, exercise.points, [f"A {response.type} answer does not answer a {exercise.type} exercise."]
        )
    outcome = _dispatch(exercise, response, pack)
    if response.certainty is not None and outcome.status is not Status.INVALID:
        mark = certainty_mark(response.certainty, outcome.earned, outcome.possible)
        outcome = outcome.model_copy(update={"certainty": mark})
    return outcome


def _dispatch(exercise: Exercise, response: Response, pack: LessonPack) -> Outcome:
    # The response type equals the exercise type here; the isinstance pairs let a type checker see it.
    match exercise:
        case HighlightExercise():
            assert isinstance(response, HighlightResponse)
            return score_highlight(exercise, response, pack)
        case LabelSpansExercise():
            assert isinstance(response, LabelSpansResponse)
            return score_label_spans(exercise, response, pack)
        case SingleChoiceExercise():
            assert isinstance(response, SingleChoiceResponse)
            return score_single_choice(exercise, response)
        case MultiChoiceExercise():
            assert isinstance(response, MultiChoiceResponse)
            return score_multi_choice(exercise, response)
        case MatchExercise():
            assert isinstance(response, MatchResponse)
            return score_match(exercise, response)
        case AttributionRolesExercise():
            assert isinstance(response, AttributionRolesResponse)
            return score_attribution_roles(exercise, response, pack)
        case ShortAnswerExercise():
            assert isinstance(response, ShortAnswerResponse)
            return score_short_answer(exercise, response)
        case RewriteExercise():
            assert isinstance(response, RewriteResponse)
            return score_rewrite(exercise, response, pack)
        case _:
            assert_never(exercise)
