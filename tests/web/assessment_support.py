"""Shared helpers of the self-assessment tests: real minimal files of every accepted type,
rounds and applications made through the real actions, the examples loaded as answers."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook
from PIL import Image

from lowcarbon.rules.activity import accounting_input_to_data, load_accounting_file
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.actions import do_create_application
from lowcarbon.web.applications.models import Application
from lowcarbon.web.rounds.actions import do_open_round
from lowcarbon.web.rounds.models import Round

REPO = Path(__file__).resolve().parents[2]


def make_round(admin: User, *, year: int = 2099, factor_set_id: str = "shanghai-2022") -> Round:
    """A round open for both kinds whose submission deadline lies ahead, whatever today is."""
    today = timezone.localdate()
    return do_open_round(
        year=year,
        kinds=["community", "zone"],
        submission_deadline=today + timedelta(days=30),
        recommendation_deadline=today + timedelta(days=60),
        review_deadline=today + timedelta(days=90),
        rubric_editions={"community": "2021", "zone": "2021"},
        outline_editions={"community": "2021", "zone": "2021"},
        factor_set_id=factor_set_id,
        actor=admin,
    )


def make_application(round_: Round, applicant: User, kind: str) -> Application:
    return do_create_application(
        round_,
        applicant.organisation,  # type: ignore[arg-type]
        kind,
        actor=applicant,
    )


def example_accounting(kind: str) -> dict[str, Any]:
    """The example accounting input as the JSON the application keeps."""
    data = accounting_input_to_data(
        load_accounting_file(REPO / "examples" / kind / "accounting.yaml")
    )
    loaded: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return loaded


def example_answers(kind: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(
        (REPO / "examples" / kind / "answers.yaml").read_text(encoding="utf-8")
    )
    return loaded


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- files -----------------------------------------------------------------------------------


def pdf_bytes(marker: str = "") -> bytes:
    body = f"1 0 obj << /Type /Catalog >> endobj % {marker}\n".encode()
    return b"%PDF-1.4\n" + body + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def png_bytes(colour: tuple[int, int, int] = (31, 111, 67)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(buffer, format="JPEG")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["年份", "用电量（万kWh）"])
    sheet.append([2024, 1250])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _ooxml(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def docx_bytes(*, macros: bool = False) -> bytes:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES_XML,
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
            "实施方案</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    if macros:
        parts["word/vbaProject.bin"] = "not really VBA"
    return _ooxml(parts)


def pptx_bytes() -> bytes:
    return _ooxml(
        {
            "[Content_Types].xml": CONTENT_TYPES_XML.replace("word/document", "ppt/presentation"),
            "ppt/presentation.xml": "<p:presentation/>",
        }
    )


def geojson_bytes() -> bytes:
    feature = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": "望江湾实践区"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[121.40, 31.17], [121.42, 31.17], [121.42, 31.19], [121.40, 31.17]]
                    ],
                },
            }
        ],
    }
    return json.dumps(feature, ensure_ascii=False).encode("utf-8")


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
