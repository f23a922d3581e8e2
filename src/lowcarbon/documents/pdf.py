"""PDF from a generated Word file, through LibreOffice in headless mode.

LibreOffice is a system dependency (Debian: ``libreoffice-writer-nogui`` with
``fonts-noto-cjk``; ``.ci/run`` and ``scripts/install-system-deps`` install them). When it is
absent :func:`converter` says so and the caller offers the DOCX alone, saying plainly why there
is no PDF. A conversion that fails or hangs raises :class:`PdfConversionError` with the reason;
the DOCX is never touched.

Each conversion runs with its own throw-away LibreOffice profile (two conversions at once
would otherwise fight over the user's profile lock) and with the bundled font aliases
(``fonts/fonts.conf``), which map the font names of official documents to installed fonts.

The conversion is a small LibreOffice Basic macro placed in that profile rather than the plain
``--convert-to``: it loads the document, updates its indexes and fields (the table of contents
gets its page numbers from LibreOffice's own layout; a plain conversion prints the contents
without them) and exports the PDF with ``writer_pdf_Export``.
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
        _write_profile(Path(profile))
        pdf = out_dir.resolve() / (docx.stem + ".pdf")
        pdf.unlink(missing_ok=True)  # an earlier file must not pass for this conversion's
        command = [
            executable,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            _macro_call(docx.resolve(), pdf),
        ]
        returncode, stdout, stderr = _run(command, environment, timeout, waiting)
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


# The macro library of the throw-away profile. A profile whose set-up is marked complete keeps
# these files (a new one would be overwritten by LibreOffice's presets on its first start).
_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Convert"
 script:language="StarBasic">
Sub ToPdf(source As String, target As String)
    Dim doc As Object
    On Error GoTo Failed
    Dim load(0) As New com.sun.star.beans.PropertyValue
    load(0).Name = "Hidden"
    load(0).Value = True
    doc = StarDesktop.loadComponentFromURL(source, "_blank", 0, load())
    If IsNull(doc) Then Exit Sub
    If doc.supportsService("com.sun.star.text.TextDocument") Then
        &apos; Twice: the first update may lengthen the contents and move the pages after it.
        For pass = 1 To 2
            indexes = doc.getDocumentIndexes()
            For i = 0 To indexes.getCount() - 1
                indexes.getByIndex(i).update()
            Next i
            doc.getTextFields().refresh()
        Next pass
    End If
    Dim store(0) As New com.sun.star.beans.PropertyValue
    store(0).Name = "FilterName"
    store(0).Value = "writer_pdf_Export"
    doc.storeToURL(target, store())
Failed:
    If Not IsNull(doc) Then doc.close(True)
End Sub
</script:module>
"""

_LIBRARIES = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:libraries PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "libraries.dtd">
<library:libraries xmlns:library="http://openoffice.org/2000/library"
 xmlns:xlink="http://www.w3.org/1999/xlink">
 <library:library library:name="Standard" xlink:href="$(USER)/basic/Standard/{kind}.xlb/"
  xlink:type="simple" library:link="false"/>
</library:libraries>
"""

_LIBRARY = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard"
 library:readonly="false" library:passwordprotected="false">{elements}</library:library>
"""

_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupInstCompleted" oor:op="fuse">\
<value>true</value></prop></item>
</oor:items>
"""


def _write_profile(profile: Path) -> None:
    """A LibreOffice user profile holding the conversion macro (``Standard.Convert.ToPdf``)."""
    user = profile / "user"
    library = user / "basic" / "Standard"
    library.mkdir(parents=True)
    (user / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
    for kind in ("script", "dialog"):
        (user / "basic" / f"{kind}.xlc").write_text(_LIBRARIES.format(kind=kind), encoding="utf-8")
    (library / "script.xlb").write_text(
        _LIBRARY.format(elements='<library:element library:name="Convert"/>'), encoding="utf-8"
    )
    (library / "dialog.xlb").write_text(_LIBRARY.format(elements=""), encoding="utf-8")
    (library / "Convert.xba").write_text(_MACRO, encoding="utf-8")


def _macro_call(docx: Path, pdf: Path) -> str:
    """The command-line argument that runs the macro on ``docx``; file URLs never contain a
    double quote (it is percent-encoded), so the Basic strings stay whole."""
    return f'macro:///Standard.Convert.ToPdf("{docx.as_uri()}","{pdf.as_uri()}")'


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
