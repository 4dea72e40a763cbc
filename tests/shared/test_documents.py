"""Documents: a letter rendered to an A4 tagged PDF, stored with its record, served, and deterministic."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from shared import db, documents

pytestmark = [
    pytest.mark.db,
    pytest.mark.skipif(
        shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None,
        reason="needs poppler-utils (pdftotext, pdfinfo); CI installs it",
    ),
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]

LETTER = {
    "title": "Test letter about school attendance",
    "recipient_name": "Ms Siobhán O'Brien",
    "recipient_address": ["12 Example Street", "West Bridgford", "Nottingham", "NG2 7QP"],
    "reference": "TEST-2025-0042",
    "letter_date": "3 March 2025",
    "opening": "We are writing to check that letters from the Family Service print correctly.",
    "facts": [
        ("Child", "Zoë Łukasiewicz"),
        ("School", "Rushcliffe Spencer Academy (URN 137455)"),
        ("Period", "6 January 2025 to 31 January 2025"),
        ("Amount", "£80 if paid within 21 days, £160 within 28 days"),
    ],
    "paragraphs": ["If anything in this letter is wrong, please contact the Family Service & tell us."],
    "officer_name": "Alex Smith",
    "officer_role": "Attendance Officer",
    "footer_left": 'Nottinghamshire County Council — Family Service & "Attendance"',
}


def _poppler(tool: str, pdf: bytes, *args: str) -> str:
    result = subprocess.run(
        [tool, *args, "-", "-"] if tool == "pdftotext" else [tool, *args, "-"],
        input=pdf,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout.decode()


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with runs of white space made single, so a wrapped line still matches."""
    return " ".join(_poppler("pdftotext", pdf).split())


def pdf_info(pdf: bytes) -> dict[str, str]:
    lines = _poppler("pdfinfo", pdf).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


@pytest.fixture
def letter_pdf(penalty_app) -> bytes:
    with penalty_app.app_context():
        return documents.render_pdf("sample.html", **LETTER)


def test_letter_is_stored_read_back_and_served_as_a_pdf(penalty_app, letter_pdf):
    with penalty_app.app_context(), db.transaction():
        stored = documents.store("penalty_notice", 42, "sample", "Test letter TEST-2025-0042.pdf", letter_pdf)

    with penalty_app.app_context():
        document = documents.latest("penalty_notice", "42", "sample")
        assert document is not None and document.id == stored.id
        assert document.content == letter_pdf
        assert document.size == len(letter_pdf)
        assert document.sha256 == hashlib.sha256(letter_pdf).hexdigest()
        assert documents.latest("penalty_notice", 43, "sample") is None
        assert documents.latest("penalty_notice", 42, "other") is None

        with penalty_app.test_request_context():
            inline = documents.pdf_response(document)
            download = documents.pdf_response(document, inline=False)

    assert inline.mimetype == "application/pdf"
    assert inline.headers["Content-Disposition"] == 'inline; filename="Test letter TEST-2025-0042.pdf"'
    assert download.headers["Content-Disposition"].startswith("attachment; ")
    assert inline.headers["Cache-Control"] == "private, no-store"
    assert inline.get_data() == letter_pdf
    assert inline.headers["ETag"] == f'"{document.sha256}"'


def test_latest_is_the_newest_version_of_a_document(penalty_app):
    with penalty_app.app_context():
        with db.transaction():
            documents.store("licence", 7, "licence", "v1.pdf", b"%PDF-first")
        with db.transaction():
            documents.store("licence", 7, "licence", "v2.pdf", b"%PDF-second")
        assert documents.latest("licence", 7, "licence").filename == "v2.pdf"


def test_filenames_with_accents_survive_the_header(penalty_app):
    with penalty_app.app_context(), db.transaction():
        document = documents.store("licence", 1, "licence", "Licence Zoë Łukasiewicz.pdf", b"%PDF-x")
    with penalty_app.test_request_context():
        disposition = documents.pdf_response(document).headers["Content-Disposition"]
    assert disposition == (
        'inline; filename="Licence Zoe ukasiewicz.pdf"; '
        "filename*=UTF-8''Licence%20Zo%C3%AB%20%C5%81ukasiewicz.pdf"
    )
    disposition.encode("latin-1")  # a header that is not Latin-1 cannot be sent


