// Turns Flet color names into CSS colors. Flet (after Flutter) names theme roles
// ("primary", "onSurfaceVariant"), the 2014 Material palette ("red", "blue200",
// "redAccent100") and see-through black and white ("black54"); anything else is handed to
// CSS as it is, so "#ff8800", "rgb(...)" and CSS names like "tomato" work too. A trailing
// ",0.5" makes the color that opaque, as in Flet.

// Theme roles become the custom properties that luaflet.css defines and @material/web reads.
const ROLES = [
  "primary",
  "on-primary",
  "primary-container",
  "on-primary-container",
  "inverse-primary",
  "secondary",
  "on-secondary",
  "secondary-container",
  "on-secondary-container",
  "tertiary",
  "on-tertiary",
  "tertiary-container",
  "on-tertiary-container",
  "error",
  "on-error",
  "error-container",
  "on-error-container",
  "background",
  "on-background",
  "surface",
  "on-surface",
  "surface-variant",
  "on-surface-variant",
  "surface-tint",
  "surface-dim",
  "surface-bright",
  "surface-container-lowest",
  "surface-container-low",
  "surface-container",
  "surface-container-high",
  "surface-container-highest",
  "outline",
  "outline-variant",
  "shadow",
  "scrim",
  "inverse-surface",
  "inverse-on-surface",
];
const roleVars = new Map(ROLES.map((r) => [r.replaceAll("-", ""), `var(--md-sys-color-${r})`]));
// Flutter spells this one role the other way round.
roleVars.set("oninversesurface", roleVars.get("inverseonsurface"));

// Shades 50, 100, ..., 900 of each hue, then its accents 100, 200, 400 and 700, as runs of
// six hex digits.
const SHADES = [50, 100, 200, 300, 400, 500, 600, 700, 800, 900];
const ACCENTS = [100, 200, 400, 700];
const PALETTE = {
  red: "ffebeeffcdd2ef9a9ae57373ef5350f44336e53935d32f2fc62828b71c1c|ff8a80ff5252ff1744d50000",
  pink: "fce4ecf8bbd0f48fb1f06292ec407ae91e63d81b60c2185bad1457880e4f|ff80abff4081f50057c51162",
  purple: "f3e5f5e1bee7ce93d8ba68c8ab47bc9c27b08e24aa7b1fa26a1b9a4a148c|ea80fce040fbd500f9aa00ff",
  deeppurple:
    "ede7f6d1c4e9b39ddb9575cd7e57c2673ab75e35b1512da84527a0311b92|b388ff7c4dff651fff6200ea",
  indigo: "e8eaf6c5cae99fa8da7986cb5c6bc03f51b53949ab303f9f2835931a237e|8c9eff536dfe3d5afe304ffe",
  blue: "e3f2fdbbdefb90caf964b5f642a5f52196f31e88e51976d21565c00d47a1|82b1ff448aff2979ff2962ff",
  lightblue:
    "e1f5feb3e5fc81d4fa4fc3f729b6f603a9f4039be50288d10277bd01579b|80d8ff40c4ff00b0ff0091ea",
  cyan: "e0f7fab2ebf280deea4dd0e126c6da00bcd400acc10097a700838f006064|84ffff18ffff00e5ff00b8d4",
  teal: "e0f2f1b2dfdb80cbc44db6ac26a69a00968800897b00796b00695c004d40|a7ffeb64ffda1de9b600bfa5",
  green: "e8f5e9c8e6c9a5d6a781c78466bb6a4caf5043a047388e3c2e7d321b5e20|b9f6ca69f0ae00e67600c853",
  lightgreen:
    "f1f8e9dcedc8c5e1a5aed5819ccc658bc34a7cb342689f38558b2f33691e|ccff90b2ff5976ff0364dd17",
  lime: "f9fbe7f0f4c3e6ee9cdce775d4e157cddc39c0ca33afb42b9e9d24827717|f4ff81eeff41c6ff00aeea00",
  yellow: "fffde7fff9c4fff59dfff176ffee58ffeb3bfdd835fbc02df9a825f57f17|ffff8dffff00ffea00ffd600",
  amber: "fff8e1ffecb3ffe082ffd54fffca28ffc107ffb300ffa000ff8f00ff6f00|ffe57fffd740ffc400ffab00",
  orange: "fff3e0ffe0b2ffcc80ffb74dffa726ff9800fb8c00f57c00ef6c00e65100|ffd180ffab40ff9100ff6d00",
  deeporange:
    "fbe9e7ffccbcffab91ff8a65ff7043ff5722f4511ee64a19d84315bf360c|ff9e80ff6e40ff3d00dd2c00",
  brown: "efebe9d7ccc8bcaaa4a1887f8d6e637955486d4c415d40374e342e3e2723",
  grey: "fafafaf5f5f5eeeeeee0e0e0bdbdbd9e9e9e757575616161424242212121",
  bluegrey: "eceff1cfd8dcb0bec590a4ae78909c607d8b546e7a455a6437474f263238",
};

function paletteColor(name) {
  const m = /^([a-z]+?)(accent)?(\d*)$/.exec(name);
  const runs = m && PALETTE[m[1]]?.split("|");
  if (!runs) return null;
  const [shades, stops] = m[2] ? [runs[1], ACCENTS] : [runs[0], SHADES];
  const i = stops.indexOf(m[3] === "" ? (m[2] ? 200 : 500) : Number(m[3]));
  return shades && i >= 0 ? `#${shades.slice(i * 6, i * 6 + 6)}` : null;
}

function named(value) {
  const key = value.replace(/[\s_-]/g, "").toLowerCase();
  if (roleVars.has(key)) return roleVars.get(key);
  const alpha = /^(black|white)(\d\d)$/.exec(key);
  if (alpha) return `rgb(${alpha[1] === "black" ? "0 0 0" : "255 255 255"} / ${alpha[2]}%)`;
  return paletteColor(key) ?? value;
}

/** The CSS color for a Flet color value, or "" for none. */
export function color(value) {
  if (typeof value !== "string" || value === "") return "";
  const withOpacity = /^([^(,]+),\s*([\d.]+)$/.exec(value);
  if (withOpacity) {
    const pct = Math.round(Math.min(1, Number(withOpacity[2])) * 100);
    return `color-mix(in srgb, ${named(withOpacity[1].trim())} ${pct}%, transparent)`;
  }
  return named(value.trim());
}
