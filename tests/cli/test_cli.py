"""The command line as a person uses it: Chinese by default, English on request, JSON for
machines, and clear messages with a non-zero exit for bad input — never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lowcarbon.cli.main import EXIT_INPUT, EXIT_NO_EVIDENCE, EXIT_OK, main

ROOT = Path(__file__).parents[2]
COMMUNITY = ROOT / "examples" / "community" / "answers.yaml"
ZONE = ROOT / "examples" / "zone" / "answers.yaml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_scores_both_examples_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demo")
    assert code == EXIT_OK, err
    assert "申报单位：青枫里社区" in out
    assert "合计（基础分）：82.5 / 99.5（标明100分）" in out
    assert "加分项：10 / 20（标明20分）" in out
    assert "合计（基础分）：86 / 100（标明100分）" in out
    assert "失分明细及原因：" in out
    assert "第19项（配备新能源汽车/锂电池助动自行…）：失1分" in out
    assert "未达到（3.5分）：社区配备新能源汽车充电桩的得3.5分" in out
    # The accounting of the same units follows their self-assessment.
    assert "示例：community/accounting.yaml" in out
    assert "碳排放下降率（同口径）" in out
    assert "主要任务碳减排量与总体目标衔接（附件2 三）：未衔接" in out


def test_score_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", str(ZONE), "--lang", "en")
    assert code == EXIT_OK
    assert "Total (main points): 86 / 100 (declared 100)" in out
    assert "not met (5): Task reductions are consistent with the overall target" in out


def test_score_json_carries_the_trace(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", str(COMMUNITY), "--json")
    assert code == EXIT_OK
    data = json.loads(out)
    assert data["rubric"] == "community/2021"
    assert data["pools"]["main"] == {"points": 82.5, "maximum": 99.5, "raw": 82.5, "notes": []}
    item_19 = next(i for s in data["sections"] for i in s["items"] if i["id"] == "19")
    assert item_19["points"] == 2.5
    assert item_19["maximum"] == 3.5
    awarded = [t for t in item_19["trace"] if t["awarded"]]
    assert awarded == [
        {
            "part": None,
            "criterion": "bike_chargers_only",
            "text": "社区只配备自行车充电桩的2.5分",
            "points": 2.5,
            "awarded": True,
        }
    ]
    assert item_19["evidence"] == ["E21"]


def test_missing_evidence_zeroes_the_item_and_exits_3(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = COMMUNITY.read_text(encoding="utf-8").replace(
        '"1": {level: group_with_roles, evidence: [E01]}', '"1": {level: group_with_roles}'
    )
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "score", str(path))
    assert code == EXIT_NO_EVIDENCE
    assert "无证明材料" in out
    assert "自评5分但无证明材料，计0分（附件4 注）" in out
    assert "第1项" in err or "item 1" in err


def test_bad_answers_list_every_problem_with_its_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = ZONE.read_text(encoding="utf-8").replace("constraint_met: true", "constraint_met: null")
    text = text.replace('"2.2": {ticked: [dedicated_funds]', '"2.2": {level: dedicated_funds')
    path = tmp_path / "answers.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "score", str(path))
    assert code == EXIT_INPUT
    assert out == ""
    assert "第2.2项：level 不适用于“逐条累加”类指标项；请用 ticked 作答" in err
    assert "第4.1项：请说明约束项是否满足" in err
    assert "共2处问题；未进行评分" in err
    assert "Traceback" not in err
    lines = text.splitlines()
    reported = [int(line.split(":")[1]) for line in err.splitlines() if line.startswith(str(path))]
    assert any('"2.2"' in lines[n - 1] for n in reported)


def test_broken_yaml_names_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("rubric: zone/2021\nunit: [unclosed\n", encoding="utf-8")
    code, _, err = run(capsys, "score", str(path))
    assert code == EXIT_INPUT
    assert err.startswith(f"错误：{path}:")
    assert "格式正确的 YAML" in err


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "score", str(tmp_path / "none.yaml"), "--lang", "en")
    assert code == EXIT_INPUT
    assert "expected an existing file" in err


def test_rubrics_list_show_validate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rubrics", "list")
    assert code == EXIT_OK
    assert "community/2021" in out
    assert "zone/2021" in out
    code, out, _ = run(capsys, "rubrics", "show", "community/2021", "--item", "9")
    assert "社区内设立1处以上节能灯发放点另加1分" in out
    code, out, _ = run(capsys, "rubrics", "show", "zone/2021")
    assert "四、低碳重点项目 (15)" in out
    assert "3.1. 区域低碳发展总体目标" in out
    code, out, _ = run(capsys, "rubrics", "validate", "--strict")
    assert code == EXIT_OK
    assert "第19项标明6分，但其评分标准最高只能得3.5分" in out
    assert "三 (s3)部分标明30分，而其各项标明分值合计为32分" in out
    assert "第3.1项未标明分值；其评分标准最高可得30分" in out
    assert "编号“三”在原文中用于2个部分" in out
    code, out, _ = run(capsys, "rubrics", "validate", "zone/2021", "--json")
    (report,) = json.loads(out)
    assert report["ok"] is True
    assert report["items"]["3.1"] == {
        "declared": None,
        "minimum": 0,
        "maximum": 30,
        "effective_maximum": 30,
    }


def test_rubric_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rubrics", "show", "community/2021", "--json")
    data = json.loads(out)
    assert code == EXIT_OK
    assert [s["label"] for s in data["sections"]] == ["一", "二", "三", "三"]
    assert data["sections"][0]["items"][0]["methods"] == ["document_review"]


def test_unknown_rubric_and_item(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "rubrics", "show", "community")
    assert code == EXIT_INPUT
    assert "community 不是指标体系编号" in err
    code, _, err = run(capsys, "rubrics", "show", "zone/2021", "--item", "9")
    assert code == EXIT_INPUT
    assert "zone/2021 has no item 9" in err or "9" in err


def test_template_round_trip(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "t.yaml"
    code, _, err = run(capsys, "answers", "template", "zone/2021", "-o", str(target))
    assert code == EXIT_OK
    assert str(target) in err
    text = target.read_text(encoding="utf-8")
    assert "选择一个等级" not in text  # zone items are checklists
    assert "勾选所有已满足的评分标准" in text
    code, out, _ = run(capsys, "answers", "template", "community/2021", "--lang", "en")
    assert "choose one level:" in out
    filled = tmp_path / "filled.yaml"
    shutil.copy(ZONE, filled)
    assert run(capsys, "score", str(filled))[0] == EXIT_OK


def test_environment_chooses_the_language(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOWCARBON_LANG", "en")
    _, out, _ = run(capsys, "rubrics", "list")
    assert "Indicator system for low-carbon" in out
    monkeypatch.setenv("LOWCARBON_LANG", "fr")
    _, out, _ = run(capsys, "rubrics", "list")
    assert "低碳社区（近零碳排放社区）申报创建指标体系" in out
    _, out, _ = run(capsys, "rubrics", "list", "--lang=en")
    assert "Indicator system for low-carbon" in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["score"])
    assert caught.value.code == 2


def test_factor_sets_and_derivation_check(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "factors", "list")
    assert code == EXIT_OK
    assert "shanghai-2022" in out
    assert "至今" in out
    code, out, _ = run(capsys, "factors", "show", "shanghai-2022", "--json")
    entries = {e["category"]: e for e in json.loads(out)}
    assert (entries["electricity"]["value"], entries["electricity"]["unit"]) == (
        "4.2",
        "tCO2/10^4kWh",
    )
    assert entries["natural_gas"]["confidence"] in {"secondary", "literature", "untraced"}
    # The table for people names the units; the JSON keeps the machine spelling.
    code, out, _ = run(capsys, "factors", "show", "shanghai-2022")
    electricity = next(line for line in out.splitlines() if line.startswith("electricity"))
    assert "吨二氧化碳/万千瓦时" in electricity
    assert "^" not in electricity
    code, out, _ = run(capsys, "factors", "check")
    assert code == EXIT_OK
    assert "fuel/cn-natural-gas" in out
    assert "一致" in out
    code, _, err = run(capsys, "factors", "show", "shanghai-2099")
    assert code == EXIT_INPUT
    assert "shanghai-2099" in err
