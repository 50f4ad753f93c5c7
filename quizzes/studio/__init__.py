"""The studio: a teacher turns a new text into a lesson pack (import, suggestions, packing).

Importing, suggesting, packing and previewing are pure: bytes and strings in, values out. Apart from
its own shipped data (the default lexicon and glossary), files are read and written in
:mod:`.storing` only (a pack folder, staged and moved into place); the API decides where.
"""

__all__: list[str] = []
