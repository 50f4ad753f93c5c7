"""``quiz-grade``, the grading script: an application built on the quiz domain, which never imports it.

Reading a class's answer file (:mod:`.reading` for JSON Lines, :mod:`.csv` for spreadsheets) into
:class:`quizzes.records.AnswerRecord` s, grading them into a class's grades (:mod:`.grading`, in
worker processes for a large file: :mod:`.parallel`, :mod:`.forking`), fetching them from a running
server (:mod:`.pulling`), the teacher's report (:mod:`.reports`), atomic output files
(:mod:`.atomic`), and the command itself (:mod:`.cli`; :mod:`.shared` holds its exit codes).
"""

__all__: list[str] = []
