"""The pages' plain Vietnamese (every construct of the criteria language, numbers and dates as
documents write them), the service's settings, and ``emulation-rules serve`` without its
extra."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import emulation_rules.service as service
from emulation_rules import Campaign
from emulation_rules.cli import main
from emulation_rules.engine.compiler import resolve_parameters
from emulation_rules.inputs.locale import get_locale
from emulation_rules.limits import LimitError
from emulation_rules.service.settings import ServiceSettings
from emulation_rules.service.wording import Phrase, rule_phrase, vn_date, vn_number, vn_value


def words(campaign: Campaign, criterion_id: str, day: str = "2024-06-01") -> Phrase:
    crit = campaign.criterion(criterion_id)
    params = resolve_parameters(campaign, dt.date.fromisoformat(day), None)
    return rule_phrase(campaign, crit.rule, params, crit.kind)


def test_every_construct_in_words(mini: Campaign) -> None:
    par = words(mini, "c.par")
    assert par == Phrase("PAR INDEX: từ 90 % trở lên", parameters=("par_min",))
    # a dated parameter: the value in force on the day shown
    assert words(mini, "c.sipas", "2024-03-01").text == "SIPAS: từ 90 % trở lên"
    assert words(mini, "c.sipas", "2024-08-01").text == "SIPAS: từ 85 % trở lên"
    assert words(mini, "c.ddci").text == "DDCI: từ mức «Tốt» trở lên"
    guard = mini.criterion("c.ddci").applies_if
    assert guard is not None
    params = resolve_parameters(mini, dt.date(2024, 6, 1), None)
    assert rule_phrase(mini, guard, params, "collective").text == "Thuộc đối tượng DDCI: có"
    progress = words(mini, "c.progress")
    assert progress.text == "Đáp ứng ít nhất một trong các điều kiện sau:"
    assert [c.text for c in progress.children] == [
        "Điểm năm nay không thấp hơn Điểm năm trước cộng 0,5",
        "Sáng kiến: từ 3 trở lên",
    ]
    assert progress.children[0].parameters == ("gain",)
    progress_guard = mini.criterion("c.progress").applies_if
    assert progress_guard is not None
    assert rule_phrase(mini, progress_guard, params, "collective").text == "Thuộc: UBND cấp huyện"
    assert words(mini, "i.unit_par").text == (
        "PAR INDEX (của đơn vị nơi cá nhân công tác): từ 90 % trở lên"
    )
    negated = words(mini, "i.excellent")
    assert negated.text == "Không thuộc trường hợp sau:"
    assert [c.text for c in negated.children] == ["HTXSNV: không"]


def test_numbers_dates_and_values_as_documents_write_them() -> None:
    assert vn_number(99.95) == "99,95"
    assert vn_number(1000) == "1.000"
    assert vn_number(1234567.5) == "1.234.567,5"
    assert vn_number(-0.5) == "-0,5"
    assert vn_number(8.0) == "8"
    assert vn_date(dt.date(2021, 6, 21)) == "21/6/2021"
    assert vn_date(None) == "không rõ ngày"
    assert vn_value(True) == "có" and vn_value(False) == "không"
    assert vn_value("Tốt") == "«Tốt»"
    assert vn_value(5, "sáng kiến") == "5 sáng kiến"


@given(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False).filter(
        lambda x: "e" not in repr(x)
    )
)
def test_a_number_shown_reads_back_as_the_same_number_in_the_vietnamese_form(value: float) -> None:
    """What the pages write, the form's Vietnamese reader reads as the same number."""
    shown = vn_number(value)
    assert re.fullmatch(get_locale("vi").number_pattern, shown), shown
    assert float(shown.replace(".", "").replace(",", ".")) == value


def test_settings_refuse_what_makes_no_sense() -> None:
    assert ServiceSettings().max_body_bytes == 16 * 1024 * 1024
    for bad in (
        {"evaluation_timeout_seconds": 0},
        {"evaluation_timeout_seconds": float("nan")},
        {"max_concurrent_evaluations": 0},
        {"max_concurrent_evaluations": True},
        {"cors_origins": ["*"]},
    ):
        with pytest.raises(LimitError):
            ServiceSettings(**bad)  # type: ignore[arg-type]
    assert ServiceSettings(cors_origins=["https://office.example"]).cors_origins == (
        "https://office.example",
    )


def test_serve_says_which_install_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "missing_modules", lambda: ["fastapi", "uvicorn"])
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "error: serve needs fastapi, uvicorn, which is not installed: "
        "pip install 'emulation-rules[service]'"
    )
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'emulation-rules\[service\]'"):
        service.__getattr__("create_app")


