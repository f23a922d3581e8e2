"""Every message a person can see has a Chinese translation, and the compiled catalogue is
current: Chinese is the working language of every screen and document."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from lowcarbon.cli import messages


def test_catalogue_is_complete_and_compiled() -> None:
    assert messages.check() == []


def _po_catalog() -> Catalog:
    from babel.messages.pofile import read_po

    with messages.PO_PATH.open("rb") as handle:
        return read_po(handle, locale="zh_Hans_CN")


def test_a_translation_changed_in_the_po_only_is_a_stale_catalogue() -> None:
    catalog = _po_catalog()
    edited = next(m for m in catalog if m.id and isinstance(m.id, str) and m.string)
    edited.string = edited.string + "（改）"
    problems = messages.compiled_problems(catalog, messages.MO_PATH)
    assert len(problems) == 1
    assert "run `make messages`" in problems[0]
    assert repr(edited.id) in problems[0]


def test_a_new_translated_message_missing_from_the_mo_is_a_stale_catalogue() -> None:
    catalog = _po_catalog()
    catalog.add("A message compiled nowhere", "无处编译的消息")
    assert messages.compiled_problems(catalog, messages.MO_PATH) != []


def test_other_bytes_with_the_same_translations_are_current(tmp_path: Path) -> None:
    # Another Babel release lays the same catalogue out differently; gettext reads past trailing
    # bytes just as it reads another hash table: only the translations count.
    other = tmp_path / "django.mo"
    other.write_bytes(messages.MO_PATH.read_bytes() + b"\0" * 64)
    assert other.read_bytes() != messages.MO_PATH.read_bytes()
    assert messages.compiled_problems(_po_catalog(), other) == []


def test_a_missing_mo_is_a_stale_catalogue(tmp_path: Path) -> None:
    assert messages.compiled_problems(_po_catalog(), tmp_path / "django.mo") != []


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
