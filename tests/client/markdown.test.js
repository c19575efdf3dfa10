// client/src/markdown.js and client/src/icons.js in a small DOM (jsdom): Markdown becomes
// elements built one by one, so no HTML in the value ever becomes an element, links keep only
// http, https and mailto, and icon names become their SVG's URL or nothing.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { JSDOM } from "jsdom";

const { window } = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = window;
globalThis.document = window.document;

const { render, safeUrl } = await import("../../client/src/markdown.js");
const { iconUrl } = await import("../../client/src/icons.js");

const html = (md, opts) => {
  const box = document.createElement("div");
  box.append(render(md, opts));
  return box;
};

describe("Markdown", () => {
  it("formats CommonMark", () => {
    const box = html("# T\n\n*a* **b** `c`\n\n1. x\n2. y\n\n```lua\nprint(1)\n```");
    assert.equal(box.querySelector("h1").textContent, "T");
    assert.equal(box.querySelector("em").textContent, "a");
    assert.equal(box.querySelector("strong").textContent, "b");
    assert.equal(box.querySelector("p > code").textContent, "c");
    assert.equal(box.querySelectorAll("ol > li").length, 2);
    assert.equal(box.querySelector("pre > code").textContent, "print(1)\n");
    assert.equal(box.querySelector("pre > code").dataset.lang, "lua");
  });

  it("keeps HTML in the value as text, in blocks and inline", () => {
    const md = '<img src=x onerror="alert(1)">\n\nhi <script>alert(2)</script> <b onclick=x>b</b>';
    const box = html(md, { extensionSet: "gitHubWeb" });
    assert.equal(box.querySelectorAll("img, script, b").length, 0);
    assert.match(box.textContent, /<img src=x onerror="alert\(1\)">/);
    assert.match(box.textContent, /<script>alert\(2\)<\/script>/);
    for (const e of box.querySelectorAll("*"))
      assert.deepEqual(
        [...e.attributes].map((a) => a.name).filter((n) => n.startsWith("on")),
        [],
      );
  });

  it("links only to http, https and mailto, and shows only http(s) images", () => {
    const box = html(
      "[a](https://x.example) [b](mailto:m@x.example) [c](javascript:alert(1)) " +
        "[d](data:text/html,hi) [e](vbscript:x) ![i](https://x.example/i.png) " +
        "![j](data:image/png;base64,AAAA) ![k](javascript:alert(1))",
    );
    const hrefs = [...box.querySelectorAll("a")].map((a) => a.getAttribute("href"));
    assert.deepEqual(hrefs, ["https://x.example", "mailto:m@x.example"]);
    const srcs = [...box.querySelectorAll("img")].map((i) => i.getAttribute("src"));
    assert.deepEqual(srcs, ["https://x.example/i.png"]);
    assert.equal(safeUrl("JavaScript:alert(1)"), null);
    assert.equal(safeUrl("//evil.example/x"), null);
    assert.equal(safeUrl("docs/page"), "docs/page");
  });

  it("adds tables, strikethrough and bare links with a GitHub extension set only", () => {
    const md = "| a |\n|---|\n| 1 |\n\n~~s~~ https://x.example";
    assert.equal(html(md).querySelector("table"), null);
    const gh = html(md, { extensionSet: "gitHubFlavored" });
    assert.equal(gh.querySelector("td").textContent, "1");
    assert.equal(gh.querySelector("s").textContent, "s");
    assert.equal(gh.querySelector("a").getAttribute("href"), "https://x.example");
  });
});

describe("icons", () => {
  it("names an icon's SVG by its Flet name, and refuses what cannot be one", () => {
    assert.equal(iconUrl("favorite_border_rounded"), "/icons/favorite_border_rounded.svg");
    assert.equal(iconUrl("ten_k"), "/icons/ten_k.svg");
    for (const bad of ["", "../x", "a/b", "Add", "a b", 'x")', null, 3])
      assert.equal(iconUrl(bad), null, String(bad));
  });
});
