"""Student views of text outcomes: no provisional verdict, a self-check in practice."""

from __future__ import annotations

from quizzes.exercises import FeedbackPolicy
from quizzes.loading import load_shipped_banks
from quizzes.outcome import Review
from quizzes.responses import RewriteResponse, ShortAnswerResponse
from quizzes.scoring.review import apply_review
from quizzes.scoring import score
from quizzes.views import WAITING_FOR_TEACHER, is_assessed, outcome_view, practice_outcome_view

BANK = next(iter(load_shipped_banks().values()))


def test_an_unreviewed_text_outcome_shows_no_score_and_no_criteria():
    exercise = BANK.exercises["fun-14"]
    outcome = score(exercise, ShortAnswerResponse(text=exercise.model_answer), BANK.pack)
    view = outcome_view(outcome, exercise.feedback_policy)
    assert view.earned is None and view.waiting_for_teacher
    assert [f.message for f in view.feedback] == [WAITING_FOR_TEACHER]
    reviewed = outcome_view(apply_review(outcome, Review(earned=outcome.possible, comment="Good")), exercise.feedback_policy)
    assert reviewed.earned == 2 and not reviewed.waiting_for_teacher and reviewed.review_comment == "Good"


def test_practice_gives_the_rubric_and_the_model_answer_only_outside_assessments():
    practice, final = BANK.exercises["fun-14"], BANK.exercises["fun-09"]
    assert not is_assessed(BANK, practice.id) and is_assessed(BANK, final.id)
    view = practice_outcome_view(score(practice, ShortAnswerResponse(text="Some words here."), BANK.pack), practice, BANK.pack, assessed=False)
    assert view.earned is None and view.self_check is not None
    assert view.self_check.checklist == [c.description for c in practice.rubric.criteria]
    assert view.self_check.example_answer == practice.model_answer
    hidden = practice_outcome_view(score(final, ShortAnswerResponse(text="Some words here."), BANK.pack), final, BANK.pack, assessed=True)
    assert hidden.self_check is not None and hidden.self_check.example_answer is None and hidden.self_check.checklist


def test_practice_under_policy_none_gives_neither_rubric_nor_example():
    exercise = BANK.exercises["frm-16"].model_copy(update={"feedback_policy": FeedbackPolicy.NONE})
    view = practice_outcome_view(score(exercise, RewriteResponse(text="Russia."), BANK.pack), exercise, BANK.pack, assessed=False)
    assert view.self_check is not None and view.self_check.checklist == [] and view.self_check.example_answer is None
