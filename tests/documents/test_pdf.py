"""PDF through LibreOffice: pages, size, Chinese text that renders, and honest failures.

LibreOffice, poppler-utils and the CJK fonts are installed by scripts/ensure-system-deps (run
by `make test` and CI); these tests fail, never skip, when they are missing. The first page of
the body is kept as a PNG under test-artifacts/documents/ to look at.
"""

from __future__ import annotations

import re
import shutil
import time
from datetime import date
from pathlib import Path

import pytest

from lowcarbon.cli.i18n import translator
from lowcarbon.core.text import LocalText
from lowcarbon.documents.pdf import PdfConversionError, convert_to_pdf, converter
from lowcarbon.documents.plan import PlanInput, write_plan
from lowcarbon.rules.outlines import load_outline

from ..system_tools import require_converter, run
from .test_plan import accounting, filled

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"


def chinese(text: LocalText) -> str:
    return text.get("zh")


@pytest.fixture(scope="module")
def plan_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_converter()
    folder = tmp_path_factory.mktemp("pdf")
    outline = load_outline("zone", "2021")
    plan = PlanInput(
        outline=outline,
        sections=filled(outline),
        unit_name="望江湾低碳发展实践区",
        scheme="zone",
        round_year=2026,
        accounting=accounting("zone"),
        issued=date(2026, 11, 24),
    )
    docx = folder / "plan.docx"
    write_plan(plan, docx, translator("zh"), chinese)
    return convert_to_pdf(docx, folder)


def test_the_plan_converts_to_an_a4_pdf_with_chinese_text(plan_pdf: Path) -> None:
    info = run("pdfinfo", str(plan_pdf))
    pages = int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])
    assert pages >= 6  # cover, contents, body
    assert "595.3" in info
    assert "841.89" in info
    text = run("pdftotext", "-layout", str(plan_pdf), "-")
    for words in ("望江湾低碳发展实践区", "一、区域基本情况", "三、建设方案", "（一）区域情况简介"):
        assert words in text
    # Page numbers of the official form on the body pages.
    assert re.search(r"—\s*1\s*—", text)
    fonts = run("pdffonts", str(plan_pdf))
    assert "CJK" in fonts  # the Chinese text is drawn with an embedded CJK font, not boxes
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    run(
        "pdftoppm",
        "-r",
        "60",
        "-png",
        "-f",
        "3",
        "-l",
        "3",
        str(plan_pdf),
        str(ARTIFACTS / "plan-zone"),
    )
    assert any(ARTIFACTS.glob("plan-zone*.png"))


def pages_of(pdf: Path) -> list[str]:
    return run("pdftotext", "-layout", str(pdf), "-").split("\f")


_CONTENTS_LINE = re.compile(r"^\s*(?P<heading>\S.*?\S)\s*(?:\.{3,}|…{2,})\s*(?P<page>\d+)\s*$")
_FOOTER = re.compile(r"—\s*(\d+)\s*—")


def test_the_contents_give_the_page_where_each_heading_is(plan_pdf: Path) -> None:
    pages = pages_of(plan_pdf)
    contents = next(i for i, page in enumerate(pages) if "目" in page and "录" in page)
    lines = [line for line in pages[contents].splitlines() if line.strip()][1:]
    entries = [_CONTENTS_LINE.match(line) for line in lines]
    assert all(entries), [line for line, m in zip(lines, entries, strict=True) if m is None]
    assert len(entries) >= 10  # the zone plan's sections and subsections
    # The printed page number of each body page is its footer "— n —".
    numbered = {}
    for page in pages[contents + 1 :]:
        footer = _FOOTER.findall(page)
        if footer:
            numbered[int(footer[-1])] = page
    for match in entries:
        assert match is not None
        heading, number = match["heading"], int(match["page"])
        assert number in numbered, (heading, number)
        on_page = [line.strip() for line in numbered[number].splitlines()]
        assert heading in on_page, (heading, number)


