"""``medialit export``: every format to a file, notes on stderr, clear errors and exit codes."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from quizzes.authoring.cli import main
from quizzes.exports.formats import EXPORT_FORMATS, ExportUnavailable, export_quiz
from quizzes.exports.semeval import read_tsv
from quizzes.loading import load_bank
from tests.conftest import TINY_PACK


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["export", "--pack", str(TINY_PACK), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("export_format", EXPORT_FORMATS)
def test_export_command_writes_each_format(tmp_path: Path, capsys: pytest.CaptureFixture[str], export_format: str) -> None:
    out = tmp_path / f"quiz.{export_format}"
    code, stdout, _ = run(capsys, "--quiz", "tiny-all", "--format", export_format, "--out", str(out))
    assert code == 0 and str(out) in stdout
    data = out.read_bytes()
    assert data == export_quiz(load_bank(TINY_PACK), "tiny-all", export_format).content
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left behind


def test_export_command_qti_is_a_zip_with_a_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "q.zip"
    code, _, stderr = run(capsys, "--quiz", "tiny-all", "--format", "qti", "--out", str(out))
    assert code == 0
    assert "imsmanifest.xml" in zipfile.ZipFile(io.BytesIO(out.read_bytes())).namelist()
    assert "note: t-label: foil foil-said overlaps key att-mayor" in stderr


def test_export_command_semeval_form_follows_the_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    as_json = tmp_path / "key.json"
    assert run(capsys, "--format", "semeval", "--out", str(as_json))[0] == 0
    assert json.loads(as_json.read_text(encoding="utf-8"))[0]["id"] == "tiny"
    as_tsv = tmp_path / "key.tsv"
    assert run(capsys, "--format", "semeval", "--out", str(as_tsv))[0] == 0
    assert read_tsv(as_tsv.read_text(encoding="utf-8"))
    forced = tmp_path / "key.json2"
    assert run(capsys, "--format", "semeval", "--semeval-form", "paragraphs", "--out", str(forced))[0] == 0
    assert forced.read_text(encoding="utf-8").startswith("tiny\t1\t")


def test_export_command_key_of_a_quiz_is_limited_to_its_items(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "a.jsonld"
    assert run(capsys, "--quiz", "tiny-a", "--format", "webanno", "--out", str(out))[0] == 0
    ids = {a["id"].rsplit(":", 1)[1] for a in json.loads(out.read_text(encoding="utf-8"))["first"]["items"]}
    assert ids == {"frm-gamble", "frm-everyone", "foil-said", "fun-developers"}


def test_export_command_unknown_quiz_fails_and_names_the_quizzes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.xml"
    out.write_text("old", encoding="utf-8")
    code, _, stderr = run(capsys, "--quiz", "nope", "--format", "moodle", "--out", str(out))
    assert code == 1 and "no quiz 'nope'" in stderr and "tiny-all" in stderr
    assert out.read_text(encoding="utf-8") == "old"


def test_export_command_quiz_format_without_quiz_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run(capsys, "--format", "qti", "--out", str(tmp_path / "x.zip"))
    assert code == 1 and "needs a quiz" in stderr


def test_export_command_unwritable_folder_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run(capsys, "--quiz", "tiny-all", "--format", "gift", "--out", str(tmp_path / "missing" / "x.gift"))
    assert code == 2 and "cannot write" in stderr


def test_export_command_broken_pack_fails_with_its_problems(pack_copy, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = pack_copy("quizzes.json", lambda data: {"quizzes": "not a list"})
    code = main(["export", "--pack", str(broken), "--quiz", "tiny-all", "--format", "gift", "--out", str(tmp_path / "x")])
    assert code == 1 and "quizzes.json" in capsys.readouterr().err


def test_export_command_rejects_an_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["export", "--quiz", "tiny-all", "--format", "pdf", "--out", "x"])
    assert stop.value.code == 2


def test_export_quiz_rejects_unknown_format_and_form(tiny_bank) -> None:
    with pytest.raises(ExportUnavailable, match="unknown export format"):
        export_quiz(tiny_bank, "tiny-all", "pdf")
    with pytest.raises(ExportUnavailable, match="unknown SemEval form"):
        export_quiz(tiny_bank, "tiny-all", "semeval", "xml")


def _answers(tmp_path: Path) -> Path:
    lines = [
        {"student": "ana", "exercise": "t-highlight", "response": {"spans": [{"exact": "reckless gamble"}]}},
        {"student": "ben", "answers": {"t-label": {"spans": [{"start": 43, "end": 80, "label": "direct_quote"}]}, "t-single": {"choice": "b"}}},
        {"student": "cem", "exercise": "t-highlight", "response": {"spans": [{"start": 5}]}},
        {"student": "dan", "exercise": "nope", "response": {}},
    ]
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return path


def test_export_command_marks_from_an_answers_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "marks.jsonld"
    code, _, stderr = run(capsys, "--format", "webanno", "--answers", str(_answers(tmp_path)), "--out", str(out))
    assert code == 0
    items = json.loads(out.read_text(encoding="utf-8"))["first"]["items"]
    assert [(a["creator"]["id"].rsplit(":", 1)[1], a["target"]["scope"].rsplit(":", 1)[1]) for a in items] == [
        ("ana", "t-highlight"), ("ben", "t-label"),
    ]
    assert "answers.jsonl:3: the answer to t-highlight is not valid" in stderr
    assert "answers.jsonl:4: exercise 'nope' is not in the lesson" in stderr


def test_export_command_marks_limited_to_a_quiz(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "marks.jsonld"
    code, _, stderr = run(capsys, "--quiz", "tiny-a", "--format", "webanno", "--answers", str(_answers(tmp_path)), "--out", str(out))
    assert code == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))["first"]["items"]) == 1
    assert "exercise 't-label' is not in quiz 'tiny-a'" in stderr


def test_export_command_answers_need_webanno_and_a_readable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run(capsys, "--quiz", "tiny-all", "--format", "qti", "--answers", str(_answers(tmp_path)), "--out", str(tmp_path / "x"))
    assert code == 2 and "webanno only" in stderr
    code, _, stderr = run(capsys, "--format", "webanno", "--answers", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "x"))
    assert code == 2 and "cannot read" in stderr and not (tmp_path / "x").exists()


def test_every_export_format_is_in_the_exports_documentation() -> None:
    docs = (Path(__file__).resolve().parents[3] / "docs" / "exports.md").read_text(encoding="utf-8")
    table = docs.split("## Command", 1)[0]
    assert [f for f in EXPORT_FORMATS if f"| `{f}` |" not in table] == []
    assert "|".join(EXPORT_FORMATS) in docs
