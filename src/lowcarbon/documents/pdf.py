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

import contextlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message, gettext_noop

logger = logging.getLogger(__name__)

__all__ = ["PdfConversionError", "convert_to_pdf", "converter"]

FONTS_CONF = Path(__file__).with_name("fonts") / "fonts.conf"
DEFAULT_TIMEOUT = 180.0
#: Seconds between two calls of ``convert_to_pdf``'s ``waiting`` while the converter works.
WAIT_INTERVAL = 10.0


class PdfConversionError(LowcarbonError):
    """No PDF could be made; ``message`` says why (the DOCX is unaffected)."""

    code = "pdf"


def converter() -> str | None:
    """The LibreOffice executable, or ``None`` when it is not installed."""
    configured = os.environ.get("LOWCARBON_SOFFICE")
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(
    docx: Path,
    out_dir: Path,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    waiting: Callable[[], None] | None = None,
) -> Path:
    """Convert ``docx`` into ``out_dir``; the PDF's path (same stem) is returned.

    ``waiting`` is called every :data:`WAIT_INTERVAL` seconds while LibreOffice works (a
    background job gives its sign of life there); an exception it raises stops the conversion."""
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
        returncode, stdout, stderr = _run(command, environment, timeout, waiting)
    pdf = out_dir / (docx.stem + ".pdf")
    if returncode != 0 or not pdf.is_file():
        # The converter's own words name temporary folders and files: they go to the log.
        logger.warning(
            "PDF conversion of %s failed (exit code %s): %s",
            docx.name,
            returncode,
            (stderr or stdout or "").strip() or "no output",
        )
        raise PdfConversionError(
            Message(
                gettext_noop(
                    "the PDF conversion failed (LibreOffice exit code {code}); the Word file is "
                    "available, and the server log holds what LibreOffice said"
                ),
                {"code": returncode},
            )
        )
    return pdf


def _run(
    command: list[str],
    environment: dict[str, str],
    timeout: float,
    waiting: Callable[[], None] | None,
) -> tuple[int, str, str]:
    """Run the converter; call ``waiting`` every :data:`WAIT_INTERVAL` seconds until it ends.
    The converter and its helpers are killed on a timeout and when ``waiting`` raises (the
    exception goes on)."""
    deadline = time.monotonic() + timeout
    with subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        # Its own process group: LibreOffice starts helpers (soffice.bin) that keep the pipes
        # open, and all of them must go when the conversion is stopped.
        start_new_session=True,
    ) as process:
        try:
            while True:
                left = deadline - time.monotonic()
                try:
                    stdout, stderr = process.communicate(timeout=max(0.0, min(WAIT_INTERVAL, left)))
                except subprocess.TimeoutExpired as error:
                    if time.monotonic() >= deadline:
                        raise PdfConversionError(
                            Message(
                                gettext_noop(
                                    "the PDF conversion did not finish within {seconds} seconds"
                                ),
                                {"seconds": int(timeout)},
                            )
                        ) from error
                    if waiting is not None:
                        waiting()
                else:
                    return process.returncode, stdout, stderr
        except BaseException:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise
