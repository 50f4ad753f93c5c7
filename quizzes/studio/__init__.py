"""The studio: a teacher turns a new text into a lesson pack (import, suggestions, packing).

Pure like the rest of ``quizzes``: bytes and strings in, values out. The API stores the packs.
"""

__all__: list[str] = []
