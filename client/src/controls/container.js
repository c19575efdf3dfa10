// Container: a box around at most one child. Its padding, margin, background, border and
// rounded corners are every control's (common.js). Like Flutter's, a Container without `alignment` hands its own size on to
// its child (the child fills it); with `alignment` it places the child inside and fills its
// parent's cross axis (luaflet.css holds both rules).

import { alignment } from "../values.js";

export const container = {
  create() {
    const el = document.createElement("div");
    return { el, slots: { content: el } };
  },
  className: "lf-container",
  props: {
    alignment: ({ el }, p) => {
      const a = alignment(p.alignment);
      el.toggleAttribute("data-align", a !== null);
      el.style.justifyContent = a ? a[0] : "";
      el.style.alignItems = a ? a[1] : "";
    },
  },
};
