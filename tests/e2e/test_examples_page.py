"""The page over the example library (no ../shared needed): the source list, offline /docs, phone width, upload."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import shot
from tests.e2e.test_page import ask

GDP = "澜江市今年地区生产总值预期增长多少?"
LIST = "澜江市抓落实要做到哪三个到位?"


def test_sources_show_the_cited_passage_first_with_heading_and_quoted_sentence(examples_page) -> None:  # type: ignore[no-untyped-def]
    page = examples_page
    answer = ask(page, GDP)
    assert "6%左右" in answer.locator(".answer-text").inner_text()
    cited = answer.locator(".sources ol.cited > li")
    assert cited.count() == 1  # only what the answer cites, not all five retrieved passages
    first = cited.first
    assert first.get_attribute("data-n") == "1"
    assert first.locator(".src-heading").inner_text() == "二、2025年的目标和重点"
    assert "地区生产总值增长6%左右" in first.locator(".snippet").inner_text()
    more = answer.locator("details.more")
    assert more.locator("summary").inner_text().startswith("更多相关段落")
    assert more.get_attribute("open") is None and not more.locator("li").first.is_visible()  # folded
    folded = more.locator("li")
    assert folded.count() == 4
    shot(page, "10-sources-folded")
    more.locator("summary").click()
    assert folded.first.is_visible()
    # every source can be told apart: heading path and words differ even within one document
    items = [folded.nth(i).inner_text() for i in range(folded.count())] + [first.inner_text()]
    assert len(set(items)) == len(items)
    shot(page, "10-sources-unfolded")

    first.locator("button.source").click()
    page.locator("#p-body mark.quote").wait_for()
    assert "6%左右" in page.inner_text("#p-body mark.quote")  # opens on the quoted sentence
    page.keyboard.press("Escape")


def test_a_list_answer_quotes_each_item_under_its_source(examples_page) -> None:  # type: ignore[no-untyped-def]
    answer = ask(examples_page, LIST)
    snippet = answer.locator(".sources ol.cited > li .snippet").first.inner_text()
    assert "责任到位" in snippet and "措施到位" in snippet and "督查到位" in snippet
    assert answer.locator(".sources ol.cited > li .src-heading").first.inner_text() == "三、以作风转变推动工作落实"


def test_a_refusal_lists_the_closest_passages(examples_page) -> None:  # type: ignore[no-untyped-def]
    answer = ask(examples_page, "澜江市地铁1号线什么时候开通?")
    assert "没有找到" in answer.locator(".answer-text").inner_text()
    assert answer.locator(".sources-head").inner_text() == "最接近的段落"
    assert answer.locator(".sources li .snippet").count() >= 1 and answer.locator("details.more").count() == 0


def test_api_docs_render_with_the_network_blocked(browser, examples_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def only_local(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(examples_url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.goto(examples_url + "/docs")
    page.locator(".swagger-ui .info .title").wait_for(timeout=20_000)
    assert "speechbot" in page.inner_text(".swagger-ui .info .title")
    assert page.locator(".opblock").count() >= 10  # every operation listed
    page.locator(".opblock-summary-path", has_text="/api/ask").first.wait_for()
    shot(page, "11-docs-offline")
    assert outside == [], f"Swagger UI asked the network for {outside}"
    page.goto(examples_url + "/redoc")
    page.get_by_text("/api/ask").first.wait_for(timeout=20_000)
    shot(page, "12-redoc-offline")
    context.close()
    # ReDoc's bundle asks only for its "powered by" logo image; the page renders without it.
    assert all(url.endswith("logo-mini.svg") for url in outside), outside


def test_phone_width_documents_table_scrolls_and_closed_sidebar_leaves_no_strip(examples_page,  # type: ignore[no-untyped-def]
                                                                                  tmp_path: Path) -> None:
    page = examples_page
    page.set_viewport_size({"width": 390, "height": 844})
    sidebar = page.locator("#sidebar")
    # closed at phone width: hidden (after its .2 s transition), with no shadow reaching into the page
    page.wait_for_function("getComputedStyle(document.querySelector('#sidebar')).visibility === 'hidden'")
    assert sidebar.evaluate("e => getComputedStyle(e).boxShadow") == "none"
    shot(page, "13-phone-sidebar-closed")
    page.click("#toggle-side")
    page.locator("#sidebar #new-chat").wait_for(state="visible")
    assert sidebar.evaluate("e => getComputedStyle(e).boxShadow") != "none"
    page.click("#toggle-side")

    page.click("#nav-docs")
    page.locator("#doc-table tbody tr").nth(4).wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the page itself does not scroll sideways
    wrap = page.locator(".table-wrap")
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth")  # the table does, inside its frame
    wrap.evaluate("e => { e.scrollLeft = e.scrollWidth; }")
    assert wrap.evaluate("e => e.scrollLeft") > 0

    assert page.locator("label.file-btn").inner_text() == "选择文件"
    assert page.locator("#upload-input").bounding_box()["width"] <= 1  # the browser's "Choose Files" is hidden
    file = tmp_path / "baisha.txt"
    file.write_text("白沙镇2025年文旅工作要点\n今年白沙镇要接待游客180万人次。\n", encoding="utf-8")
    page.set_input_files("#upload-input", str(file))
    assert "已选择 1 个文件：baisha.txt" in page.inner_text("#upload-chosen")
    page.click("#upload-btn")
    page.wait_for_function("document.querySelector('#upload-status').textContent.includes('导入完成')",
                           timeout=30_000)
    bar = page.locator("#upload-progress")
    assert bar.is_visible() and bar.evaluate("e => e.value") == 100
    assert bar.evaluate("e => getComputedStyle(e).appearance") == "none"  # styled, not the browser's default
    shot(page, "14-phone-documents-upload")
