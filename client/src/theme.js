// The page's theme, as Flet makes it: a Material 3 color scheme computed from a seed color
// (Flet's default seed is blue), light or dark by theme_mode ("system", the default, follows
// the browser's preference as it changes), with a color_scheme's roles and a font_family
// over it. The roles become the --md-sys-color-* properties luaflet.css and @material/web
// read, set on the document's root element.

import { brightness, onBrightnessChange } from "./brightness.js";
import { color } from "./colors.js";
import { key } from "./values.js";

// Flet's default seed: Flutter's Colors.blue.
const DEFAULT_SEED = "#2196f3";

// The scheme's roles, by their names in the color utilities, and the CSS property of each.
const ROLES = [
  "primary",
  "onPrimary",
  "primaryContainer",
  "onPrimaryContainer",
  "inversePrimary",
  "secondary",
  "onSecondary",
  "secondaryContainer",
  "onSecondaryContainer",
  "tertiary",
  "onTertiary",
  "tertiaryContainer",
  "onTertiaryContainer",
  "error",
  "onError",
  "errorContainer",
  "onErrorContainer",
  "background",
  "onBackground",
  "surface",
  "onSurface",
  "surfaceVariant",
  "onSurfaceVariant",
  "surfaceTint",
  "surfaceDim",
  "surfaceBright",
  "surfaceContainerLowest",
  "surfaceContainerLow",
  "surfaceContainer",
  "surfaceContainerHigh",
  "surfaceContainerHighest",
  "outline",
  "outlineVariant",
  "shadow",
  "scrim",
  "inverseSurface",
  "inverseOnSurface",
];
const cssName = (role) => `--md-sys-color-${role.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
// A color_scheme from Flet names its roles in snake case.
const snake = (role) => role.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

let probe = null;
/** Any CSS color (a Flet name, "#rrggbb", "tomato") as an ARGB number, or null. */
function argbOf(value) {
  const css = color(value);
  if (!css || css.startsWith("var(")) return null;
  probe ??= document.createElement("canvas").getContext("2d");
  probe.fillStyle = "#000001";
  probe.fillStyle = css;
  const hex = probe.fillStyle;
  if (!/^#[0-9a-f]{6}$/i.test(hex) || (hex === "#000001" && css !== "#000001")) return null;
  return (0xff000000 | parseInt(hex.slice(1), 16)) >>> 0;
}

let last = {};
// The color utilities, loaded once (esbuild puts them in the bundle; a test in Node that has
// no bundler does without them, and the page keeps luaflet.css's scheme).
let utils = null;
import("@material/material-color-utilities").then(
  (m) => {
    utils = m;
    applyTheme(last);
  },
  () => {},
);

/** Applies the theme props of the page (`theme`, `dark_theme`, `theme_mode`). */
export function applyTheme(props) {
  last = props;
  const root = document.documentElement;
  const mode = props.theme_mode == null ? "system" : key(props.theme_mode);
  const isDark = mode === "dark" || (mode === "system" && brightness() === "dark");
  root.toggleAttribute("data-dark", isDark);
  const theme = (isDark ? (props.dark_theme ?? props.theme) : props.theme) ?? {};
  if (!utils) return;
  const { Hct, SchemeTonalSpot, hexFromArgb } = utils;
  const seed = argbOf(theme.color_scheme_seed ?? theme.primary_swatch ?? DEFAULT_SEED);
  const scheme = new SchemeTonalSpot(Hct.fromInt(seed ?? argbOf(DEFAULT_SEED)), isDark, 0);
  const own = theme.color_scheme ?? {};
  for (const role of ROLES) {
    const given = own[snake(role)];
    const value = given != null ? color(given) : hexFromArgb(scheme[role]);
    root.style.setProperty(cssName(role), value);
  }
  if (theme.font_family) {
    const font = `"${String(theme.font_family).replace(/"/g, "")}", Roboto, system-ui, sans-serif`;
    root.style.setProperty("--md-ref-typeface-plain", font);
    root.style.setProperty("--md-ref-typeface-brand", font);
  } else {
    root.style.removeProperty("--md-ref-typeface-plain");
    root.style.removeProperty("--md-ref-typeface-brand");
  }
}

// "system" follows the browser's preference as it changes.
onBrightnessChange(() => applyTheme(last));
