"""Every page a person of each role reaches on the demo reads in Chinese.

The walk signs in as each demo account, follows every link on the platform's own pages (GET
only, HTML only, a bounded number per account) and reads the visible text. A Latin word there
is a defect (an untranslated label, a raw identifier such as ``per_capita``, an English unit)
unless it is a symbol Chinese readers use as is (kWh, tCO₂, PDF, GB/T …), a name the data
itself carries (user names, uploaded file names) or a hash. The failure lists every page and
word found, so one run shows all of them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from urllib.parse import urldefrag, urlsplit

import lxml.html
import pytest
from django.test import Client

from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.models import Evidence

from .responses import close

pytestmark = pytest.mark.django_db

#: Symbols and names Chinese pages use as they are (units, formats, standards, methods).
ALLOWED = {
    # units and quantities
    "kWh",
    "MWh",
    "GWh",
    "kW",
    "MW",
    "tCO",
    "CO",
    "tce",
    "kgce",
    "km",
    "m",
    "kg",
    "t",
    "GJ",
    "MJ",
    "TJ",
    "Nm",
    "L",
    "h",
    # formats and systems
    "PDF",
    "DOCX",
    "XLSX",
    "CSV",
    "JSON",
    "GeoJSON",
    "Word",
    "Excel",
    "WPS",
    "ZIP",
    "URL",
    "API",
    "SHA",
    "ID",
    "HTML",
    "UTF",  # UTF-8 and GBK: the encodings a CSV file is read in
    "GBK",
    # standards and methods named by their letters
    "GB",
    "T",
    "IPCC",
    "GWP",
    "LMDI",
    "GPC",
    "NE",
    "IE",
    "NO",
    "NDRC",
    "AR",
    "NCV",
    "SH",
    "MRV",
    # experts named A, B, C in the anonymised ranking
    "A",
    "B",
    "C",
    # terms Chinese texts write in Latin letters
    "GDP",
    "LED",
    "kWp",
    "MWp",
    "hm",
    "E",
    "N",
    # file kinds and sizes named where files are uploaded
    "KB",
    "MB",
    "PNG",
    "JPEG",
    "PowerPoint",
    "pptx",
    "docx",
    "xlsx",
    "pdf",
    "png",
    "jpg",
    "jpeg",
    "geojson",
    # the GeoJSON vocabulary the boundary editor explains, and its datum
    "Feature",
    "FeatureCollection",
    "Polygon",
    "MultiPolygon",
    "WGS",
    # a data set's credit: its source, licence and identifier (the demo's real household)
    "UCI",
    "CC",
    "BY",
    "DOI",
    # the switch to the other language, named in that language
    "English",
}

PAGES_PER_ACCOUNT = 150
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z]+|(?<![A-Za-z0-9])[A-Za-z](?![A-Za-z0-9])")
HASH = re.compile(r"\b[0-9a-fA-F]{8,}\b")
EMAIL = re.compile(r"\S+@\S+")
FILE_NAME = re.compile(r"[\w.-]+\.(?:yaml|yml|xlsx|docx|pdf|json|geojson|csv|png|jpe?g|pptx)\b")
SKIP_PATHS = ("/static/", "/media/", "/accounts/logout", "/i18n/", "/admin/")


def _visible_text(html: str) -> str:
    tree = lxml.html.fromstring(html)
    for element in tree.xpath("//script|//style|//noscript|//code|//kbd|//samp"):
        element.drop_tree()
    return " ".join(tree.itertext())


def _links(html: str) -> list[str]:
    tree = lxml.html.fromstring(html)
    found = []
    for href in tree.xpath("//a/@href"):
        url, _ = urldefrag(href)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not url.startswith("/"):
            continue
        if url.startswith(SKIP_PATHS):
            continue
        found.append(url)
    return found


def _names_in_the_data() -> set[str]:
    """Words the data carries: user names, uploaded file names."""
    words: set[str] = set()
    texts = list(User.objects.values_list("username", flat=True))
    texts += list(Evidence.objects.values_list("original_name", flat=True))
    for text in texts:
        words.update(LATIN_WORD.findall(text))
    return words


def _walk(client: Client) -> dict[str, set[str]]:
    allowed = ALLOWED | _names_in_the_data()
    found: dict[str, set[str]] = defaultdict(set)
    queue, seen = ["/"], {"/"}
    visited = 0
    while queue and visited < PAGES_PER_ACCOUNT:
        url = queue.pop(0)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        visited += 1
        if response.status_code == 404 or response.status_code >= 500:
            found[url].add(f"<HTTP {response.status_code}: a link leads nowhere>")
        is_page = response.status_code == 200 and response.get("Content-Type", "").startswith(
            "text/html"
        )
        html = response.content.decode() if is_page else ""
        close(response)  # downloads are streamed files: close them unread
        if not is_page:
            continue
        text = FILE_NAME.sub(" ", EMAIL.sub(" ", HASH.sub(" ", _visible_text(html))))
        for word in LATIN_WORD.findall(text):
            if word not in allowed:
                found[url].add(word)
        for link in _links(html):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return found


def test_every_page_of_every_role_reads_in_chinese(demo: None) -> None:
    problems: dict[str, set[str]] = {}
    for user in User.objects.filter(is_active=True).order_by("username"):
        client = Client()
        client.force_login(user)
        for url, words in _walk(client).items():
            problems[f"{user.username} {url}"] = words
    report = "\n".join(f"{page}: {' '.join(sorted(words))}" for page, words in problems.items())
    assert not problems, "Latin words on Chinese pages:\n" + report
