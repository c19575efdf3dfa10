// Markdown to DOM nodes, loaded on demand by the Markdown control (controls/display.js).
//
// markdown-it parses with raw HTML off, so a tag in the value is a text token; this file then
// builds each element itself from the tokens with createElement and text nodes. No string of
// the value is ever parsed as HTML, an element is made only from the list below, and the only
// attributes copied are a link's href (http, https and mailto only), an image's src (http
// and https only) and alt, a list's start and a table cell's alignment.

import MarkdownIt from "markdown-it";

// Flet's extension sets: none and commonMark are CommonMark alone; the GitHub ones add
// tables, strikethrough and bare URLs turned into links.
const parsers = new Map();
function parser(extensionSet) {
  const gfm = /^github/i.test(extensionSet);
  if (!parsers.has(gfm)) {
    const md = gfm
      ? new MarkdownIt("default", { html: false, linkify: true })
      : new MarkdownIt("commonmark", { html: false });
    parsers.set(gfm, md);
  }
  return parsers.get(gfm);
}

const TAGS = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "ul",
  "ol",
  "li",
  "em",
  "strong",
  "s",
  "a",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "code",
  "pre",
  "hr",
  "br",
  "img",
]);

/** The URL as it may be put in the page, or null: links may be http, https or mailto, and
 * images http or https; relative URLs are kept (they stay on this host). */
export function safeUrl(url, image = false) {
  const s = String(url ?? "").trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(s)?.[1]?.toLowerCase();
  if (scheme == null) return s.startsWith("//") ? null : s;
  if (scheme === "http" || scheme === "https") return s;
  return !image && scheme === "mailto" ? s : null;
}

function element(tag) {
  return document.createElement(TAGS.has(tag) ? tag : "span");
}

function copyAttrs(el, token) {
  const attr = (name) => token.attrGet(name);
  if (token.tag === "a") {
    const href = safeUrl(attr("href"));
    if (href != null) el.setAttribute("href", href);
    if (attr("title")) el.title = attr("title");
  } else if (token.tag === "ol" && attr("start")) {
    const n = Number(attr("start"));
    if (Number.isInteger(n)) el.start = n;
  } else if (token.tag === "th" || token.tag === "td") {
    const style = attr("style") ?? "";
    const m = /text-align:(left|right|center)/.exec(style);
    if (m) el.style.textAlign = m[1];
  }
}

// Inline tokens (the children of an "inline" token) into parent.
function inline(parent, tokens) {
  const stack = [parent];
  const top = () => stack[stack.length - 1];
  for (const t of tokens) {
    switch (t.type) {
      case "text":
      case "html_inline":
        top().append(t.content);
        break;
      case "softbreak":
        top().append("\n");
        break;
      case "hardbreak":
        top().append(element("br"));
        break;
      case "code_inline": {
        const c = top().appendChild(element("code"));
        c.textContent = t.content;
        break;
      }
      case "image": {
        const src = safeUrl(t.attrGet("src"), true);
        const alt = t.children?.map((c) => c.content).join("") ?? t.content;
        if (src == null) top().append(alt);
        else {
          const img = top().appendChild(element("img"));
          img.src = src;
          img.alt = alt;
        }
        break;
      }
      default:
        if (t.nesting === 1) {
          const el = top().appendChild(element(t.tag));
          copyAttrs(el, t);
          stack.push(el);
        } else if (t.nesting === -1 && stack.length > 1) stack.pop();
    }
  }
}

/** The Markdown `source` as a DocumentFragment. */
export function render(source, { extensionSet = "" } = {}) {
  const tokens = parser(extensionSet).parse(source, {});
  const root = document.createDocumentFragment();
  const stack = [root];
  const top = () => stack[stack.length - 1];
  for (const t of tokens) {
    switch (t.type) {
      case "inline":
        inline(top(), t.children ?? []);
        break;
      case "fence":
      case "code_block": {
        const pre = top().appendChild(element("pre"));
        const code = pre.appendChild(element("code"));
        code.textContent = t.content;
        const lang = t.info?.trim().split(/\s+/)[0];
        if (lang) code.dataset.lang = lang;
        break;
      }
      case "html_block":
        top().appendChild(element("p")).textContent = t.content;
        break;
      case "hr":
        top().appendChild(element("hr"));
        break;
      default:
        // A tight list's paragraphs are hidden: their text goes straight into the item.
        if (t.nesting === 1) {
          const el = t.hidden ? top() : top().appendChild(element(t.tag));
          if (!t.hidden) copyAttrs(el, t);
          stack.push(el);
        } else if (t.nesting === -1 && stack.length > 1) stack.pop();
    }
  }
  return root;
}
