"""match: proportional and all-or-nothing policies; correct, incorrect, invalid."""

from __future__ import annotations

from fractions import Fraction

from quizzes.exercises import MatchExercise, MatchItem
from quizzes.outcome import FeedbackKind, Status
from quizzes.responses import MatchResponse
from quizzes.scoring import memo, score
from tests.quizzes.scoring.support import PACK


def match(policy: str = "proportional") -> MatchExercise:
    return MatchExercise(
        id="x", skill="attribution", title="t", prompt="p", scope=("b1",), points=3, policy=policy,
        left=tuple(MatchItem(id=f"l{i}", text=f"claim {i}") for i in (1, 2, 3)),
        right=tuple(MatchItem(id=f"r{i}", text=f"source {i}") for i in (1, 2, 3)),
        pairs={"l1": "r1", "l2": "r2", "l3": "r3"},
        feedback={"l2": "Claim 2 names its source."},
    )


def test_match_all_pairs_right_is_correct():
    outcome = score(match(), MatchResponse(pairs={"l1": "r1", "l2": "r2", "l3": "r3"}), PACK)
    assert (outcome.status, outcome.earned) == (Status.CORRECT, 3)


def test_match_proportional_gives_the_share_of_right_pairs():
    outcome = score(match(), MatchResponse(pairs={"l1": "r1", "l2": "r3", "l3": "r2"}), PACK)
    assert (outcome.status, outcome.earned) == (Status.PARTIAL, 1)
    assert [p.earned for p in outcome.parts] == [1, 0, 0]
    assert any("Claim 2 names its source." in f.message for f in outcome.feedback if f.kind is FeedbackKind.PAIR)


def test_match_all_or_nothing_gives_nothing_for_two_of_three():
    outcome = score(match("all_or_nothing"), MatchResponse(pairs={"l1": "r1", "l2": "r2", "l3": "r1"}), PACK)
    assert (outcome.status, outcome.earned) == (Status.INCORRECT, 0)
    assert "only when every pair is correct" in outcome.feedback[0].message


def test_match_unpaired_items_count_as_wrong():
    outcome = score(match(), MatchResponse(pairs={"l1": "r1"}), PACK)
    assert outcome.earned == 1
    assert score(match(), MatchResponse(), PACK).earned == 0


def test_match_unknown_ids_are_invalid():
    outcome = score(match(), MatchResponse(pairs={"l9": "r1", "l1": "r9"}), PACK)
    assert outcome.status is Status.INVALID
    assert {f.message for f in outcome.feedback} == {
        "There is no left item 'l9' in this exercise.", "There is no right item 'r9' in this exercise.",
    }
    partly = score(match(), MatchResponse(pairs={"l1": "r1", "l2": "r9"}), PACK)
    assert partly.earned == Fraction(1) and partly.status is Status.PARTIAL


def test_match_order_of_pairs_does_not_matter():
    a = score(match(), MatchResponse(pairs={"l2": "r9", "l1": "r1", "l0": "r1"}), PACK)
    memo.clear()  # score afresh: a remembered outcome would hide an order dependence
    b = score(match(), MatchResponse(pairs={"l0": "r1", "l1": "r1", "l2": "r9"}), PACK)
    assert a == b
