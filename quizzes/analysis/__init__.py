"""What a class's results say, computed from outcomes (pure): item analysis (:mod:`.items`: difficulty,
discrimination, distractors), the class debrief (:mod:`.debrief`), learning gain between a pre- and a
post-check (:mod:`.gain`) and its Markdown and SVG report (:mod:`.gain_report`), shared by the API and
``quiz-grade gain``.
"""

__all__: list[str] = []
