"""Word documents in official layout: the template, the blocks, and what a broken template says."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from lowcarbon.documents.blocks import Figure, Heading, Narrative, Paragraph, Placeholder, Table
from lowcarbon.documents.word import TemplateError, build_template, render_document, template_fields

FIELDS = {
    "title": "低碳社区创建实施方案",
    "unit_name": "青枫里社区",
    "round_label": "2026年度",
    "status_text": "草稿",
    "applicant_line": "申报单位：青枫里社区",
    "seal_text": "（盖章）",
    "date_text": "2026年11月24日",
    "snapshot_sha256": "",
}


def identity(text: str) -> str:
    return text


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "default.docx"
    build_template(path, identity)
    return path


def render(template: Path, tmp_path: Path, blocks: list, **fields: str) -> Document:  # type: ignore[type-arg]
    out = tmp_path / "out.docx"
    render_document(template, FIELDS | fields, blocks, out, identity)
    return Document(str(out))


def test_the_default_template_has_the_official_page_layout(template: Path) -> None:
    document = Document(str(template))
    assert len(document.sections) == 2  # cover and contents; numbered body
    for section in document.sections:
        # Word stores twips: compare in whole millimetres.
        sizes = [section.page_width, section.page_height, section.top_margin]
        sizes += [section.bottom_margin, section.left_margin, section.right_margin]
        assert [round(size.mm) for size in sizes] == [210, 297, 37, 35, 28, 26]
    body = document.sections[1]
    footer_xml = body.footer._element.xml
    assert "PAGE" in footer_xml
    assert "— " in body.footer.paragraphs[0].text
    assert not body.footer.is_linked_to_previous
    assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert document.settings.odd_and_even_pages_header_footer
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert template_fields(template) == set(FIELDS) - {"round_label", "snapshot_sha256"} | {"body"}


def test_blocks_are_laid_out_in_order_with_their_styles(template: Path, tmp_path: Path) -> None:
    blocks = [
        Heading(1, "一、", "社区基本情况"),
        Heading(2, "（一）", "社区情况简介"),
        Paragraph("青枫里社区位于徐汇区。", lead="地理位置："),
        Narrative(
            "<p>推进<strong>既有建筑</strong>节能改造</p><ol><li>光伏</li><li>储能</li></ol>"
        ),
        Table(
            "碳排放",
            ["类别", "tCO₂"],
            [["电力", "1,234.5"], ["天然气", "56"]],
            numeric=frozenset({1}),
        ),
        Placeholder("待补充：交通条件"),
        Heading(1, "二、", "创建的可行性分析"),
    ]
    document = render(template, tmp_path, blocks)
    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "一、社区基本情况"),
        ("Heading 2", "（一）社区情况简介"),
        ("Heading 1", "二、创建的可行性分析"),
    ]
    texts = [p.text for p in document.paragraphs]
    assert "地理位置：青枫里社区位于徐汇区。" in texts
    assert "1. 光伏" in texts
    assert "2. 储能" in texts
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "既有建筑" in bold
    placeholder = next(p for p in document.paragraphs if "待补充" in p.text)
    assert placeholder.runs[0].font.color.rgb is not None
    assert placeholder.runs[0].bold
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["类别", "tCO₂"]
    assert table.rows[1].cells[1].text == "1,234.5"
    assert table.rows[1].cells[1].paragraphs[0].style.name == "Table Number"
    header_props = table.rows[0]._tr.trPr
    assert header_props.find(qn("w:tblHeader")) is not None  # repeats on every page
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert any(p.text == "Table 1 碳排放" for p in document.paragraphs)
    # The template's fields are filled and the body marker is gone.
    assert "青枫里社区" in texts
    assert not any("lowcarbon-body" in t for t in texts)
    # The contents field shows the headings even before Word updates it.
    toc = next(p for p in document.paragraphs if "TOC" in p._p.xml and "instrText" in p._p.xml)
    assert "一、社区基本情况" in toc.text
    assert "二、创建的可行性分析" in toc.text


def test_odd_characters_and_broken_images_never_break_a_document(
    template: Path, tmp_path: Path
) -> None:
    blocks = [
        Paragraph("控制字符\x00\x07在此\x1f被删去"),
        Figure("损坏的图片", b"not a png at all"),
        Narrative("<p>未闭合 <strong>标签"),
    ]
    document = render(template, tmp_path, blocks)
    texts = [p.text for p in document.paragraphs]
    assert "控制字符在此被删去" in texts
    assert "[figure could not be embedded]" in texts
    assert "Figure 1 损坏的图片" in texts


def test_a_real_image_is_embedded(template: Path, tmp_path: Path) -> None:
    png = _png()
    document = render(template, tmp_path, [Figure("结构", png, description="电力 80%")])
    out = tmp_path / "out.docx"
    with zipfile.ZipFile(out) as archive:
        assert any(name.startswith("word/media/") for name in archive.namelist())
    assert "电力 80%" in [p.text for p in document.paragraphs]


def _png() -> bytes:
    import cairosvg

    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
        b'<rect width="40" height="20" fill="green"/></svg>'
    )
    return cairosvg.svg2png(bytestring=svg)


def _template_with(tmp_path: Path, text: str) -> Path:
    document = Document()
    document.add_paragraph(text)
    path = tmp_path / "custom.docx"
    document.save(str(path))
    return path


def test_a_template_without_the_body_field_is_refused(tmp_path: Path) -> None:
    path = _template_with(tmp_path, "{{ title }}")
    with pytest.raises(TemplateError) as caught:
        render_document(path, FIELDS, [], tmp_path / "out.docx", identity)
    assert "{{ body }}" in caught.value.render(identity)
    assert caught.value.render(identity).startswith("custom.docx")


def test_a_template_field_the_document_lacks_is_named(tmp_path: Path) -> None:
    path = _template_with(tmp_path, "{{ body }} {{ mayor_name }}")
    with pytest.raises(TemplateError) as caught:
        render_document(path, FIELDS, [], tmp_path / "out.docx", identity)
    rendered = caught.value.render(identity)
    assert "{{ mayor_name }}" in rendered
    assert "unit_name" in rendered


def test_a_file_that_is_not_a_word_template_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fake.docx"
    path.write_bytes(b"%PDF-1.7 not a docx")
    with pytest.raises(TemplateError) as caught:
        template_fields(path)
    rendered = caught.value.render(identity)
    assert "not a readable Word template" in rendered
    # The library's text ("Package not found at '/tmp/…'") is logged, never shown.
    assert str(tmp_path) not in rendered
    assert "Package" not in rendered


def test_a_template_edited_in_word_keeps_working(template: Path, tmp_path: Path) -> None:
    """An administrator changes the cover text around the fields; the fields still fill."""
    document = Document(str(template))
    document.paragraphs[0].text = "上海市低碳示范创建申报材料"
    edited = tmp_path / "edited.docx"
    document.save(str(edited))
    result = render(edited, tmp_path, [Heading(1, "一、", "基本情况")])
    texts = [p.text for p in result.paragraphs]
    assert texts[0] == "上海市低碳示范创建申报材料"
    assert "青枫里社区" in texts


def test_rendering_twice_gives_the_same_text(template: Path, tmp_path: Path) -> None:
    blocks = [Heading(1, "一、", "基本情况"), Paragraph("正文")]
    first = [p.text for p in render(template, tmp_path, blocks).paragraphs]
    second = [p.text for p in render(template, tmp_path, blocks).paragraphs]
    assert first == second


def test_a_document_without_headings_has_no_contents_page(template: Path, tmp_path: Path) -> None:
    def contents(document: Document) -> tuple[list[str], bool]:  # type: ignore[valid-type]
        titles = [p.text for p in document.paragraphs if p.style.name == "TOC Heading"]
        field = "TOC" in "".join(t.text or "" for t in document.element.iter(qn("w:instrText")))
        return titles, field

    with_headings = render(template, tmp_path, [Heading(1, "一、", "总体要求"), Paragraph("正文")])
    assert contents(with_headings) == (["Contents"], True)
    without = render(template, tmp_path, [Paragraph("只有一张表的清单")])
    assert contents(without) == ([], False)
    # The cover still ends its section: the body starts on a new, numbered page.
    assert len(without.sections) == 2
    assert "只有一张表的清单" in [p.text for p in without.paragraphs]


def test_a_long_title_breaks_between_words_not_inside_one(template: Path, tmp_path: Path) -> None:
    document = render(
        template,
        tmp_path,
        [Paragraph("正文")],
        title="望江湾低碳发展实践区2026年度低碳发展工作计划",
        unit_name="低碳发展实践区（近零碳排放实践区）创建实施方案",
    )
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    # 20 characters fit a 22 pt line: the title breaks after the place name, never inside
    # "工作" or the year; a bracketed name stays whole on its line.
    assert "望江湾低碳发展实践区\n2026年度低碳发展工作计划" in titles
    assert "低碳发展实践区\n（近零碳排放实践区）创建实施方案" in titles
    short = render(template, tmp_path, [Paragraph("正文")], title="专家评分表")
    assert "专家评分表" in [p.text for p in short.paragraphs if p.style.name == "Title"]


def test_table_columns_are_as_wide_as_their_numbers_need(template: Path, tmp_path: Path) -> None:
    # Seven equal columns broke "11,240,000" and "2026-01-01" inside their cells; the written
    # table gives those columns their width (Word's cell widths and LibreOffice's grid alike).
    header = ["序号", "项目名称", "建设内容", "年发电量（kWh）", "开始", "结束", "备注"]
    row = ["1", "屋顶光伏", "在12栋住宅屋顶建设分布式光伏" * 3, "11,240,000", "2026-01-01", "", ""]
    document = render(template, tmp_path, [Table("项目", header, [row], numeric=frozenset({3}))])
    [table] = document.tables
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    cells = [cell.width for cell in table.rows[1].cells]
    assert [round(w / 36000) for w in cells] == [round(g * 635 / 36000) for g in grid]
    twips_per_mm = 1440 / 25.4
    needed = 10 * 0.5 * 10.5 * 0.3528 + 3.8  # ten half-width characters at 5号, plus padding
    assert grid[3] / twips_per_mm >= needed
    assert grid[4] / twips_per_mm >= needed
    assert sum(grid) / twips_per_mm == pytest.approx(156, abs=0.5)
    assert max(grid) == grid[2]
    assert table.rows[1].cells[3].paragraphs[0].style.name == "Table Number"
