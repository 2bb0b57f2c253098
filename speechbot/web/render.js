// DOM building. Speech text and user input only ever go in through textContent, never as HTML.

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child != null) node.append(child);  // strings become text nodes
  return node;
}

export const metaLine = (c) => [c.speaker, c.date, c.place].filter(Boolean).join(" · ");

const MARKER = /(\[\d+\])/;
const BOUNDARY = /[。！？!?；;\n]/;

// The sentence a marker at `index` closes: back to the previous sentence end or marker.
export function sentenceBefore(text, index) {
  const before = text.slice(0, index).replace(/\[\d+\]/g, "").replace(/[。！？!?；;，,\s]+$/, "");
  const parts = before.split(BOUNDARY);
  return parts[parts.length - 1].trim();
}

// The answer text with every [n] turned into a button calling onCite(n, quotedSentence).
export function answerNodes(text, onCite) {
  const frag = document.createDocumentFragment();
  let offset = 0;
  for (const part of text.split(MARKER)) {
    const m = part.match(/^\[(\d+)\]$/);
    if (m) {
      const n = Number(m[1]);
      const quote = sentenceBefore(text, offset);
      frag.append(el("button", { class: "cite", type: "button", "data-n": String(n), title: `查看引文 ${n}`,
        text: part, onclick: () => onCite(n, quote) }));
    } else if (part) {
      frag.append(document.createTextNode(part));
    }
    offset += part.length;
  }
  return frag;
}

function bigrams(s) {
  const out = new Set();
  for (let i = 0; i + 1 < s.length; i++) out.add(s.slice(i, i + 2));
  return out;
}

// [start, end) of `quote` inside `text` between lo and hi; else the sentence there sharing most bigrams.
export function locateQuote(text, quote, lo = 0, hi = text.length) {
  if (quote) {
    const at = text.indexOf(quote, lo);
    if (at >= 0 && at < hi) return [at, at + quote.length];
  }
  const want = bigrams(quote || "");
  let best = null, bestScore = 0, start = lo;
  for (let i = lo; i <= hi; i++) {
    if (i === hi || BOUNDARY.test(text[i])) {
      const end = Math.min(i + 1, hi);
      const got = bigrams(text.slice(start, end));
      let score = 0;
      for (const g of got) if (want.has(g)) score++;
      if (score > bestScore) { best = [start, end]; bestScore = score; }
      start = i + 1;
    }
  }
  return best;
}

// `text` with [start, end) wrapped in <mark class=...>.
export function marked(text, span, className = "quote") {
  const frag = document.createDocumentFragment();
  if (!span) { frag.append(text); return frag; }
  const [a, b] = span;
  frag.append(text.slice(0, a), el("mark", { class: className, text: text.slice(a, b) }), text.slice(b));
  return frag;
}
