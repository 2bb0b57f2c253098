// The chat page and the documents page. Plain modules, no build step.
import { del, get, streamChat, uploadFiles, waitForJob } from "./api.js";
import { answerNodes, citedQuotes, el, firstWords, locateQuote, marked, metaLine, passageStart } from "./render.js";

const $ = (sel) => document.querySelector(sel);
const docPath = (id) => "/api/documents/" + id.split("/").map(encodeURIComponent).join("/");
const state = { conversationId: null, busy: false, docCache: new Map() };

// ---- views ---------------------------------------------------------------------------------------------
function route() {
  const docs = location.hash === "#docs";
  $("#view-chat").hidden = docs;
  $("#view-docs").hidden = !docs;
  $("#nav-chat").classList.toggle("active", !docs);
  $("#nav-docs").classList.toggle("active", docs);
  document.body.classList.remove("side-open");
  if (docs) loadDocuments();
}

// ---- conversations -------------------------------------------------------------------------------------
async function loadConversations() {
  const list = $("#conversations");
  const items = await get("/api/conversations").catch(() => []);
  list.replaceChildren(...items.map((c) => el("li", { class: c.id === state.conversationId ? "active" : "" },
    el("button", { class: "conv", type: "button", text: c.title, title: c.title, onclick: () => openConversation(c.id) }),
    el("button", { class: "icon conv-del", type: "button", "aria-label": "删除对话", text: "✕",
      onclick: () => deleteConversation(c) }))));
}

async function deleteConversation(c) {
  if (!confirm(`删除对话「${c.title}」？`)) return;
  await del(`/api/conversations/${c.id}`).catch(showError);
  if (state.conversationId === c.id) newChat();
  loadConversations();
}

function newChat() {
  state.conversationId = null;
  $("#messages").replaceChildren(el("p", { class: "hint", text: "新对话：请输入问题。" }));
  loadConversations();
  $("#question").focus();
}

async function openConversation(id) {
  const conv = await get(`/api/conversations/${id}`).catch(showError);
  if (!conv) return;
  state.conversationId = id;
  const box = $("#messages");
  box.replaceChildren();
  for (const m of conv.history) {
    if (m.role === "user") box.append(userBubble(m.content));
    else if (m.answer) renderAnswer(assistantBubble(), m.answer);
  }
  document.body.classList.remove("side-open");
  loadConversations();
  box.lastElementChild?.scrollIntoView({ block: "end" });
}

// ---- asking --------------------------------------------------------------------------------------------
const userBubble = (text) => el("div", { class: "msg user" }, el("div", { class: "bubble", text }));

function assistantBubble() {
  const bubble = el("div", { class: "msg assistant streaming" },
    el("div", { class: "bubble" }, el("div", { class: "answer-text" }), el("div", { class: "sources" })));
  $("#messages").append(bubble);
  return bubble;
}

function filters() {
  const f = {};
  const place = $("#f-place").value.trim(), speaker = $("#f-speaker").value.trim();
  if (place) f.place = place;
  if (speaker) f.speaker = speaker;
  if ($("#f-from").value) f.date_from = $("#f-from").value;
  if ($("#f-to").value) f.date_to = $("#f-to").value;
  const docs = [...$("#f-docs").selectedOptions].map((o) => o.value);
  if (docs.length) f.doc_ids = docs;
  return Object.keys(f).length ? f : null;
}

async function ask(question) {
  if (state.busy) return;
  state.busy = true;
  $("#send").disabled = true;
  $("#welcome")?.remove();
  $("#messages").append(userBubble(question));
  const bubble = assistantBubble();
  const text = bubble.querySelector(".answer-text");
  try {
    await streamChat({ conversation_id: state.conversationId, message: question, filters: filters() }, (name, data) => {
      if (name === "citations") state.conversationId = data.conversation_id;
      else if (name === "delta") text.append(data.text);
      else if (name === "final") renderAnswer(bubble, data);
      else if (name === "error") failed(bubble, data.detail);
      bubble.scrollIntoView({ block: "end" });
    });
  } catch (err) {
    failed(bubble, err.message);
  } finally {
    bubble.classList.remove("streaming");
    state.busy = false;
    $("#send").disabled = false;
    loadConversations();
  }
}

function failed(bubble, detail) {
  bubble.classList.add("error");
  bubble.querySelector(".answer-text").replaceChildren(`出错了：${detail}`);
}

