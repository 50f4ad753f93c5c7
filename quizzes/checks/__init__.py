"""Authoring checks the loader runs on every pack, so a mistake fails when the pack loads, not when a
student answers: a bank consistent with its lesson pack (:mod:`.bank`) and the option cues a test-wise
student could use without reading (:mod:`.cues`). ``medialit lint`` (:mod:`quizzes.authoring.cli`)
prints them for the author.
"""

__all__: list[str] = []
