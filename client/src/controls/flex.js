// Column and Row: flex boxes. `alignment` runs along the main axis; the cross axis is
// `horizontal_alignment` for a Column and `vertical_alignment` for a Row. Both start at
// "start", as in Flet. The 10px default spacing lives in luaflet.css.

import { crossAxis, mainAxis, overflow, px } from "../values.js";

export function flex(direction) {
  const isRow = direction === "row";
  const cross = isRow ? "vertical_alignment" : "horizontal_alignment";
  // `spacing` separates the children along the main axis; `run_spacing` separates the runs
  // when the children wrap.
  const gaps = ({ el }, p) => {
    el.style[isRow ? "columnGap" : "rowGap"] = px(p.spacing);
    el.style[isRow ? "rowGap" : "columnGap"] = px(p.run_spacing);
  };
  return {
    create: () => ({ el: document.createElement("div") }),
    className: `lf-flex lf-${direction}`,
    props: {
      spacing: gaps,
      run_spacing: gaps,
      alignment: ({ el }, p) => {
        el.style.justifyContent = mainAxis(p.alignment);
      },
      [cross]: ({ el }, p) => {
        el.style.alignItems = crossAxis(p[cross]);
      },
      // A tight Row or Column is only as long as its children (MainAxisSize.min).
      tight: ({ el }, p) => {
        el.toggleAttribute("data-tight", p.tight === true);
      },
      wrap: ({ el }, p) => {
        el.style.flexWrap = p.wrap === true ? "wrap" : "";
      },
      scroll: ({ el }, p) => {
        el.style[isRow ? "overflowX" : "overflowY"] = overflow(p.scroll);
      },
    },
  };
}
