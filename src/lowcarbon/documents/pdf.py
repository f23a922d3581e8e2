"""PDF from a generated Word file, through LibreOffice in headless mode.

LibreOffice is a system dependency (Debian: ``libreoffice-writer-nogui`` with
``fonts-noto-cjk``; ``.ci/run`` and ``scripts/install-system-deps`` install them). When it is
absent :func:`converter` says so and the caller offers the DOCX alone, saying plainly why there
is no PDF. A conversion that fails or hangs raises :class:`PdfConversionError` with the reason;
the DOCX is never touched.

Each conversion runs with its own throw-away LibreOffice profile (two conversions at once
would otherwise fight over the user's profile lock) and with the bundled font aliases
(``fonts/fonts.conf``), which map the font names of official documents to installed fonts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message, gettext_noop

__all__ = ["PdfConversionError", "convert_to_pdf", "converter"]

FONTS_CONF = Path(__file__).with_name("fonts") / "fonts.conf"
DEFAULT_TIMEOUT = 180.0


class PdfConversionError(LowcarbonError):
    """No PDF could be made; ``message`` says why (the DOCX is unaffected)."""

    code = "pdf"


def converter() -> str | None:
    """The LibreOffice executable, or ``None`` when it is not installed."""
    configured = os.environ.get("LOWCARBON_SOFFICE")
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(docx: Path, out_dir: Path, *, timeout: float = DEFAULT_TIMEOUT) -> Path:
    """Convert ``docx`` into ``out_dir``; the PDF's path (same stem) is returned."""
    executable = converter()
    if executable is None:
        raise PdfConversionError(
            Message(
                gettext_noop(
                    "LibreOffice is not installed on this server, so no PDF can be made; the "
                    "Word file is available."
                )
            )
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lowcarbon-soffice-") as profile:
        environment = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF), HOME=profile)
        command = [
            executable,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out_dir),
            str(docx),
        ]
        try:
            completed = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=timeout,
                env=environment,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise PdfConversionError(
                Message(
                    gettext_noop("the PDF conversion did not finish within {seconds} seconds"),
                    {"seconds": int(timeout)},
                )
            ) from error
    pdf = out_dir / (docx.stem + ".pdf")
    if completed.returncode != 0 or not pdf.is_file():
        detail = (completed.stderr or completed.stdout or "").strip().splitlines()
        raise PdfConversionError(
            Message(
                gettext_noop("the PDF conversion failed (exit code {code}): {detail}"),
                {"code": completed.returncode, "detail": detail[-1] if detail else "—"},
            )
        )
    return pdf
