"""The system programs some tests need (LibreOffice, poppler-utils), run or failed for loudly.

`scripts/ensure-system-deps` installs them (it runs before `make test` and in CI); a missing one
fails the test with the command to run, never skips it.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from lowcarbon.documents.pdf import converter

__all__ = ["pdf_text", "require_converter", "run"]

_INSTALL = "run scripts/ensure-system-deps"


def require_converter() -> None:
    if converter() is None:
        pytest.fail(f"LibreOffice not found: {_INSTALL}", pytrace=False)


def run(*command: str) -> str:
    """The standard output of ``command`` (pdfinfo, pdftotext, pdffonts, pdftoppm …)."""
    tool = shutil.which(command[0])
    if tool is None:
        pytest.fail(f"{command[0]} not found: {_INSTALL}", pytrace=False)
    return subprocess.run([tool, *command[1:]], capture_output=True, text=True, check=True).stdout


def pdf_text(path: object) -> str:
    return run("pdftotext", "-layout", str(path), "-")
