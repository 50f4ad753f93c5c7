"""The feedback policy: an outcome never carries more than its exercise's policy allows."""

from __future__ import annotations

from quizzes.exercises import FeedbackPolicy
from quizzes.scoring.feedback_policy import SUMMARY_KINDS, apply_feedback_policy
from quizzes.outcome import FeedbackKind
from quizzes.responses import HighlightResponse, SpanAnswer
from quizzes.scoring import score, score_unfiltered
from tests.quizzes.scoring.support import PACK, highlight, quotes

# a rich answer: found, missed (none), a foil, an extra mark and an invalid span
RICH = HighlightResponse(spans=quotes("regime", "calm", "town").spans + (SpanAnswer(exact="not in the text"),))


def test_full_policy_keeps_rationales_foils_and_parts():
    outcome = score(highlight(feedback_policy="full"), RICH, PACK)
    kinds = {f.kind for f in outcome.feedback}
    assert {FeedbackKind.FOUND, FeedbackKind.MISSED, FeedbackKind.FOIL, FeedbackKind.EXTRA, FeedbackKind.INVALID} <= kinds
    assert outcome.parts and outcome.counts and outcome.measures


def test_summary_policy_keeps_counts_only():
    outcome = score(highlight(feedback_policy="summary"), RICH, PACK)
    assert {f.kind for f in outcome.feedback} == {FeedbackKind.SUMMARY, FeedbackKind.INVALID}
    assert outcome.parts == ()
    assert outcome.counts.foils_marked == 1 and outcome.measures is not None
    assert not any(f.item_id or f.start is not None for f in outcome.feedback)
    assert "Rationale" not in " ".join(f.message for f in outcome.feedback)


def test_none_policy_keeps_the_score_only():
    full = score(highlight(), RICH, PACK)
    outcome = score(highlight(feedback_policy="none"), RICH, PACK)
    assert (outcome.feedback, outcome.parts, outcome.counts, outcome.measures) == ((), (), None, None)
    assert (outcome.earned, outcome.possible, outcome.status) == (full.earned, full.possible, full.status)


def test_policy_never_adds_anything():
    raw = score_unfiltered(highlight(), RICH, PACK)
    for policy in FeedbackPolicy:
        cut = apply_feedback_policy(raw, policy)
        assert set(cut.feedback) <= set(raw.feedback)
        assert set(cut.parts) <= set(raw.parts)


def test_summary_kinds_describe_no_key():
    assert SUMMARY_KINDS == {FeedbackKind.SUMMARY, FeedbackKind.INVALID}
