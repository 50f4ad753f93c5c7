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

``technique`` is the name in the **official** inventory of the task the form belongs to (2020
Task 11 for ``tsv``, 2021 Task 6 for ``json``, 2023 Task 3 for ``paragraphs``), mapped from the
glossary entry's ``semeval_label`` (a SemEval-2023 Task 3 name, or 2020's ``Reductio_ad_hitlerum``)
through one table per task (:data:`TO_TASK`); the scorers reject any other name. A label a task has
no name for is left out of that task's file, and items none of whose labels map are skipped and
listed in ``SemevalKey.skipped``. An item with two names gives one span per name, as the tasks do.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Iterable, Literal

from lesson.bundle import LessonPack

__all__ = [
    "SemevalTask",
    "INVENTORIES",
    "TO_TASK",
    "SemevalSpan",
    "SemevalKey",
    "semeval_key",
    "write_tsv",
    "read_tsv",
    "write_json",
    "write_paragraphs",
]

SemevalTask = Literal["2020-11", "2021-6", "2023-3"]

INVENTORIES: dict[SemevalTask, tuple[str, ...]] = {
    # propaganda-techniques-names-semeval2020task11.txt (the TC scorer's list)
    "2020-11": (
        "Appeal_to_Authority", "Appeal_to_fear-prejudice", "Bandwagon,Reductio_ad_hitlerum", "Black-and-White_Fallacy",
        "Causal_Oversimplification", "Doubt", "Exaggeration,Minimisation", "Flag-Waving", "Loaded_Language",
        "Name_Calling,Labeling", "Repetition", "Slogans", "Thought-terminating_Cliches", "Whataboutism,Straw_Men,Red_Herring",
    ),
    # techniques_list_task1-2.txt of SEMEVAL-2021-task6-corpus
    "2021-6": (
        "Appeal to authority", "Appeal to fear/prejudice", "Black-and-white Fallacy/Dictatorship", "Causal Oversimplification",
        "Doubt", "Exaggeration/Minimisation", "Flag-waving", "Glittering generalities (Virtue)", "Loaded Language",
        "Misrepresentation of Someone's Position (Straw Man)", "Name calling/Labeling",
        "Obfuscation, Intentional vagueness, Confusion", "Presenting Irrelevant Data (Red Herring)", "Reductio ad hitlerum",
        "Repetition", "Slogans", "Smears", "Thought-terminating cliché", "Whataboutism", "Bandwagon",
    ),
    # techniques_subtask3.txt of the SemEval-2023 Task 3 bundle
    "2023-3": (
        "Appeal_to_Authority", "Appeal_to_Popularity", "Appeal_to_Values", "Appeal_to_Fear-Prejudice", "Flag_Waving",
        "Causal_Oversimplification", "False_Dilemma-No_Choice", "Consequential_Oversimplification", "Straw_Man",
        "Red_Herring", "Whataboutism", "Slogans", "Appeal_to_Time", "Conversation_Killer", "Loaded_Language", "Repetition",
        "Exaggeration-Minimisation", "Obfuscation-Vagueness-Confusion", "Name_Calling-Labeling", "Doubt",
        "Guilt_by_Association", "Appeal_to_Hypocrisy", "Questioning_the_Reputation",
    ),
}
"""Each task's official technique names, exactly as its scorer checks them."""

_NAMES_2023 = {name: name for name in INVENTORIES["2023-3"]}

