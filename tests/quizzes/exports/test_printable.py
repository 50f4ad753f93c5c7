"""The printable student copy: every block with its number, in order, in the HTML and in the PDF."""

from __future__ import annotations

import html
import io
import re

import pypdf
import pytest

from quizzes.authoring.cli import main
from quizzes.exports.printable import markdown_to_html, student_copy_html, student_copy_pdf


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("pack_id", ["central-asia-2022", "transfer-constructed"])
def test_html_copy_holds_every_block_with_its_number_in_text_order(shipped_banks, pack_id):
    pack = shipped_banks[pack_id].pack
    page = student_copy_html(pack)
    positions = []
    for block in pack.article.blocks:
        marker = f'id="{block.id}"><span class="num">{block.id}</span>'
        assert page.count(marker) == 1
        text = html.escape(pack.article.text[block.start : block.end])
        positions.append(page.index(text, page.index(marker)))
    assert positions == sorted(positions)
    assert "Question 1: Who says so?" in page or "same three questions" in page  # the reading guide follows


def test_pdf_copy_has_every_paragraph_and_its_number(shipped_banks):
    pack = shipped_banks["central-asia-2022"].pack
    reader = pypdf.PdfReader(io.BytesIO(student_copy_pdf(pack)))
    text = _squeeze("".join(page.extract_text() for page in reader.pages))
    for block in pack.article.blocks:
        assert block.id in text
        assert _squeeze(pack.article.text[block.start : block.end]) in text, block.id


def test_reading_guide_markdown_becomes_headings_lists_and_emphasis():
    out = markdown_to_html("## Question 1\n\nRead **slowly**, then:\n\n1. Pick a *sentence*.\n2. Find `b04`.\n\n- [ ] I know who wrote it.")
    assert "<h3>Question 1</h3>" in out and "<strong>slowly</strong>" in out and "<em>sentence</em>" in out
    assert out.count("<ol>") == 1 and out.count("<li>") == 3 and "<code>b04</code>" in out and "[ ]" not in out


def test_print_command_refuses_an_unknown_format(tmp_path, capsys):
    assert main(["print", "--out", str(tmp_path / "copy.txt")]) == 2
    assert "must end in .html or .pdf" in capsys.readouterr().err


def test_print_command_writes_the_html_copy(tmp_path, capsys):
    out = tmp_path / "copy.html"
    assert main(["print", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "57 numbered blocks" in capsys.readouterr().out
