"""Every message a person can see has a Chinese translation, and the compiled catalogue is
current: Chinese is the working language of every screen and document."""

from __future__ import annotations

from lowcarbon.cli import messages


def test_catalogue_is_complete_and_compiled() -> None:
    assert messages.check() == []


def test_placeholders_survive_translation() -> None:
    import re

    from babel.messages.pofile import read_po

    with messages.PO_PATH.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and message.string:
            fields = set(re.findall(r"\{(\w+)\}", message.id))
            assert fields == set(re.findall(r"\{(\w+)\}", message.string)), message.id
