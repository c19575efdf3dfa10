// Lit's styleMap directive, as the host's Content-Security-Policy needs it. client/build.mjs
// puts this module in place of lit's own for every component in the bundle.
//
// Lit's own writes its first render as a string into the element's style attribute, and
// style-src 'self' (without 'unsafe-inline') blocks every style attribute written that way
// and reports a violation: @material/web's text field, which binds its input's style with
// styleMap, did so for each field on the page. Properties set one by one through the
// element's CSSStyleDeclaration (CSSOM) are not inline styles to the policy, so this version
// sets every render that way, the first included, and never writes the attribute itself.

import { Directive, PartType, directive } from "lit/directive.js";
import { noChange } from "lit";

const IMPORTANT = " !important";

// Lit's convention: a name with a dash is a CSS property name ("border-top", "--size"); any
// other is a camel-cased CSSStyleDeclaration property ("backgroundColor").
const isCssName = (name) => name.includes("-");
const cssName = (name) =>
  isCssName(name)
    ? name
    : name
        .replace(/^(webkit|moz|ms|o)(?=[A-Z])/, "-$1")
        .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

class StyleMapDirective extends Directive {
  constructor(partInfo) {
    super(partInfo);
    if (
      partInfo.type !== PartType.ATTRIBUTE ||
      partInfo.name !== "style" ||
      partInfo.strings?.length > 2
    ) {
      throw new Error("styleMap must be the only expression in a style attribute");
    }
    this.applied = new Set(); // the names this directive has set on the element
  }

  // Only server-side rendering calls render() alone, and the client never renders on a
  // server; in the browser update() does the work.
  render() {
    return noChange;
  }

  update(part, [styleInfo]) {
    const { style } = part.element;
    for (const name of this.applied) {
      if (styleInfo[name] != null) continue;
      this.applied.delete(name);
      if (isCssName(name)) style.removeProperty(name);
      else style[name] = "";
    }
    for (const [name, value] of Object.entries(styleInfo)) {
      if (value == null) continue;
      this.applied.add(name);
      const important = typeof value === "string" && value.endsWith(IMPORTANT);
      if (important)
        style.setProperty(cssName(name), value.slice(0, -IMPORTANT.length), "important");
      else if (isCssName(name)) style.setProperty(name, value);
      else style[name] = value;
    }
    // The attribute part is left as it is: the element's style object already holds it all.
    return noChange;
  }
}

export const styleMap = directive(StyleMapDirective);