def test_a_missing_converter_is_said_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOWCARBON_SOFFICE", str(tmp_path / "no-such-soffice"))
    assert converter() is None
    docx = tmp_path / "plan.docx"
    docx.write_bytes(b"PK")
    with pytest.raises(PdfConversionError) as caught:
        convert_to_pdf(docx, tmp_path)
    assert "LibreOffice is not installed" in str(caught.value)
    assert docx.read_bytes() == b"PK"  # the DOCX is untouched


def test_a_conversion_failure_names_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docx = tmp_path / "plan.docx"
    docx.write_bytes(b"PK")
    false = shutil.which("false")
    assert false is not None
    monkeypatch.setenv("LOWCARBON_SOFFICE", false)  # a converter that fails without a word
    with pytest.raises(PdfConversionError) as caught:
        convert_to_pdf(docx, tmp_path / "out")
    assert "PDF conversion failed (LibreOffice exit code 1)" in str(caught.value)


def test_what_the_converter_said_goes_to_the_log_not_to_the_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    docx = tmp_path / "plan.docx"
    docx.write_bytes(b"PK")
    talking = tmp_path / "soffice"
    talking.write_text(
        f"#!/bin/sh\necho 'Error: source file could not be loaded: {docx}' >&2\nexit 77\n"
    )
    talking.chmod(0o755)
    monkeypatch.setenv("LOWCARBON_SOFFICE", str(talking))
    with pytest.raises(PdfConversionError) as caught:
        convert_to_pdf(docx, tmp_path / "out")
    shown = str(caught.value)
    assert "exit code 77" in shown
    assert str(tmp_path) not in shown
    assert "could not be loaded" not in shown
    assert f"could not be loaded: {docx}" in caplog.text


def test_a_hanging_conversion_is_stopped(plan_pdf: Path, tmp_path: Path) -> None:
    with pytest.raises(PdfConversionError) as caught:
        convert_to_pdf(plan_pdf.with_suffix(".docx"), tmp_path, timeout=0.01)
    assert "did not finish within 0 seconds" in str(caught.value)


def slow_converter(tmp_path: Path, seconds: float) -> str:
    """A stand-in for LibreOffice that works for ``seconds``, then writes the PDF where the
    conversion macro's second argument (a file URL) says."""
    script = tmp_path / "slow-soffice"
    script.write_text(
        "#!/bin/sh\n"
        f"sleep {seconds}\n"
        'for argument in "$@"; do last="$argument"; done\n'
        'target=$(printf \'%s\' "$last" | sed \'s|.*","file://||; s|")$||\')\n'
        'printf "%%PDF-1.4 slow" > "$target"\n',
        encoding="utf-8",
    )
    script.chmod(0o755)
    return str(script)


def test_a_long_conversion_calls_back_while_it_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOWCARBON_SOFFICE", slow_converter(tmp_path, 0.6))
    monkeypatch.setattr("lowcarbon.documents.pdf.WAIT_INTERVAL", 0.05)
    docx = tmp_path / "plan.docx"
    docx.write_bytes(b"PK")
    calls: list[float] = []
    pdf = convert_to_pdf(docx, tmp_path / "out", waiting=lambda: calls.append(time.monotonic()))
    assert pdf.read_bytes() == b"%PDF-1.4 slow"
    assert len(calls) >= 5  # about every 0.05 s during 0.6 s


def test_a_callback_that_raises_stops_the_converter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOWCARBON_SOFFICE", slow_converter(tmp_path, 30))
    monkeypatch.setattr("lowcarbon.documents.pdf.WAIT_INTERVAL", 0.05)
    docx = tmp_path / "plan.docx"
    docx.write_bytes(b"PK")

    def give_up() -> None:
        raise KeyboardInterrupt

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        convert_to_pdf(docx, tmp_path / "out", waiting=give_up)
    assert time.monotonic() - started < 5  # the 30-second converter was killed
    assert not (tmp_path / "out" / "plan.pdf").exists()
