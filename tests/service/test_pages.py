"""The pages in a real headless browser: Debian's Chromium driven by Selenium through Debian's
chromedriver, against a real server process. The campaigns, the plan explorer (on a desktop and
on a phone), the upload of a filled form, a candidate's explanation, the downloads (the form,
the CSV table, the result workbook, the dossier and a candidate's letter, opened with openpyxl
and python-docx), bad input, and keyboard use. Each page's screenshot is written to
build/screenshots/ for a person to look at.

The browser is required where ``CI`` is set (``make test`` installs it, ``.ci/run`` sets ``CI``);
elsewhere, without ``/usr/bin/chromium`` and ``/usr/bin/chromedriver``, these tests are skipped.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from filled_forms import fill_form
from servers import (  # the fixtures, imported for pytest to find them
    CAMPAIGN,
    Server,
    sample,
    server,
)

from emulation_rules import Registry, evaluate
from emulation_rules.evaluation.evaluate import evaluate_validated, library_version, resolve_as_of
from emulation_rules.inputs.files import load_input
from emulation_rules.inputs.template import write_template
from emulation_rules.outputs.dossier import render_dossier
from emulation_rules.outputs.letter import render_letter
from emulation_rules.outputs.results import render
from emulation_rules.outputs.workbook import write_workbook

__all__ = ["sample", "server"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--lang=vi",
)

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.remote.webdriver import WebDriver  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def downloads() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="er-downloads-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[WebDriver]:
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        if os.environ.get("CI"):
            pytest.fail(
                "Chromium and chromedriver are required in CI: make test installs them"
                " (tools/install-browser.sh)"
            )
        pytest.skip(
            "Debian's chromium and chromium-driver are not installed (make test installs them"
            " as root: tools/install-browser.sh)"
        )
    profile = tempfile.mkdtemp(prefix="er-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=1280,900")
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    driver = webdriver.Chrome(options=options, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def screenshot(driver: WebDriver, name: str, *, height: int | None = None) -> Path:
    """The whole page (up to 12,000 pixels high) as build/screenshots/NAME.png."""
    width = driver.execute_script("return window.innerWidth")
    full = driver.execute_script("return document.documentElement.scrollHeight")
    size = driver.get_window_size()
    driver.set_window_size(size["width"], min(height or full + 200, 12_000))
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(size["width"], size["height"])
    assert path.stat().st_size > 10_000 and width > 0
    return path


def wait_for_file(directory: Path, suffix: str, seconds: float = 20) -> Path:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done = [p for p in directory.iterdir() if p.name.endswith(suffix)]
        if done:
            time.sleep(0.2)
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} file was downloaded into {directory}")


def no_horizontal_scroll(driver: WebDriver) -> bool:
    return bool(
        driver.execute_script(
            "return document.documentElement.scrollWidth <= window.innerWidth + 1"
        )
    )


def test_the_campaigns_page(browser: WebDriver, server: Server, registry: Registry) -> None:
    browser.get(server.url + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "vi"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Các kế hoạch thi đua"
    for landmark in ("header", "nav", "main", "footer"):
        assert browser.find_elements(By.TAG_NAME, landmark), landmark
    titles = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".card h2 a")]
    assert titles == [e.campaign.title for e in registry.entries]
    # keyboard: the first Tab reaches the skip link, which moves to the main content
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = browser.switch_to.active_element
    assert skip.text == "Bỏ qua, đến nội dung chính"
    skip.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "noi-dung"
    screenshot(browser, "1-campaigns")


def test_the_plan_explorer(
    browser: WebDriver, server: Server, registry: Registry, downloads: Path
) -> None:
    campaign = registry.campaign(CAMPAIGN)
    browser.get(server.url + "/")
    browser.find_element(By.LINK_TEXT, campaign.title).click()
    assert browser.find_element(By.TAG_NAME, "h1").text == campaign.title
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "main h2")]
    for wanted in (
        "Diễn giải cần đối chiếu",
        "Căn cứ pháp lý",
        "Thời gian thực hiện",
        "Đối tượng tham gia",
        "Tiêu chí",
        "Hình thức khen thưởng và chỉ tiêu",
        "Tham số",
    ):
        assert wanted in headings
    articles = browser.find_elements(By.CSS_SELECTOR, "article.criterion")
    assert len(articles) == len(campaign.criteria)
    first = " ".join(articles[0].get_attribute("textContent").split())
    assert campaign.criteria[0].label in first
    # the rule in words, the parameter named, beside the clause it encodes
    assert "Số chỉ số nội dung thành phần PAPI" in first and "từ 8 chỉ số trở lên" in first
    assert "tham số required_papi_components" in first
    assert "Tiêu chí thi đua dành cho tập thể, tiêu chí 1" in first
    assert "Chỉ áp dụng khi" in first and "Sở, ban, ngành tỉnh" in first
    # every interpretation highlighted with its note
    flagged = [c for _, c in campaign.citations() if c.interpretation]
    shown = browser.find_elements(By.CSS_SELECTOR, ".citation.interpretation")
    assert len(shown) == len(flagged)
    notes = " ".join(e.text for e in shown)
    assert all(c.note and c.note[:40] in notes for c in flagged)
    assert len(browser.find_elements(By.CSS_SELECTOR, ".interpretations li")) == len(flagged)
    screenshot(browser, "2-explorer")
    # the input form downloads and is the campaign's
    browser.find_element(By.PARTIAL_LINK_TEXT, "Tải biểu mẫu nhập liệu").click()
    form = wait_for_file(downloads, ".xlsx")
    assert form.read_bytes() == write_template(campaign)
    form.unlink()


def test_the_explorer_on_a_phone(browser: WebDriver, server: Server) -> None:
    size = browser.get_window_size()
    browser.set_window_size(390, 844)
    try:
        browser.get(server.url + f"/campaigns/{CAMPAIGN}")
        assert no_horizontal_scroll(browser)
        pair = browser.find_element(By.CSS_SELECTOR, "article.criterion .pair")
        encoded, original = pair.find_elements(By.XPATH, "./div")
        assert original.location["y"] > encoded.location["y"]  # stacked, not side by side
        screenshot(browser, "3-explorer-phone", height=2400)
    finally:
        browser.set_window_size(size["width"], size["height"])


def filled_form(registry: Registry, directory: Path) -> Path:
    path = directory / "bieu-mau-da-dien.xlsx"
    path.write_bytes(fill_form(registry, CAMPAIGN, write_template(registry.campaign(CAMPAIGN))))
    return path


def upload(browser: WebDriver, server: Server, path: Path) -> None:
    browser.get(server.url + f"/campaigns/{CAMPAIGN}")
    browser.find_element(By.LINK_TEXT, "Đánh giá hồ sơ theo kế hoạch này").click()
    label = browser.find_element(By.CSS_SELECTOR, "label[for=file]")
    assert label.text == "Tệp số liệu"
    browser.find_element(By.ID, "file").send_keys(str(path))
    button = browser.find_element(By.CSS_SELECTOR, "form.upload button[type=submit]")
    before = browser.find_element(By.TAG_NAME, "html")
    button.send_keys(Keys.ENTER)  # by keyboard
    # While Chromium swaps documents, asking about the old node can fail with an inspector
    # error rather than a stale reference; such answers mean "not yet", so the wait goes on.
    WebDriverWait(browser, 60, ignored_exceptions=(WebDriverException,)).until(
        ec.staleness_of(before)
    )  # the answer replaced the form
    WebDriverWait(browser, 60).until(ec.presence_of_element_located((By.TAG_NAME, "h1")))


def test_upload_a_filled_form_see_the_allocation_and_an_explanation(
    browser: WebDriver,
    server: Server,
    registry: Registry,
    downloads: Path,
    tmp_path: Path,
) -> None:
    campaign = registry.campaign(CAMPAIGN)
    path = filled_form(registry, tmp_path)
    _, validated = load_input(campaign, path)
    result = evaluate_validated(campaign, validated, as_of=resolve_as_of(campaign, None))
    upload(browser, server, path)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Kết quả đánh giá"
    first = browser.find_element(By.CSS_SELECTOR, "article.allocation")
    alloc = result.allocation("bang_khen_tap_the")
    names = {c.id: c.name for c in result.candidates}
    text = first.text
    assert f"chỉ tiêu: {alloc.quota}" in text
    assert (
        f"Chắc chắn được đề nghị khen thưởng (dù số liệu còn thiếu ra sao) ({len(alloc.awarded)})"
        in text
    )
    individuals = result.allocation("bang_khen_ca_nhan")
    second = browser.find_elements(By.CSS_SELECTOR, "article.allocation")[1].text
    if individuals.provisional:  # a seat a missing fact could take: said, with who could take it
        held = len(individuals.provisional)
        assert f"Tạm được đề nghị: số liệu còn thiếu có thể làm thay đổi ({held})" in second
        contender = individuals.threats[individuals.provisional[0]].contenders[0]
        assert f"có thể bị vượt bởi: {names[contender]}" in second
    if individuals.possible:
        assert f"Có thể được đề nghị khi có đủ số liệu ({len(individuals.possible)})" in second
    for cid in alloc.awarded:
        assert names[cid] in text
    rows = browser.find_elements(By.CSS_SELECTOR, "table.candidates tbody tr")
    assert len(rows) == len(result.candidates)
    screenshot(browser, "4-result", height=2600)
    # open one candidate's explanation from the table
    chosen = result.candidate(alloc.awarded[0])
    browser.find_element(By.CSS_SELECTOR, "table.candidates").find_element(
        By.LINK_TEXT, chosen.name
    ).click()
    details = browser.find_element(By.ID, f"ung-vien-{chosen.id}")
    WebDriverWait(browser, 10).until(lambda d: details.get_attribute("open") is not None)
    verdicts = details.find_elements(By.CSS_SELECTOR, "table.verdicts tbody tr")
    assert len(verdicts) == len(chosen.criteria)
    assert all(r.is_displayed() for r in verdicts)
    words = {"met": "Đạt", "not_met": "Không đạt", "not_applicable": "Không áp dụng"}
    for row, verdict in zip(verdicts, chosen.criteria, strict=True):
        assert verdict.label in row.text
        if verdict.verdict in words:
            assert row.find_element(By.CSS_SELECTOR, ".state").text == words[verdict.verdict]
    assert "chắc chắn được đề nghị" in details.text
    browser.execute_script("arguments[0].scrollIntoView()", details)
    browser.save_screenshot(str(SCREENSHOTS / "5-explanation.png"))
    # the keyboard opens and closes an explanation too
    other = browser.find_elements(By.CSS_SELECTOR, "details.explanation")[-1]
    summary = other.find_element(By.TAG_NAME, "summary")
    browser.execute_script("arguments[0].focus()", summary)
    summary.send_keys(Keys.ENTER)
    assert other.get_attribute("open") is not None
    # the download of the result
    browser.find_element(By.LINK_TEXT, "Bảng kết quả (CSV)").click()
    got = wait_for_file(downloads, ".csv")
    assert got.read_text(encoding="utf-8-sig") == render(result, "csv")
    got.unlink()


def test_download_the_workbook_the_dossier_and_a_letter(
    browser: WebDriver,
    server: Server,
    registry: Registry,
    downloads: Path,
    tmp_path: Path,
) -> None:
    """The result page's buttons send the file back and download the documents, which open in
    openpyxl and python-docx and are the library's, byte for byte."""
    entry = registry.entry(CAMPAIGN)
    campaign = entry.campaign
    path = filled_form(registry, tmp_path)
    _, validated = load_input(campaign, path)
    result = evaluate_validated(campaign, validated, as_of=resolve_as_of(campaign, None))
    versions = {"emulation-rules": library_version(), entry.plugin: str(entry.plugin_version)}
    upload(browser, server, path)
    page = browser.current_url
    day = result.as_of.isoformat()

    button = browser.find_element(By.XPATH, "//button[normalize-space()='Bảng kết quả (Excel)']")
    assert button.get_attribute("aria-describedby") == "tai-ve-help"
    button.click()
    got = wait_for_file(downloads, ".xlsx")
    assert got.name == f"{CAMPAIGN}.ket-qua.{day}.xlsx"
    assert got.read_bytes() == write_workbook(result, versions=versions)
    wb = openpyxl.load_workbook(got)
    assert wb.sheetnames[0] == "Thông tin" and "Tiêu chí" in wb.sheetnames
    rows = list(wb["Ứng viên"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [c.id for c in result.candidates]
    seats = wb["bang_khen_tap_the"]
    firm = [r[2] for r in seats.iter_rows(min_row=2, values_only=True) if "awarded" in r]
    assert firm == list(result.allocation("bang_khen_tap_the").awarded)
    got.unlink()
    assert browser.current_url == page  # a download, the page stays

    browser.find_element(
        By.XPATH, "//button[normalize-space()='Tờ trình và danh sách đề nghị (Word)']"
    ).click()
    got = wait_for_file(downloads, ".docx")
    assert got.name == f"{CAMPAIGN}.to-trinh.{day}.docx"
    assert got.read_bytes() == render_dossier(result, versions=versions)
    dossier = docx.Document(str(got))
    paragraphs = [p.text for p in dossier.paragraphs]
    assert "TỜ TRÌNH" in paragraphs and "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG" in paragraphs
    cells = {c.text for t in dossier.tables for row in t.rows for c in row.cells}
    names = {c.id: c.name for c in result.candidates}
    for alloc in result.allocations:
        assert {names[cid] for cid in alloc.awarded} <= cells
    got.unlink()

    # a candidate's letter, from its explanation, by keyboard
    chosen = result.candidate(result.allocation("bang_khen_ca_nhan").provisional[0])
    details = browser.find_element(By.ID, f"ung-vien-{chosen.id}")
    summary = details.find_element(By.TAG_NAME, "summary")
    browser.execute_script("arguments[0].focus()", summary)
    summary.send_keys(Keys.ENTER)
    letter = details.find_element(By.CSS_SELECTOR, "p.letter button")
    # its name, for screen readers: whose letter it is
    assert letter.accessible_name == f"Tải thư giải trình (Word) của {chosen.name}"
    browser.execute_script("arguments[0].focus()", letter)
    letter.send_keys(Keys.ENTER)
    got = wait_for_file(downloads, ".docx")
    assert got.name == f"{CAMPAIGN}.{chosen.id}.giai-trinh.{day}.docx"
    assert got.read_bytes() == render_letter(result, chosen, "docx")
    text = "\n".join(p.text for p in docx.Document(str(got)).paragraphs)
    assert f"Kính gửi: {chosen.name}" in text and "tạm" in text
    for verdict in chosen.criteria:
        assert verdict.id in text
    got.unlink()
    screenshot(browser, "8-result-downloads", height=1400)


def test_a_bad_file_lists_every_problem(
    browser: WebDriver, server: Server, tmp_path: Path, sample: dict[str, Any]
) -> None:
    import json

    broken = {
        **sample,
        "candidates": [
            {**sample["candidates"][0], "unit_type": "khong_co"},
            {**sample["candidates"][1], "facts": {"papi_plan_components": "tám"}},
        ],
    }
    path = tmp_path / "sai.json"
    path.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    upload(browser, server, path)
    alert = browser.find_element(By.CSS_SELECTOR, "[role=alert]")
    assert "Tệp chưa đánh giá được" in alert.text
    rows = alert.find_elements(By.CSS_SELECTOR, "table.problems tbody tr")
    assert len(rows) == 2
    assert "khong_co" in rows[0].text or "khong_co" in rows[1].text
    assert browser.find_element(By.ID, "file").get_attribute("required") is not None
    screenshot(browser, "6-bad-file")


def test_the_results_match_the_api(
    browser: WebDriver, server: Server, registry: Registry, sample: dict[str, Any]
) -> None:
    """The page shows what the API answers for the same input (one library underneath)."""
    result = evaluate(registry.campaign(CAMPAIGN), sample)
    ids: Callable[[Any], list[str]] = lambda a: list(a.awarded)  # noqa: E731
    assert ids(result.allocation("bang_khen_tap_the"))
    browser.get(server.url + f"/campaigns/{CAMPAIGN}/evaluate")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Đánh giá hồ sơ"
    template_link = browser.find_element(By.PARTIAL_LINK_TEXT, "Tải biểu mẫu")
    assert template_link.get_attribute("href").endswith(f"/api/v1/campaigns/{CAMPAIGN}/template")
    screenshot(browser, "7-upload-form")
    wb = openpyxl.load_workbook(io.BytesIO(write_template(registry.campaign(CAMPAIGN))))
    assert "Tập thể" in wb.sheetnames
