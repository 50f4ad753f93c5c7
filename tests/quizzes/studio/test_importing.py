"""Importing a new text: each upload format, the normalisation the pack format needs, proposed roles, provenance."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from lesson.article import Article, Block
from quizzes.studio.importing import ImportFailed, ImportedText, import_text, import_upload

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "studio"
ARTICLE_ROLES = ["headline", "standfirst", "body", "body", "subhead", "body", "body"]


def _roles(imported: ImportedText) -> list[str]:
    return [b.role.value for b in imported.blocks]


def _block_texts(imported: ImportedText) -> list[str]:
    return [imported.text[b.start:b.end] for b in imported.blocks]


def _assert_canonical(imported: ImportedText) -> None:
    """The text obeys the pack format: one block per non-empty line, in order, no edge whitespace."""
    text = imported.text
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert unicodedata.normalize("NFC", text) == text
    assert "\u00ad" not in text and "\u200b" not in text and "\r" not in text and "\t" not in text
    assert _block_texts(imported) == [line for line in text.split("\n") if line]
    for block in imported.blocks:
        piece = text[block.start:block.end]
        assert piece == piece.strip() and "  " not in piece
    Article(id="imported", title=imported.title, text=text, provenance=imported.provenance,
            blocks=tuple(Block(id=b.id, role=b.role, start=b.start, end=b.end) for b in imported.blocks))


def test_import_txt_proposes_headline_standfirst_subhead_credit_and_site_text():
    imported = import_upload("harbour.txt", (FIXTURES / "harbour.txt").read_bytes())
    _assert_canonical(imported)
    assert _roles(imported) == ARTICLE_ROLES + ["photo_credit", "site_chrome", "site_chrome"]
    assert imported.title == "Harbour Town “celebrates” the new port deal"
    # hard-wrapped lines of one paragraph run on into one block
    assert _block_texts(imported)[2].startswith("The mayor, Elena Ruiz, said on Tuesday: “The port will bring four hundred jobs to Harbour Town.”")
    assert {b.reason for b in imported.blocks} >= {"the first short line, without a full stop", "an ordinary paragraph"}


def test_import_txt_knows_nothing_of_provenance_and_says_so():
    provenance = import_upload("harbour.txt", (FIXTURES / "harbour.txt").read_bytes()).provenance
    assert provenance.publisher == "" and provenance.date == "unknown" and provenance.url == "" and provenance.author is None
    assert len(provenance.unknowns) == 4 and any("publisher" in u for u in provenance.unknowns)


def test_import_markdown_reads_headings_emphasis_and_front_matter():
    imported = import_upload("harbour.md", (FIXTURES / "harbour.md").read_bytes())
    _assert_canonical(imported)
    assert _roles(imported) == ARTICLE_ROLES + ["photo_credit"]
    texts = _block_texts(imported)
    assert "**" not in imported.text and "](" not in imported.text and "terminal.jpg" not in imported.text
    assert texts[2].endswith("Critics dismissed the deal as a shameless giveaway to foreign investors.")
    p = imported.provenance
    assert (p.publisher, p.date, p.url, p.author) == ("The Coastal Courier (a constructed example)", "2025-05-06",
                                                     "https://courier.example/harbour-port-deal", "Sam Lee")
    assert p.original_url_known and p.unknowns == ()


def test_import_html_drops_scripts_and_marks_menus_related_links_captions_and_footer():
    imported = import_upload("harbour.html", (FIXTURES / "harbour.html").read_bytes())
    _assert_canonical(imported)
    assert _roles(imported) == ["site_chrome", "headline", "standfirst", "photo_credit", "body", "body", "related_link",
                                "related_link", "subhead", "body", "body", "site_chrome", "site_chrome"]
    assert "window.track" not in imported.text and "font-family" not in imported.text
    texts = _block_texts(imported)
    assert texts[9].startswith("The protest group Clean Coast claims") and texts[9].endswith("rival shipping company.")
    assert "12 percent" in imported.text  # &nbsp; becomes an ordinary space
    assert imported.language == "en-GB"
    p = imported.provenance
    assert (p.publisher, p.url, p.author) == ("The Coastal Courier", "https://courier.example/harbour-port-deal", "Sam Lee")
    assert p.date.startswith("2025-05-06")


def test_import_docx_reads_word_styles_and_document_properties():
    imported = import_upload("Harbour.DOCX", (FIXTURES / "harbour.docx").read_bytes())
    _assert_canonical(imported)
    assert _roles(imported) == ARTICLE_ROLES + ["photo_credit"]
    p = imported.provenance
    assert p.author == "Sam Lee" and p.date == "2025-05-06" and "creation date" in p.date_basis
    assert p.publisher == "" and any("publisher" in u for u in p.unknowns)


def test_every_format_gives_the_same_article_text():
    bodies = []
    for name in ("harbour.txt", "harbour.md", "harbour.html", "harbour.docx"):
        imported = import_upload(name, (FIXTURES / name).read_bytes())
        bodies.append([t for t, b in zip(_block_texts(imported), imported.blocks) if b.role.value in ("headline", "standfirst", "subhead", "body")])
    assert all(body == bodies[0] for body in bodies), bodies


def test_pasted_text_is_normalised():
    imported = import_text("Head\u00adline\u200b here\r\n\r\nA  body\tparagraph with e\u0301 and\u00a0space.\r\n")
    assert imported.text == "Headline here\n\nA body paragraph with \u00e9 and space.\n"
    assert _roles(imported) == ["headline", "standfirst"]


def test_a_line_of_share_calls_is_site_text_even_in_the_middle():
    imported = import_text("A title\n\nFirst paragraph of the story goes here.\n\nShare this post!\n\nSecond paragraph of the story.")
    assert _roles(imported) == ["headline", "standfirst", "site_chrome", "body"]


@pytest.mark.parametrize("name, data, message", [
    ("notes.pdf", b"%PDF-1.4", "upload a .txt, .md, .html or .docx file"),
    ("empty.txt", b"  \n\n \n", "no text found"),
    ("broken.docx", b"not a zip file", "not a Word document"),
    ("huge.txt", b"x" * (2 * 1024 * 1024 + 1), "the limit is"),
])
def test_import_rejects_what_it_cannot_read(name, data, message):
    with pytest.raises(ImportFailed, match=message):
        import_upload(name, data)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("ab .,“”’\n\r\t\u00a0\u00ad\u200bé") + ["e\u0301"]), max_size=200).map("".join))
def test_any_pasted_text_imports_to_a_canonical_text_or_says_there_is_none(raw):
    try:
        imported = import_text(raw)
    except ImportFailed:
        assert not "".join(c for c in raw if c.isalnum())
        return
    _assert_canonical(imported)
