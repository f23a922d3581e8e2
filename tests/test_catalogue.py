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

    def fields(text: str) -> set[str]:
        # str.format fields ({name}) and Django template fields (%(name)s)
        return set(re.findall(r"\{(\w+)\}", text)) | set(re.findall(r"%\((\w+)\)s", text))

    for message in catalog:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple):  # a plural: every Chinese form keeps the fields
            wanted = fields(message.id[0]) | fields(message.id[1])
            for form in message.string:
                assert fields(form) <= wanted, message.id
                assert fields(form) >= fields(message.id[1]) - {"count"}, message.id
        else:
            assert fields(message.id) == fields(message.string), message.id
