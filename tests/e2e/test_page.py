"""The web page in headless Chromium: streamed answers, clickable citations, uploads, deletes, phone width."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import PAGE_KEY, shot

QUESTION = "金华今年招商目标是多少?"
UPLOAD = """赵一帆在白沙镇2024年文旅工作会议上的讲话
（2024年5月8日）

今年白沙镇要接待游客180万人次，实现旅游收入9亿元。
要建成白沙古渡景区游客中心，新增民宿床位800张。
"""

# Counts how often the answer text grew while its message was still streaming.
WATCH_STREAM = """
window.__deltas = 0;
new MutationObserver((records) => {
  for (const r of records) {
    const msg = r.target.closest && r.target.closest('.msg.streaming');
    if (msg && r.target.classList.contains('answer-text')) window.__deltas++;
  }
}).observe(document.querySelector('#messages'), {childList: true, subtree: true});
"""


def ask(page, question: str):  # type: ignore[no-untyped-def]
    page.fill("#question", question)
    page.click("#send")
    answer = page.locator(".msg.assistant").last
    answer.and_(page.locator(".msg.assistant:not(.streaming)")).wait_for(timeout=20_000)
    return answer


def test_ask_streams_and_citation_opens_the_highlighted_passage(page) -> None:  # type: ignore[no-untyped-def]
    page.evaluate(WATCH_STREAM)
    answer = ask(page, QUESTION)
    text = answer.locator(".answer-text").inner_text()
    assert "40个" in text and "[1]" in text
    assert page.evaluate("window.__deltas") > 2  # the answer arrived in pieces
    assert page.locator(".msg.user .bubble").last.inner_text() == QUESTION
    shot(page, "01-answer")

    answer.locator('button.cite[data-n="1"]').first.click()
    dialog = page.locator("dialog#passage")
    dialog.wait_for(state="visible")
    assert "陈龙" in page.inner_text("#p-title") + page.inner_text("#p-meta")
    assert "金华" in page.inner_text("#p-meta")
    quote = page.locator("#p-body mark.quote")
    quote.wait_for()
    assert "40个" in quote.inner_text()
    assert len(page.inner_text("#p-body")) > len(quote.inner_text())  # highlighted inside its paragraph
    shot(page, "02-passage")

    page.click("#open-doc")
    chunk = page.locator("#p-doc mark.chunk")
    chunk.wait_for()
    assert "40个" in chunk.inner_text()
    assert len(page.inner_text("#p-doc")) > 2000  # the whole document
    shot(page, "03-whole-document")
    page.keyboard.press("Escape")

    page.reload()
    page.locator("#conversations li").first.wait_for()
    assert QUESTION[:10] in page.inner_text("#conversations")


def test_not_found_shows_the_closest_passages(page) -> None:  # type: ignore[no-untyped-def]
    answer = ask(page, "火星基地的建设预算是多少?")
    assert "没有找到" in answer.inner_text()
    assert answer.locator(".snippet").count() >= 1
    assert "最接近的段落" in answer.inner_text()
    shot(page, "04-not-found")


def test_user_input_is_text_not_html(page) -> None:  # type: ignore[no-untyped-def]
    evil = '<img src=x onerror="window.__xss=1">金华<b>招商</b>'
    ask(page, evil)
    assert page.locator(".msg.user .bubble").last.inner_text() == evil
    assert page.locator("#messages img, #messages b").count() == 0
    assert page.evaluate("window.__xss") is None


def test_upload_ask_and_delete_a_document(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "baisha.txt"
    file.write_text(UPLOAD, encoding="utf-8")
    page.click("#nav-docs")
    page.locator("#doc-table tbody tr").first.wait_for()
    before = page.locator("#doc-table tbody tr").count()
    page.set_input_files("#upload-input", str(file))
    page.click("#upload-btn")
    page.wait_for_function("document.querySelector('#upload-status').textContent.includes('导入完成')",
                           timeout=30_000)
    row = page.locator('#doc-table tbody tr[data-doc="baisha.txt"]')
    row.wait_for()
    assert "赵一帆" in row.inner_text() and "2024-05-08" in row.inner_text()
    assert "已导入" in page.inner_text("#upload-outcomes")
    shot(page, "05-documents-uploaded")

    page.click("#nav-chat")
    answer = ask(page, "白沙镇今年旅游收入多少?")
    assert "9亿元" in answer.locator(".answer-text").inner_text()
    shot(page, "06-answer-from-upload")

    page.click("#nav-docs")
    row.wait_for()
    messages: list[str] = []

    def accept(dialog) -> None:  # type: ignore[no-untyped-def]
        messages.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    row.locator(".delete-btn").click()
    row.wait_for(state="detached")
    assert messages and "确定删除" in messages[0]
    assert page.locator("#doc-table tbody tr").count() == before


def test_bad_upload_says_what_is_wrong(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    file = tmp_path / "slides.pptx"
    file.write_bytes(b"PK\x03\x04")
    page.click("#nav-docs")
    page.set_input_files("#upload-input", str(file))
    page.click("#upload-btn")
    page.wait_for_function("document.querySelector('#upload-outcomes').textContent.includes('slides.pptx')",
                           timeout=60_000)
    assert "unsupported file type" in page.inner_text("#upload-outcomes")  # the file failed alone, in the job


def test_usable_at_phone_width(page) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 390, "height": 844})
    answer = ask(page, QUESTION)
    assert answer.locator("button.cite").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "07-phone")
    page.click("#toggle-side")
    page.locator("#sidebar #new-chat").wait_for(state="visible")
    shot(page, "08-phone-sidebar")


def test_with_keys_the_page_asks_for_one_once_and_keeps_it(browser, keyed_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    page = context.new_page()
    prompts: list[str] = []

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        prompts.append(dialog.message)
        dialog.accept(PAGE_KEY)

    page.on("dialog", answer)
    page.goto(keyed_url + "/")
    page.wait_for_function("localStorage.getItem('speechbot.key') !== null")
    answer_el = ask(page, QUESTION)
    assert "40个" in answer_el.locator(".answer-text").inner_text()
    assert len(prompts) == 1 and "密钥" in prompts[0]  # the requests that met 401 together shared one prompt
    page.reload()
    ask(page, QUESTION)
    assert len(prompts) == 1  # kept across reloads
    context.close()