function renderAnswer(bubble, answer) {
  bubble.classList.remove("streaming");
  bubble.classList.toggle("not-found", !answer.found);
  const byId = new Map(answer.citations.map((c) => [c.id, c]));
  const open = (n, quote) => byId.has(n) && showPassage(byId.get(n), quote);
  bubble.querySelector(".answer-text").replaceChildren(answerNodes(answer.answer, open));
  renderSources(bubble.querySelector(".sources"), answer, byId);
}

// One source: [n] title and meta, its heading path, and the sentence quoted from it (or the passage's start).
function sourceItem(c, shown, quote) {
  return el("li", { class: "source-item", "data-n": String(c.id) },
    el("button", { class: "source", type: "button", onclick: () => showPassage(c, quote) },
      el("span", { class: "n", text: `[${c.id}]` }), ` ${c.title || c.doc_id}`,
      el("span", { class: "muted", text: ` ${metaLine(c)}` })),
    c.heading ? el("p", { class: "src-heading", text: c.heading }) : null,
    el("p", { class: "snippet", text: shown }));
}

// The cited sources first, each with the sentence cited; the other retrieved passages folded under 更多相关段落.
function renderSources(box, answer, byId) {
  box.replaceChildren();
  if (!answer.citations.length) return;
  const quotes = answer.found ? citedQuotes(answer) : new Map();
  const cited = [...quotes.keys()].filter((n) => byId.has(n)).map((n) => byId.get(n));
  const rest = answer.citations.filter((c) => !quotes.has(c.id));
  const plain = (c) => sourceItem(c, passageStart(c, 80), "");
  if (!cited.length) {
    box.append(el("p", { class: "sources-head", text: answer.found ? "相关段落" : "最接近的段落" }),
      el("ol", {}, ...rest.map(plain)));
    return;
  }
  box.append(el("p", { class: "sources-head", text: "引用来源" }), el("ol", { class: "cited" },
    ...cited.map((c) => {
      const qs = quotes.get(c.id);
      return qs.length ? sourceItem(c, firstWords(qs.join("……"), 140), qs[0]) : plain(c);
    })));
  if (rest.length) {
    box.append(el("details", { class: "more" }, el("summary", { text: `更多相关段落（${rest.length}）` }),
      el("ol", {}, ...rest.map(plain))));
  }
}

// ---- the cited passage ---------------------------------------------------------------------------------
async function documentText(docId) {
  if (!state.docCache.has(docId)) state.docCache.set(docId, get(docPath(docId)));
  return state.docCache.get(docId);
}

async function showPassage(c, quote) {
  const dlg = $("#passage");
  $("#p-title").textContent = c.title || c.doc_id;
  $("#p-meta").textContent = metaLine(c);
  $("#p-heading").textContent = c.heading;
  $("#p-doc").hidden = true;
  $("#p-body").hidden = false;
  $("#open-doc").hidden = false;
  const quoteIn = (text, lo, hi) => locateQuote(text, quote, lo, hi);
  $("#p-body").replaceChildren(marked(c.text, quoteIn(c.text, 0, c.text.length)));
  if (!dlg.open) dlg.showModal();
  $("#open-doc").onclick = () => showWholeDocument(c);
  const doc = await documentText(c.doc_id).catch(() => null);
  if (!doc || doc.text.slice(c.start, c.end) !== c.text) return;  // the index changed: keep the passage
  const from = doc.text.lastIndexOf("\n", c.start - 1) + 1;
  const nl = doc.text.indexOf("\n", c.end);
  const to = nl < 0 ? doc.text.length : nl;
  const span = quoteIn(doc.text, c.start, c.end);
  const para = doc.text.slice(from, to);
  $("#p-body").replaceChildren(marked(para, span && [span[0] - from, span[1] - from]));
}

async function showWholeDocument(c) {
  const doc = await documentText(c.doc_id).catch(showError);
  if (!doc) return;
  const box = $("#p-doc");
  box.replaceChildren(marked(doc.text, [c.start, c.end], "chunk"));
  box.hidden = false;
  $("#p-body").hidden = true;
  $("#open-doc").hidden = true;
  box.querySelector("mark.chunk")?.scrollIntoView({ block: "center" });
}