def test_letter_text_is_in_the_pdf(letter_pdf):
    text = pdf_text(letter_pdf)
    for expected in [
        "Nottinghamshire County Council",
        "Family Service",
        "Test letter about school attendance",
        "Dear Ms Siobhán O'Brien,",
        "NG2 7QP",
        "Our reference: TEST-2025-0042",
        "Child Zoë Łukasiewicz",
        "Amount £80 if paid within 21 days, £160 within 28 days",
        "please contact the Family Service & tell us.",
        "Alex Smith",
        "Page 1 of 1",
    ]:
        assert expected in text
    # Text reaches the PDF once, as text: no HTML escapes from Jinja in the footer or the body.
    assert 'Family Service & "Attendance"' in text
    assert "&amp;" not in text and "&#34;" not in text


def test_letter_is_a_tagged_a4_pdf(letter_pdf):
    info = pdf_info(letter_pdf)
    assert info["Page size"] == "595.276 x 841.89 pts (A4)"
    assert info["Tagged"] == "yes"
    assert info["Pages"] == "1"
    assert info["Title"] == LETTER["title"]
    assert info["Author"] == "Nottinghamshire County Council"
    assert "CreationDate" not in info  # a creation time would make every rendering different


def test_long_letter_numbers_every_page(penalty_app):
    with penalty_app.app_context():
        pdf = documents.render_pdf("sample.html", **{**LETTER, "paragraphs": ["A long paragraph. " * 60] * 8})
    pages = int(pdf_info(pdf)["Pages"])
    assert pages >= 2
    text = pdf_text(pdf)
    assert all(f"Page {n} of {pages}" in text for n in range(1, pages + 1))


def test_same_input_renders_the_same_bytes(penalty_app, letter_pdf):
    with penalty_app.app_context():
        again = documents.render_pdf("sample.html", **LETTER)
        different = documents.render_pdf("sample.html", **{**LETTER, "reference": "TEST-2025-0043"})
    assert again == letter_pdf
    assert different != letter_pdf


def test_same_input_renders_the_same_bytes_in_another_process(letter_pdf):
    """Nothing process-specific (a time, a random id, font subset names) gets into the file."""
    script = """
import hashlib, json, sys
from penalty_service import create_app
from shared import documents
app = create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
with app.app_context():
    pdf = documents.render_pdf("sample.html", **json.loads(sys.argv[1]))
print(hashlib.sha256(pdf).hexdigest())
"""
    result = subprocess.run(
        [sys.executable, "-c", script, json.dumps(LETTER)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.strip() == hashlib.sha256(letter_pdf).hexdigest()


def test_creating_an_app_does_not_import_weasyprint():
    """WeasyPrint takes about a second to import: app start-up and the CLI must not pay for it."""
    script = """
import sys
from penalty_service import create_app
from licensing_service import create_app as create_licensing_app
create_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
create_licensing_app({"DATABASE_URL": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
print(sorted(m for m in sys.modules if re.match(r"weasyprint|pydyf|tinycss2|cssselect2", m)))
"""
    result = subprocess.run(
        [sys.executable, "-c", "import re\n" + script],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert result.stdout.strip() == "[]"


def test_pdf_is_an_a4_letter_with_letterhead_and_footer_when_drawn(letter_pdf, tmp_path):
    """Drawn as an image, the page has A4's proportions, a letterhead at the top and a footer at the foot."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("needs pdftoppm (poppler-utils)")
    (tmp_path / "letter.pdf").write_bytes(letter_pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-gray",
            "-r",
            "30",
            "-singlefile",
            str(tmp_path / "letter.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    header, width, height, _max, *rest = re.split(rb"\s+", (tmp_path / "page.pgm").read_bytes(), maxsplit=4)
    width, height = int(width), int(height)
    assert header == b"P5" and abs(height / width - 297 / 210) < 0.01
    pixels = rest[0][-width * height :]
    rows = [pixels[y * width : (y + 1) * width] for y in range(height)]
    inked = [y for y, row in enumerate(rows) if min(row) < 200]  # small grey footer text is light at 30 dpi
    assert inked[0] < height * 0.15  # the letterhead, inside the top margin area
    assert inked[-1] > height * 0.9  # the footer, in the bottom margin
