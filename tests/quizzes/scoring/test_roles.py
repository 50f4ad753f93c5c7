"""attribution_roles: each role by overlap, combined with the exercise's weights.

Claim (paragraph b2): "The mayor said the bridge is safe." Source "The mayor" (9 code points),
cue "said", content "the bridge is safe".
"""

from __future__ import annotations

from fractions import Fraction

from quizzes.exercises import RoleWeights
from quizzes.outcome import Status
from quizzes.responses import AttributionRolesResponse, SpanAnswer
from quizzes.scoring import score
from tests.quizzes.scoring.builders import build_pack
from tests.quizzes.scoring.support import PACK, roles


def answer(source: str | None = None, cue: str | None = None, content: str | None = None) -> AttributionRolesResponse:
    def sel(q: str | None) -> SpanAnswer | None:
        return None if q is None else SpanAnswer(exact=q)

    return AttributionRolesResponse(source=sel(source), cue=sel(cue), content=sel(content))


def test_roles_all_exact_is_correct():
    outcome = score(roles(), answer("The mayor", "said", "the bridge is safe."), PACK)
    assert (outcome.status, outcome.earned) == (Status.CORRECT, 1)
    assert outcome.counts.hits == 3


def test_roles_hand_vector_partial_source():
    # source "mayor": P = 5/5, R = 5/9, F1 = 5/7; cue 1; content 1; (5/7 + 1 + 1) / 3 = 19/21.
    outcome = score(roles(), answer("mayor", "said", "the bridge is safe"), PACK)
    assert outcome.earned == Fraction(19, 21)
    assert [(p.id, p.earned) for p in outcome.parts] == [("source", Fraction(5, 21)), ("cue", Fraction(1, 3)), ("content", Fraction(1, 3))]


def test_roles_weights_come_from_the_exercise():
    exercise = roles(weights=RoleWeights(source=Fraction(1, 2), cue=Fraction(0), content=Fraction(1, 2)), points=2)
    outcome = score(exercise, answer("The mayor", None, "the bridge is safe"), PACK)
    assert outcome.earned == 2


def test_roles_swapped_source_and_content_earn_nothing_for_them():
    outcome = score(roles(), answer("the bridge is safe", "said", "The mayor"), PACK)
    assert outcome.earned == Fraction(1, 3)
    assert outcome.counts.misses == 2 and outcome.counts.false_alarms == 0


def test_roles_empty_answer_is_zero():
    outcome = score(roles(), AttributionRolesResponse(), PACK)
    assert (outcome.status, outcome.earned) == (Status.INCORRECT, 0)


def test_roles_marking_the_whole_scope_as_every_role_scores_at_most_a_fifth():
    whole = "The mayor said the bridge is safe."
    outcome = score(roles(), answer(whole, whole, whole), PACK)
    assert outcome.earned <= Fraction(1, 5)


def test_roles_unresolvable_span_is_invalid():
    outcome = score(roles(), answer(content="the tunnel is safe"), PACK)
    assert outcome.status is Status.INVALID and "does not occur" in outcome.feedback[0].message
    partly = score(roles(), answer("The mayor", "whispered", None), PACK)
    assert partly.status is Status.PARTIAL and partly.earned == Fraction(1, 3)


def test_roles_missing_source_in_key_must_be_left_empty():
    pack = build_pack(
        [dict(item_id="att-all", quote="Everyone knows the bridge is safe.", labels=("vague_source",), skill="attribution",
              roles={"source": None, "cue": "knows", "content": "the bridge is safe"})],
        ("Heading", "Everyone knows the bridge is safe."),
    )
    exercise = roles(claim="att-all", scope=("b1",))
    assert score(exercise, answer(None, "knows", "the bridge is safe"), pack).earned == 1
    marked = score(exercise, answer("Everyone", "knows", "the bridge is safe"), pack)
    assert marked.earned == Fraction(2, 3) and marked.counts.false_alarms == 1
