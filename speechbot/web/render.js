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

// Citation id -> the sentences the answer quotes from it, in citing order: the answer's `quotes` when it has
// them, else the sentence before each [n] in the answer text.
export function citedQuotes(answer) {
  const cited = new Map();
  const add = (n, sentence) => {
    if (!cited.has(n)) cited.set(n, []);
    if (sentence && !cited.get(n).includes(sentence)) cited.get(n).push(sentence);
  };
  if (answer.quotes && answer.quotes.length) {
    for (const q of answer.quotes) add(q.id, q.text.trim());
    return cited;
  }
  const markers = /\[(\d+)\]/g;
  let m;
  while ((m = markers.exec(answer.answer))) add(Number(m[1]), sentenceBefore(answer.answer, m.index));
  return cited;
}

// One line of at most `limit` characters.
export function firstWords(text, limit) {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= limit ? flat : flat.slice(0, limit - 1) + "…";
}

// The start of a passage without the heading it opens with (the heading is shown on its own line).
export function passageStart(c, limit) {
  let text = c.text.trim();
  const own = (c.heading || "").split(" > ").pop();
  if (own && text.startsWith(own)) text = text.slice(own.length).replace(/^[。.、，,：:\s]+/, "") || c.text.trim();
  return firstWords(text, limit);
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