// ---- documents -----------------------------------------------------------------------------------------
async function loadDocuments() {
  const docs = await get("/api/documents").catch(() => []);
  $("#doc-count").textContent = `（${docs.length} 篇）`;
  $("#doc-table tbody").replaceChildren(...docs.map((d) => el("tr", { "data-doc": d.doc_id },
    el("td", { class: "title", text: d.title || d.doc_id, title: d.sources.join("\n") }),
    el("td", { text: d.speaker }), el("td", { text: d.date || "" }), el("td", { text: d.place }),
    el("td", { text: String(d.chunks) }), el("td", { text: (d.added || "").slice(0, 16).replace("T", " ") }),
    el("td", {}, el("button", { class: "danger delete-btn", type: "button", text: "删除",
      onclick: () => deleteDocument(d) })))));
  $("#f-docs").replaceChildren(...docs.map((d) => el("option", { value: d.doc_id, text: d.title || d.doc_id })));
}

async function deleteDocument(d) {
  if (!confirm(`确定删除「${d.title || d.doc_id}」？删除后将无法再检索到它。`)) return;
  const name = d.title || d.doc_id;
  // The delete is queued: the document leaves the list at once, the index follows when the job has run.
  const job = await del(docPath(d.doc_id)).catch(showError);
  state.docCache.clear();
  loadDocuments();
  if (!job) return;
  setStatus(`正在删除「${name}」…`);
  const done = await waitForJob(job).catch(showError);
  if (done) setStatus(done.status === "done" ? `已删除「${name}」` : `删除失败：${done.error}`);
  loadDocuments();
}

const OUTCOME = { added: "已导入", updated: "已更新", unchanged: "未变化", duplicate: "重复", failed: "失败",
  deleted: "已删除" };

// Upload; when a file would replace a document of the same name, ask before sending it again with replace.
async function sendUpload(files, onProgress) {
  try {
    return await uploadFiles(files, onProgress);
  } catch (err) {
    if (err.code !== "document_exists" || !confirm(`${err.message}\n\n要用新文件替换它吗？`)) throw err;
    return uploadFiles(files, onProgress, true);
  }
}

async function upload(event) {
  event.preventDefault();
  const files = [...$("#upload-input").files];
  if (!files.length) return setStatus("请先选择文件");
  const bar = $("#upload-progress");
  bar.hidden = false;
  bar.value = 0;
  $("#upload-outcomes").replaceChildren();
  $("#upload-btn").disabled = true;
  try {
    setStatus("上传中…");
    const queued = await sendUpload(files, (p) => { bar.value = p * 50; });
    const job = await waitForJob(queued, (j) => {
      setStatus(j.status === "queued" ? "排队等待导入…" : `导入中 ${j.done}/${j.total}`);
      bar.value = 50 + (50 * j.done) / Math.max(j.total, 1);
    });
    bar.value = 100;
    setStatus(job.status === "done" ? "导入完成" : `导入失败：${job.error}`);
    $("#upload-outcomes").replaceChildren(...job.outcomes.map((o) => el("li", { class: o.outcome,
      text: `${o.path}：${OUTCOME[o.outcome] || o.outcome}${o.detail ? "（" + o.detail + "）" : ""}` })));
    $("#upload-input").value = "";
    showChosen();
  } catch (err) {
    setStatus(err.message);
  } finally {
    $("#upload-btn").disabled = false;
    state.docCache.clear();
    loadDocuments();
  }
}

function showChosen() {
  const files = [...$("#upload-input").files];
  $("#upload-chosen").textContent = files.length
    ? `已选择 ${files.length} 个文件：${files.map((f) => f.name).join("、")}` : "未选择文件";
}

function setStatus(text) { $("#upload-status").textContent = text; }
function showError(err) { alert(err.message); return null; }

// ---- start ---------------------------------------------------------------------------------------------
$("#ask-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const q = $("#question").value.trim();
  if (!q) return;
  $("#question").value = "";
  ask(q);
});
$("#question").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); $("#ask-form").requestSubmit(); }
});
$("#new-chat").addEventListener("click", newChat);
$("#toggle-side").addEventListener("click", () => document.body.classList.toggle("side-open"));
$("#upload-form").addEventListener("submit", upload);
$("#upload-input").addEventListener("change", showChosen);
window.addEventListener("hashchange", route);
route();
loadConversations();
loadDocuments();
