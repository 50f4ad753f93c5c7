"""One entry point for every quiz export, shared by the ``medialit export`` command and the API.

``export_quiz(bank, quiz_id, format)`` returns the file's bytes, its media type, a file name and
the notes (what the format could not carry). ``qti``, ``moodle``, ``moodle-plain`` (Moodle XML
with only Moodle's own question types: highlight exercises as Cloze) and ``gift`` export the quiz's
exercises; ``webanno`` and ``semeval`` export the master-annotation items the quiz's exercises
refer to (keys, foils, references, the roles' claims), or the whole master annotation when
``quiz_id`` is ``None``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterable, Literal, get_args

from pydantic import ValidationError

from lesson.errors import MedialitError, NotFound
from quizzes.bank import Bank
from quizzes.exports.gift import gift_text
from quizzes.exports.moodle import moodle_xml
from quizzes.exports.qti import qti_package
from quizzes.exports.semeval import semeval_key, write_json, write_paragraphs, write_tsv
from quizzes.records import AnswerRecord, RecordError, response_from_cells
from quizzes.exports.webanno import Submission, key_collection, marks_collection
from quizzes.responses import parse_response

__all__ = ["ExportFormat", "SemevalForm", "EXPORT_FORMATS", "SEMEVAL_FORMS", "Exported", "ExportUnavailable", "export_quiz", "export_marks", "quiz_items"]

ExportFormat = Literal["qti", "moodle", "moodle-plain", "gift", "webanno", "semeval"]
SemevalForm = Literal["tsv", "json", "paragraphs"]
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)
SEMEVAL_FORMS: tuple[str, ...] = get_args(SemevalForm)
_QUIZ_ONLY = frozenset({"qti", "moodle", "moodle-plain", "gift"})


class ExportUnavailable(MedialitError):
    slug = "export-unavailable"
    title = "This export cannot be made."


@dataclass(frozen=True, slots=True)
class Exported:
    content: bytes
    media_type: str
    filename: str
    notes: tuple[str, ...]


def quiz_items(bank: Bank, quiz_id: str) -> list[str]:
    """Every master-annotation id the quiz's exercises refer to, in first-use order."""
    ids: dict[str, None] = {}
    for exercise in bank.quiz_exercises(quiz_id):
        ids.update(dict.fromkeys(exercise.referenced_items()))
    return list(ids)


def export_quiz(bank: Bank, quiz_id: str | None, export_format: str, semeval_form: str = "tsv") -> Exported:
    """Export ``quiz_id`` of ``bank`` in ``export_format``.

    Raises :class:`~lesson.errors.NotFound` for an unknown quiz and :class:`ExportUnavailable` for
    an unknown format or SemEval form, or a quiz format without a quiz.
    """
    if export_format not in EXPORT_FORMATS:
        raise ExportUnavailable(f"unknown export format {export_format!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    if semeval_form not in SEMEVAL_FORMS:
        raise ExportUnavailable(f"unknown SemEval form {semeval_form!r}; choose one of {', '.join(SEMEVAL_FORMS)}")
    if quiz_id is None and export_format in _QUIZ_ONLY:
        raise ExportUnavailable(f"the {export_format} export needs a quiz")
    if quiz_id is not None and quiz_id not in bank.quizzes:
        known = ", ".join(sorted(bank.quizzes)) or "none"
        raise NotFound(f"no quiz {quiz_id!r} in lesson {bank.pack.id!r} (quizzes: {known})")
    stem = quiz_id or f"{bank.pack.id}-key"
    items = None if quiz_id is None else quiz_items(bank, quiz_id)
    match export_format:
        case "qti":
            package = qti_package(bank, bank.quiz(quiz_id))
            return Exported(package.data, "application/zip", f"{stem}-qti3.zip", package.notes)
        case "moodle":
            moodle = moodle_xml(bank, bank.quiz(quiz_id))
            return Exported(moodle.text.encode("utf-8"), "application/xml", f"{stem}-moodle.xml", moodle.notes)
        case "moodle-plain":
            moodle = moodle_xml(bank, bank.quiz(quiz_id), highlight="cloze")
            return Exported(moodle.text.encode("utf-8"), "application/xml", f"{stem}-moodle-plain.xml", moodle.notes)
        case "gift":
            gift = gift_text(bank, bank.quiz(quiz_id))
            return Exported(gift.text.encode("utf-8"), "text/plain; charset=utf-8", f"{stem}.gift.txt", gift.notes)
        case "webanno":
            document = json.dumps(key_collection(bank.pack, items, quiz_id), ensure_ascii=False, indent=1) + "\n"
            return Exported(document.encode("utf-8"), "application/ld+json", f"{stem}-annotations.jsonld", ())
        case "semeval":
            if semeval_form == "json":
                key = semeval_key(bank.pack, items, task="2021-6")
                return Exported(write_json(key, bank.pack).encode("utf-8"), "application/json", f"{stem}-semeval.json", key.skipped)
            if semeval_form == "paragraphs":
                key = semeval_key(bank.pack, items, task="2023-3")
                text = write_paragraphs(key, bank.pack)
                return Exported(text.encode("utf-8"), "text/tab-separated-values", f"{stem}-semeval-paragraphs.tsv", key.skipped)
            key = semeval_key(bank.pack, items, task="2020-11")
            return Exported(write_tsv(key).encode("utf-8"), "text/tab-separated-values", f"{stem}-semeval.tsv", key.skipped)
    raise AssertionError(export_format)  # unreachable: the format was checked above


def export_marks(bank: Bank, quiz_id: str | None, records: Iterable[AnswerRecord | RecordError]) -> Exported:
    """Students' span marks from answer records (the grading script's reader) as Web Annotation.

    Records with an unknown exercise, one outside ``quiz_id``'s exercises, or a response that does
    not validate are left out and named in the notes (``file:line: reason``), like reading errors.
    """
    if quiz_id is not None and quiz_id not in bank.quizzes:
        raise NotFound(f"no quiz {quiz_id!r} in lesson {bank.pack.id!r} (quizzes: {', '.join(sorted(bank.quizzes)) or 'none'})")
    allowed = set(bank.quizzes[quiz_id].exercises) if quiz_id else set(bank.exercises)
    submissions: list[Submission] = []
    notes: list[str] = []
    for record in records:
        if isinstance(record, RecordError):
            notes.append(str(record))
            continue
        where = f"{record.file}:{record.line}"
        if record.exercise not in allowed:
            notes.append(f"{where}: exercise {record.exercise!r} is not in {'quiz ' + repr(quiz_id) if quiz_id else 'the lesson'}")
            continue
        exercise = bank.exercises[record.exercise]
        try:
            data = response_from_cells(exercise.type, record.response) if record.cells else record.response
            response = parse_response(exercise.type, data)
        except (ValidationError, ValueError) as error:
            notes.append(f"{where}: the answer to {record.exercise} is not valid ({str(error).splitlines()[0]})")
            continue
        submissions.append(Submission(record.student, record.exercise, response))
    document = json.dumps(marks_collection(bank.pack, submissions, quiz_id), ensure_ascii=False, indent=1) + "\n"
    stem = quiz_id or bank.pack.id
    return Exported(document.encode("utf-8"), "application/ld+json", f"{stem}-marks.jsonld", tuple(notes))
