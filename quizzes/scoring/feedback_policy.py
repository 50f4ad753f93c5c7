"""Applying an exercise's feedback policy: an outcome never carries more than the policy allows.

The API sends outcomes to students as they are, so the policy is enforced here, once, on every
outcome that :func:`quizzes.scoring.score` returns. What each named policy keeps:

============  =====================================================================================
``full``      everything: parts, every feedback item (found, missed and extra spans with their
              rationales, foil feedback, option and pair feedback, criteria), counts and measures
``summary``   the score, the status, counts and span measures, the ``summary`` feedback item and
              ``invalid`` items (they only describe the student's own input); no parts, nothing
              anchored to a key span, no rationale
``none``      the score and the status only (plus the certainty mark and review, which describe
              the student's own answer): no parts, feedback, counts or measures
============  =====================================================================================
"""

from __future__ import annotations

from typing import assert_never

from quizzes.exercises import FeedbackPolicy
from quizzes.outcome import FeedbackKind, Outcome

__all__ = ["SUMMARY_KINDS", "apply_feedback_policy"]

SUMMARY_KINDS = frozenset({FeedbackKind.SUMMARY, FeedbackKind.INVALID})
"""Feedback kinds a ``summary`` policy lets through."""


def apply_feedback_policy(outcome: Outcome, policy: FeedbackPolicy) -> Outcome:
    """Strip ``outcome`` down to what ``policy`` allows (pure; ``full`` returns it unchanged)."""
    match policy:
        case FeedbackPolicy.FULL:
            return outcome
        case FeedbackPolicy.SUMMARY:
            return outcome.model_copy(
                update={"parts": (), "feedback": tuple(f for f in outcome.feedback if f.kind in SUMMARY_KINDS)}
            )
        case FeedbackPolicy.NONE:
            return outcome.model_copy(update={"parts": (), "feedback": (), "counts": None, "measures": None})
        case _:
            assert_never(policy)
