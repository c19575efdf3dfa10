// Shows an error of the app's (main, a handler or a task failed) in the page, so that a
// mistake is never a blank page. The host sends "app error" alone in production, and the
// message with its traceback under --debug: the first becomes a small banner ("Something
// went wrong"), the second a panel with the whole text; both can be dismissed.

const PREFIX = "app error";
let box = null;

function ensureBox() {
  if (box) return box;
  box = document.createElement("div");
  box.id = "luaflet-app-error";
  box.setAttribute("role", "alert");
  box.hidden = true;
  document.body.append(box);
  return box;
}

/** Shows `message` if it is an app error; returns whether it was one. */
export function showAppError(message) {
  if (typeof message !== "string" || !message.startsWith(PREFIX)) return false;
  const el = ensureBox();
  const detail = message.slice(PREFIX.length).replace(/^:\s*/, "");
  const title = document.createElement("strong");
  title.textContent = "Something went wrong";
  const close = document.createElement("button");
  close.type = "button";
  close.className = "lf-app-error-close";
  close.setAttribute("aria-label", "Dismiss");
  close.textContent = "\u00d7";
  close.addEventListener("click", () => {
    el.hidden = true;
  });
  const parts = [title, close];
  if (detail) {
    const pre = document.createElement("pre");
    pre.textContent = detail;
    parts.push(pre);
  }
  el.toggleAttribute("data-detail", detail !== "");
  el.replaceChildren(...parts);
  el.hidden = false;
  return true;
}

/** Hides the error shown, if any. */
export function hideAppError() {
  if (box) box.hidden = true;
}
