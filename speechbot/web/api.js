// Calls to the HTTP API. Every error body is {code, detail}; callers show `detail`.
// When the server wants an API key (401), the page asks for it once, keeps it in localStorage and sends it as
// `Authorization: Bearer <key>` from then on.

export class ApiError extends Error {
  constructor(message, status = 0, code = "") {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const KEY = "speechbot.key";
let asking = null;  // one prompt for all the requests that met the same 401

export function withKey(headers = {}) {
  const key = localStorage.getItem(KEY);
  return key ? { ...headers, Authorization: `Bearer ${key}` } : headers;
}

// Ask for a key; true when one was entered (the caller retries once).
export function askForKey() {
  asking ??= new Promise((resolve) => {
    const key = (prompt("此服务需要访问密钥（API key），请输入：") || "").trim();
    if (key) localStorage.setItem(KEY, key);
    resolve(Boolean(key));
    setTimeout(() => { asking = null; }, 0);
  });
  return asking;
}

async function call(url, options = {}) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(url, { ...options, headers: withKey(options.headers) });
    if (res.status !== 401 || attempt > 0 || !(await askForKey())) return res;
  }
}

async function json(res) {
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(body.detail || `请求失败（${res.status}）`, res.status, body.code);
  return body;
}

export const get = (url) => call(url).then(json);
export const del = (url) => call(url, { method: "DELETE" }).then(json);

// Poll a job until it is no longer queued or running; onJob(job) after each look.
export async function waitForJob(job, onJob = () => {}) {
  while (job.status === "queued" || job.status === "running") {
    onJob(job);
    await new Promise((r) => setTimeout(r, 400));
    job = await get(`/api/jobs/${job.job_id}`);
  }
  return job;
}

// POST /api/chat as Server-Sent Events; onEvent(name, data) for citations, delta, final, error.
export async function streamChat(body, onEvent) {
  const res = await call("/api/chat", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify(body),
  });
  if (!res.ok) return json(res);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const fields = {};
      for (const line of block.split("\n")) {
        const i = line.indexOf(": ");
        if (i > 0) fields[line.slice(0, i)] = line.slice(i + 2);
      }
      if (fields.event && fields.data) onEvent(fields.event, JSON.parse(fields.data));
    }
  }
}

// POST /api/documents with upload progress (fetch cannot report it); resolves to the job.
export async function uploadFiles(files, onProgress, replace = false) {
  try {
    return await sendFiles(files, onProgress, replace);
  } catch (err) {
    if (err.status !== 401 || !(await askForKey())) throw err;
    return sendFiles(files, onProgress, replace);
  }
}

function sendFiles(files, onProgress, replace) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const f of files) form.append("files", f, f.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", replace ? "/api/documents?replace=true" : "/api/documents");
    for (const [name, value] of Object.entries(withKey())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(body.detail || `上传失败（${xhr.status}）`, xhr.status, body.code));
    };
    xhr.onerror = () => reject(new ApiError("网络错误，上传失败"));
    xhr.send(form);
  });
}
