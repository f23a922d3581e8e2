"""Apply a dict of Chinese translations to the catalogue (maintainers' helper).

Usage: python tools/translate.py TRANSLATIONS.py — the file defines ZH = {msgid: msgstr}.
Only empty entries are filled; existing translations are kept. Then run `make messages`.
"""

from __future__ import annotations

import runpy
import sys

from babel.messages.pofile import read_po, write_po

from lowcarbon.cli.messages import PO_PATH


def main(source: str) -> int:
    translations: dict[str, str] = runpy.run_path(source)["ZH"]
    with PO_PATH.open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans_CN")
    filled = 0
    for message in catalog:
        if isinstance(message.id, tuple):
            # A plural message (blocktranslate count): Chinese has one form; the dict is keyed
            # by the singular id.
            key = message.id[0]
            if not all(message.string) and key in translations:
                message.string = (translations[key],)
                filled += 1
        elif message.id and not message.string and message.id in translations:
            message.string = translations[message.id]
            filled += 1
    with PO_PATH.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, include_previous=False)
    print(f"{filled} translation(s) filled")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