TO_TASK: dict[SemevalTask, dict[str, str | None]] = {
    # 2020 merged some techniques into one class (the class name has a comma); its Whataboutism is
    # "charging an opponent with hypocrisy", 2023's Appeal to hypocrisy. It has no class for
    # questioning someone's reputation, for consequences, time or obfuscation. Guilt by association is the 2023 name of 2020's Reductio ad
    # hitlerum ("disapprove an idea by linking it to a hated group"; the 2023 guidelines give
    # Reductio ad Hitlerum as its best-known form).
    "2020-11": {
        "Appeal_to_Authority": "Appeal_to_Authority",
        "Appeal_to_Fear-Prejudice": "Appeal_to_fear-prejudice",
        "Appeal_to_Hypocrisy": "Whataboutism,Straw_Men,Red_Herring",
        "Appeal_to_Popularity": "Bandwagon,Reductio_ad_hitlerum",
        "Causal_Oversimplification": "Causal_Oversimplification",
        "Doubt": "Doubt",
        "Exaggeration-Minimisation": "Exaggeration,Minimisation",
        "False_Dilemma-No_Choice": "Black-and-White_Fallacy",
        "Flag_Waving": "Flag-Waving",
        "Guilt_by_Association": "Bandwagon,Reductio_ad_hitlerum",
        "Reductio_ad_hitlerum": "Bandwagon,Reductio_ad_hitlerum",
        "Loaded_Language": "Loaded_Language",
        "Name_Calling-Labeling": "Name_Calling,Labeling",
        "Questioning_the_Reputation": None,
        "Red_Herring": "Whataboutism,Straw_Men,Red_Herring",
        "Repetition": "Repetition",
        "Slogans": "Slogans",
        "Straw_Man": "Whataboutism,Straw_Men,Red_Herring",
        "Conversation_Killer": "Thought-terminating_Cliches",
        "Whataboutism": "Whataboutism,Straw_Men,Red_Herring",
    },
    # 2021's Smears became 2023's Questioning the reputation, its Reductio ad hitlerum 2023's Guilt
    # by association; it has no class for consequences or time.
    "2021-6": {
        "Appeal_to_Authority": "Appeal to authority",
        "Appeal_to_Fear-Prejudice": "Appeal to fear/prejudice",
        "Appeal_to_Hypocrisy": "Whataboutism",
        "Appeal_to_Popularity": "Bandwagon",
        "Appeal_to_Values": "Glittering generalities (Virtue)",
        "Causal_Oversimplification": "Causal Oversimplification",
        "Conversation_Killer": "Thought-terminating cliché",
        "Doubt": "Doubt",
        "Exaggeration-Minimisation": "Exaggeration/Minimisation",
        "False_Dilemma-No_Choice": "Black-and-white Fallacy/Dictatorship",
        "Flag_Waving": "Flag-waving",
        "Guilt_by_Association": "Reductio ad hitlerum",
        "Reductio_ad_hitlerum": "Reductio ad hitlerum",
        "Loaded_Language": "Loaded Language",
        "Name_Calling-Labeling": "Name calling/Labeling",
        "Obfuscation-Vagueness-Confusion": "Obfuscation, Intentional vagueness, Confusion",
        "Questioning_the_Reputation": "Smears",
        "Red_Herring": "Presenting Irrelevant Data (Red Herring)",
        "Repetition": "Repetition",
        "Slogans": "Slogans",
        "Straw_Man": "Misrepresentation of Someone's Position (Straw Man)",
        "Whataboutism": "Whataboutism",
    },
    # 2023 folded Reductio ad hitlerum into Guilt by association.
    "2023-3": {**_NAMES_2023, "Reductio_ad_hitlerum": "Guilt_by_Association"},
}
"""Per task: glossary ``semeval_label`` -> that task's official name (``None``: the task has none)."""


@dataclass(frozen=True, slots=True, order=True)
class SemevalSpan:
    start: int
    end: int
    technique: str
    item_id: str


@dataclass(frozen=True, slots=True)
class SemevalKey:
    """The spans (sorted by offset) with ``task``'s names and, per skipped item, why it was left out."""

    article_id: str
    spans: tuple[SemevalSpan, ...]
    skipped: tuple[str, ...]
    task: SemevalTask = "2023-3"


def semeval_key(
    pack: LessonPack, item_ids: Iterable[str] | None = None, article_id: str | None = None, task: SemevalTask = "2023-3"
) -> SemevalKey:
    """The key items of ``pack`` (or only ``item_ids``) with ``task``'s official technique names.

    ``article_id`` defaults to the pack id. Unknown ``item_ids`` raise ``KeyError``.
    """
    wanted = None if item_ids is None else {pack.annotation.get(i).id for i in item_ids}
    table = TO_TASK[task]
    spans: list[SemevalSpan] = []
    skipped: list[str] = []
    for item in pack.annotation.items:
        if item.is_foil or (wanted is not None and item.id not in wanted):
            continue
        labels = [pack.glossary.get(label).semeval_label for label in item.labels]
        techniques = list(dict.fromkeys(name for label in labels if label and (name := table.get(label))))
        if not techniques:
            why = "no SemEval label" if not any(labels) else f"no SemEval-{task} name for {', '.join(l for l in labels if l)}"
            skipped.append(f"{item.id} ({', '.join(item.labels)}): {why}")
            continue
        spans.extend(SemevalSpan(item.start, item.end, technique, item.id) for technique in techniques)
    return SemevalKey(article_id or pack.id, tuple(sorted(spans)), tuple(skipped), task)


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
