from __future__ import annotations

from decimal import Decimal

from lowcarbon.core.errors import AnswerError, AnswerProblems
from lowcarbon.core.messages import Message, Term, format_points, render_value
from lowcarbon.core.text import LocalText


def test_points_are_written_as_people_write_them() -> None:
    assert format_points(Decimal("5.0")) == "5"
    assert format_points(Decimal("2.50")) == "2.5"
    assert format_points(Decimal("-0")) == "0"
    assert format_points(Decimal("1E+1")) == "10"


def test_nested_messages_and_lists_are_translated() -> None:
    inner = Message("mapping")
    outer = Message(
        "a value of type {type} in {items}",
        {"type": [inner, inner], "items": (Decimal("1.50"), "x")},
    )
    table = {"mapping": "映射", "a value of type {type} in {items}": "{items} 中的{type}类型"}
    assert outer.render(lambda s: table.get(s, s)) == "1.5, x 中的映射, 映射类型"
    assert str(outer) == "a value of type mapping, mapping in 1.5, x"
    assert render_value(3) == "3"


def test_message_without_fields_keeps_its_braces() -> None:
    text = "a mapping of ids to {title, file}"
    assert Message(text).render() == text


def test_answer_problems_summarise_the_first() -> None:
    one = AnswerError(Message("item {item} is not answered", {"item": "1"}), item_id="1")
    assert str(AnswerProblems([one])) == "item 1 is not answered"
    both = AnswerProblems([one, one])
    assert str(both) == "2 problems in the answers, the first: item 1 is not answered"
    assert both.code == "answers"
    assert one.code == "answer"


def test_local_text_falls_back_to_chinese() -> None:
    text = LocalText("低碳", "")
    assert text.get("en") == "低碳"
    assert LocalText("低碳", "low-carbon").get("en-GB") == "low-carbon"
    assert LocalText("低碳", "low-carbon").get("zh") == "低碳"


def test_terms_render_as_their_ids_unless_a_reader_names_them() -> None:
    factor = Term(
        "factor", "electricity/shanghai-purchased, EL-SH-2022", LocalText("外购电力", "x")
    )
    message = Message(
        "{value} {unit} ({factor})",
        {"value": Decimal("4.2"), "unit": Term("unit", "tCO2/10^4kWh"), "factor": factor},
    )
    nested = Message("= {inner}", {"inner": message, "list": [Term("unit", "t")]})
    # For analysts: the ids, exactly as before terms existed.
    assert message.render() == "4.2 tCO2/10^4kWh (electricity/shanghai-purchased, EL-SH-2022)"
    assert str(factor) == factor.id

    def present(term: Term) -> str:
        return term.label.zh if term.label is not None else f"<{term.kind}:{term.id}>"

    # For readers: named, down through nested messages and lists.
    assert message.render(present=present) == "4.2 <unit:tCO2/10^4kWh> (外购电力)"
    assert nested.render(present=present) == "= 4.2 <unit:tCO2/10^4kWh> (外购电力)"
    assert render_value([Term("unit", "t"), Term("unit", "kg")], present=present) == (
        "<unit:t>, <unit:kg>"
    )


def test_a_list_is_joined_with_the_readers_separator() -> None:
    message = Message("scores {values}", {"values": [Decimal(4), Decimal(1)]})
    assert message.render() == "scores 4, 1"

    def chinese(text: str) -> str:
        return {"scores {values}": "各专家评分{values}", ", ": "、"}.get(text, text)

    assert message.render(chinese) == "各专家评分4、1"
