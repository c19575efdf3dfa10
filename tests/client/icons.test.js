// The icons client/build.mjs lays out in build/client/icons/VERSION/: one SVG per Flet icon
// name, in the style its suffix names, Flet's older names mapped to Material Symbols' own.

import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { describe, it } from "node:test";

const root = new URL("../../", import.meta.url);
const symbols = new URL("node_modules/@material-symbols/svg-400/", root);
const old = new URL("node_modules/@material-design-icons/svg/", root);
const versionOf = (dir) => JSON.parse(readFileSync(new URL("package.json", dir))).version;
const version = `${versionOf(symbols)}-${versionOf(old)}`;
const built = new URL(`build/client/icons/${version}/`, root);
const icon = (name) => readFileSync(new URL(`${name}.svg`, built), "utf8");
const source = (path) => readFileSync(new URL(`${path}.svg`, symbols), "utf8");
const oldSource = (path) => readFileSync(new URL(`${path}.svg`, old), "utf8");

describe("the built icons", () => {
  it("are only those of the current version", () => {
    assert.deepEqual(readdirSync(new URL("build/client/icons/", root)), [version]);
  });

  it("take the style from the name's suffix, filled without one", () => {
    assert.equal(icon("add"), source("outlined/add-fill"));
    assert.equal(icon("home_outlined"), source("outlined/home"));
    assert.equal(icon("home_rounded"), source("rounded/home-fill"));
    assert.equal(icon("home_sharp"), source("sharp/home-fill"));
  });

  it("map Flet's names that Material Symbols spells otherwise", () => {
    assert.equal(icon("ten_k"), source("outlined/10k-fill"));
    assert.equal(icon("onetwothree_rounded"), source("rounded/123-fill"));
    assert.equal(icon("threed_rotation"), source("outlined/3d_rotation-fill"));
    assert.equal(icon("done"), source("outlined/check-fill"));
    assert.equal(icon("expand_more"), source("outlined/keyboard_arrow_down-fill"));
    // _outline and _border name the unfilled icon, whatever the style.
    assert.equal(icon("delete_outline"), source("outlined/delete"));
    assert.equal(icon("favorite_border_rounded"), source("rounded/favorite"));
    // Flutter's older names, named by hand.
    assert.equal(icon("my_library_books"), source("outlined/library_books-fill"));
  });

  it("take the names Material Symbols lacks from Flutter's own Material Icons", () => {
    assert.equal(icon("auto_fix_high"), oldSource("filled/auto_fix_high"));
    assert.equal(icon("auto_fix_high_rounded"), oldSource("round/auto_fix_high"));
    assert.equal(icon("auto_fix_high_outlined"), oldSource("outlined/auto_fix_high"));
  });
});
