"""A teacher's review of an outcome: pure, and the engine's provisional score is kept beside it.

``apply_review(outcome, review)`` returns a new outcome whose ``earned`` is the teacher's, whose
status follows from it (``correct`` / ``partial`` / ``incorrect``), whose ``review`` records the
decision and whose ``provisional`` still holds what the engine proposed. Any outcome may be
reviewed (a regrade re-applies an earlier review to a fresh score); an outcome without a
provisional score keeps its automatic score as the provisional one. Reviewing again replaces the
review, never the provisional score. A certainty mark is recomputed from the reviewed score.
"""

from __future__ import annotations

from lesson.errors import MedialitError
from quizzes.outcome import Outcome, Review
from quizzes.scoring.certainty import certainty_mark
from quizzes.scoring.common import status_for

__all__ = ["ReviewOutOfRange", "apply_review"]


class ReviewOutOfRange(MedialitError, ValueError):
    """The reviewed score lies outside ``[0, possible]``."""

    slug = "review-out-of-range"
    title = "A reviewed score must lie between 0 and the exercise's points."


def apply_review(outcome: Outcome, review: Review) -> Outcome:
    """Make ``review.earned`` (in the exercise's points, ``0..possible``) the final score of ``outcome``."""
    if not 0 <= review.earned <= outcome.possible:
        raise ReviewOutOfRange(f"reviewed score {review.earned} is not between 0 and {outcome.possible}")
    provisional = outcome.provisional if outcome.provisional is not None else outcome.earned
    update = {
        "earned": review.earned,
        "status": status_for(review.earned, outcome.possible),
        "review": review,
        "provisional": provisional,
    }
    if outcome.certainty is not None:
        update["certainty"] = certainty_mark(outcome.certainty.certainty, review.earned, outcome.possible)
    return outcome.model_copy(update=update)
