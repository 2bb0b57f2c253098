// Calls to the HTTP API. Every error body is {code, detail}; callers show `detail`.

export class ApiError extends Error {}

async function json(res) {
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new ApiError(body.detail || `请求失败（${res.status}）`);
  return body;
}

export const get = (url) => fetch(url).then(json);
export const del = (url) => fetch(url, { method: "DELETE" }).then(json);

// POST /api/chat as Server-Sent Events; onEvent(name, data) for citations, delta, final, error.
export async function streamChat(body, onEvent) {
  const res = await fetch("/api/chat", {
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
export function uploadFiles(files, onProgress) {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const f of files) form.append("files", f, f.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/documents");
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new ApiError(body.detail || `上传失败（${xhr.status}）`));
    };
    xhr.onerror = () => reject(new ApiError("网络错误，上传失败"));
    xhr.send(form);
  });
}
