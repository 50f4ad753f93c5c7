"""The master key in the SemEval propaganda-technique formats, so research tools can score it.

Three forms, all from key items (foils are not techniques and never appear):

- ``tsv``: SemEval-2020 Task 11 technique-classification gold format, one span per line,
  ``article_id<TAB>technique<TAB>start<TAB>end`` with character offsets (code points, half-open)
  into the article file. Save ``article.txt`` as ``article<article_id>.txt`` beside it for the
  task's scorer.
- ``json``: SemEval-2021 Task 6 subtask 2 form, ``[{"id", "text", "labels": [{"start", "end",
  "technique", "text_fragment"}]}]`` with the whole article as ``text``.
- ``paragraphs``: SemEval-2023 Task 3 subtask 3 form, ``article_id<TAB>line<TAB>label,label,...``
  for every non-empty line (1-based line number in ``article.txt``), labels of the key spans that
  start in that line (empty when none).

``technique`` is the glossary entry's ``semeval_label`` (SemEval-2023 Task 3 names, Reductio ad
Hitlerum from 2020 Task 11). Items none of whose labels has one are skipped and listed in
``SemevalKey.skipped``. An item with two SemEval labels gives one span per label, as the tasks do.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Iterable

from lesson.bundle import LessonPack

__all__ = ["SemevalSpan", "SemevalKey", "semeval_key", "write_tsv", "read_tsv", "write_json", "write_paragraphs"]


@dataclass(frozen=True, slots=True, order=True)
class SemevalSpan:
    start: int
    end: int
    technique: str
    item_id: str


@dataclass(frozen=True, slots=True)
class SemevalKey:
    """The spans (sorted by offset) and, per skipped item, why it was left out."""

    article_id: str
    spans: tuple[SemevalSpan, ...]
    skipped: tuple[str, ...]


def semeval_key(pack: LessonPack, item_ids: Iterable[str] | None = None, article_id: str | None = None) -> SemevalKey:
    """The key items of ``pack`` (or only ``item_ids``) with their SemEval labels.

    ``article_id`` defaults to the pack id. Unknown ``item_ids`` raise ``KeyError``.
    """
    wanted = None if item_ids is None else {pack.annotation.get(i).id for i in item_ids}
    spans: list[SemevalSpan] = []
    skipped: list[str] = []
    for item in pack.annotation.items:
        if item.is_foil or (wanted is not None and item.id not in wanted):
            continue
        labels = [pack.glossary.get(label).semeval_label for label in item.labels]
        techniques = list(dict.fromkeys(label for label in labels if label))
        if not techniques:
            skipped.append(f"{item.id} ({', '.join(item.labels)}): no SemEval label")
            continue
        spans.extend(SemevalSpan(item.start, item.end, technique, item.id) for technique in techniques)
    return SemevalKey(article_id or pack.id, tuple(sorted(spans)), tuple(skipped))


def write_tsv(key: SemevalKey) -> str:
    """The 2020 Task 11 TSV (no header), lines ending ``\\n``."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    for span in key.spans:
        writer.writerow([key.article_id, span.technique, span.start, span.end])
    return out.getvalue()


def read_tsv(text: str) -> list[tuple[str, str, int, int]]:
    """Parse a 2020 Task 11 TSV into ``(article_id, technique, start, end)``; raises ``ValueError`` naming the line."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 4:
            raise ValueError(f"line {number}: expected 4 tab-separated columns, found {len(cells)}")
        article, technique, start, end = cells
        try:
            begin, finish = int(start), int(end)
        except ValueError:
            raise ValueError(f"line {number}: start and end must be whole numbers, got {start!r} and {end!r}") from None
        if not 0 <= begin < finish:
            raise ValueError(f"line {number}: need 0 <= start < end, got {begin} and {finish}")
        rows.append((article, technique, begin, finish))
    return rows


def write_json(key: SemevalKey, pack: LessonPack) -> str:
    """The 2021 Task 6 (subtask 2) JSON: one record for the article with every labelled fragment."""
    text = pack.article.text
    labels = [
        {"start": s.start, "end": s.end, "technique": s.technique, "text_fragment": text[s.start : s.end]} for s in key.spans
    ]
    return json.dumps([{"id": key.article_id, "text": text, "labels": labels}], ensure_ascii=False, indent=1) + "\n"


def write_paragraphs(key: SemevalKey, pack: LessonPack) -> str:
    """The 2023 Task 3 (subtask 3) paragraph labels: ``article_id, line, labels`` per non-empty line."""
    text = pack.article.text
    lines = []
    for block in pack.article.blocks:
        number = text.count("\n", 0, block.start) + 1
        inside = dict.fromkeys(s.technique for s in key.spans if block.start <= s.start < block.end)
        lines.append(f"{key.article_id}\t{number}\t{','.join(inside)}")
    return "\n".join(lines) + "\n"
