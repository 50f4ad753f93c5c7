"""The pack author's application: the ``medialit`` authoring commands (``lint``, ``anchor``,
``export``, ``print``) in :mod:`.cli`, which ``api.commands`` extends with the server's commands.

The checks ``lint`` reports run whenever a pack loads, so they are domain code in
:mod:`quizzes.checks`; this package only calls them. Nothing in the domain imports it.
"""

__all__: list[str] = []
