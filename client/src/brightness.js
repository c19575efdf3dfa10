// The browser's brightness: its preferred color scheme (prefers-color-scheme), as Flet's
// page.platform_brightness names it, "light" or "dark". The host hears it in register and
// as the page's platform_brightness_change (view.js); theme.js follows it for theme_mode
// "system".

const query = globalThis.window?.matchMedia?.("(prefers-color-scheme: dark)");

/** "dark" when the browser prefers a dark color scheme, else "light". */
export const brightness = () => (query?.matches === true ? "dark" : "light");

/** Calls fn(brightness) each time the preference changes. */
export function onBrightnessChange(fn) {
  query?.addEventListener?.("change", () => fn(brightness()));
}