def test_serve_options_and_their_errors() -> None:
    helped = CliRunner().invoke(main, ["serve", "--help"])
    assert helped.exit_code == 0
    text = " ".join(helped.output.split())
    assert "--host TEXT address to listen on [default: 127.0.0.1]" in text
    assert "[default: 8000; 0<=x<=65535]" in text
    bad = CliRunner().invoke(main, ["serve", "--cors-origin", "*"])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("error: setting 'cors_origins': '*' is not an origin")
    limits = CliRunner().invoke(
        main, ["serve", "--timeout", "5"], env={"EMULATION_RULES_LIMITS": "max_candidates=x"}
    )
    assert limits.exit_code == 2
    assert "EMULATION_RULES_LIMITS" in limits.stderr


def test_a_result_of_the_criteria_languages_nodes_in_words() -> None:
    """The result page's view of a plan using the language's nodes (series, dates, members,
    distinct ids, award references, an explanation) names each entry of ``observed``: a fact by
    its label, anything else as the output names it; dates as documents write them."""
    import json
    from pathlib import Path

    from emulation_rules import evaluate
    from emulation_rules.plan.loader import load_campaign
    from emulation_rules.service.views import result_view

    plans = Path(__file__).resolve().parents[1] / "engine" / "plans"
    campaign = load_campaign(plans / "national_law.yaml")
    sample = json.loads((plans / "national_law_sample.json").read_text(encoding="utf-8"))
    view = result_view(evaluate(campaign, sample))
    rows = {(c["id"], v["id"]): v for c in view["candidates"] for v in c["criteria"]}
    person = rows[("a1", "bang_khen.hai_nam_cstdcs_hoac_htxs")]["observed"]
    assert {
        "label": "Đạt danh hiệu Chiến sĩ thi đua cơ sở theo năm",
        "value": "2023: có; 2024: có",
        "missing": False,
    } in person
    assert any(
        o["label"].startswith("distinct(initiatives") and "số khác nhau: 2" in o["value"]
        for o in person
    )
    unit = rows[("phong-a", "ttldxs.ty_le_ldtt")]["observed"]
    assert [o["label"] for o in unit] == ["members[eligible for lao_dong_tien_tien]"]
    assert "đạt: " in unit[0]["value"] and "số thành viên: 3" in unit[0]["value"]
    ref = rows[("a1", "cstdcs.dat_ldtt")]["observed"]
    assert ref == [{"label": "award.lao_dong_tien_tien", "value": "«eligible»", "missing": False}]
    assert any(v["explanation"] for v in rows.values())
    assert vn_value("2015-03-01") == "1/3/2015"
    from emulation_rules.plugins.registry import RegisteredCampaign
    from emulation_rules.service.views import explorer

    shown = explorer(RegisteredCampaign(campaign, "law", None, None, "national_law.yaml"))
    day = next(p for p in shown["parameters"] if p["id"] == "assessment_day")
    assert day["dated"] == [{"since": None, "value": "31/12/2024"}]


def test_the_pages_say_the_languages_explanations_forms_and_sources_in_vietnamese() -> None:
    """After the outputs' message catalogue: a criterion's explanation on the result page is
    Vietnamese (facts by their labels), a form of the law's catalogue is named by its name, and
    a source without a number says so and links its web address."""
    import json
    from pathlib import Path

    from emulation_rules import evaluate
    from emulation_rules.plan.loader import load_campaign
    from emulation_rules.plugins.registry import RegisteredCampaign
    from emulation_rules.service.views import explorer, result_view

    plans = Path(__file__).resolve().parents[1] / "engine" / "plans"
    campaign = load_campaign(plans / "national_law.yaml")
    sample = json.loads((plans / "national_law_sample.json").read_text(encoding="utf-8"))
    view = result_view(evaluate(campaign, sample))
    rows = {(c["id"], v["id"]): v for c in view["candidates"] for v in c["criteria"]}
    assert rows[("phong-b", "ttldxs.co_cstdcs")]["explanation"] == (
        "0/2 thành viên đạt, 2 thành viên chưa xác định được: số thành viên đạt nằm trong "
        "khoảng từ 0 đến 2"
    )
    assert rows[("a1", "ldtt.hoan_thanh_tot")]["explanation"] is None
    shown = explorer(RegisteredCampaign(campaign, "law", None, None, "national_law.yaml"))
    forms = {a["id"]: a["form"] for a in shown["awards"]}
    assert forms["lao_dong_tien_tien"] == "Lao động tiên tiến"
    assert forms["bang_khen_ca_nhan"] == "Bằng khen"  # the service's short name kept
    page = next(s for s in shown["sources"] if s["url"])
    assert page["line"].startswith("Trang tin (không số), không rõ ngày, ") and page["number_note"]
    assert not any("None" in s["line"] for s in shown["sources"])
