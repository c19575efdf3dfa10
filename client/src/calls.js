// What the app asks of the browser (invoke messages, lua/flet/client_calls.lua): open a URL,
// the clipboard, localStorage. A call with a number other than 0 is answered with a result
// message carrying its data, or a message saying why it could not be done.

import { ARGS, CALL, DATA, MESSAGE, METHOD, RESULT, T } from "./constants.js";

// localStorage keys of Luaflet apps carry this prefix, so they do not mix with other
// scripts' keys on the same origin; get_keys returns them without it.
const PREFIX = "luaflet.";

const METHODS = {
  launch_url({ url, web_window_name, web_popup_window, window_width, window_height }) {
    const u = new URL(String(url), location.href);
    if (!["http:", "https:", "mailto:", "tel:"].includes(u.protocol)) {
      throw new Error(`launch_url: ${u.protocol} URLs are not opened`);
    }
    const features = web_popup_window
      ? `popup,width=${Number(window_width) || 600},height=${Number(window_height) || 400}`
      : "noopener";
    window.open(u.href, web_window_name || "_blank", features);
  },
  set_clipboard: ({ text }) => navigator.clipboard.writeText(String(text)),
  get_clipboard: () => navigator.clipboard.readText(),
  storage_set([key, value]) {
    localStorage.setItem(PREFIX + key, JSON.stringify(value ?? null));
    return true;
  },
  storage_get([key]) {
    const v = localStorage.getItem(PREFIX + key);
    return v === null ? null : JSON.parse(v);
  },
  storage_contains_key: ([key]) => localStorage.getItem(PREFIX + key) !== null,
  storage_remove([key]) {
    localStorage.removeItem(PREFIX + key);
    return true;
  },
  storage_get_keys([prefix = ""]) {
    const keys = [];
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k.startsWith(PREFIX + prefix)) keys.push(k.slice(PREFIX.length));
    }
    return keys.sort();
  },
  storage_clear() {
    for (const k of METHODS.storage_get_keys([])) localStorage.removeItem(PREFIX + k);
    return true;
  },
};

/** Runs the call `msg` and, when it wants one, sends its answer with `send`. */
export async function invoke(msg, send) {
  const id = msg[CALL];
  const answer = (fields) => {
    if (Number.isInteger(id) && id > 0) send({ [T]: RESULT, [CALL]: id, ...fields });
  };
  const method = Object.hasOwn(METHODS, msg[METHOD]) ? METHODS[msg[METHOD]] : null;
  if (!method) {
    answer({ [MESSAGE]: `the browser has no method ${msg[METHOD]}` });
    return;
  }
  // Lua sends a call's arguments as an array (possibly empty, which comes as {}) or an object.
  const args = msg[ARGS] ?? {};
  try {
    const data = await method(
      msg[METHOD].startsWith("storage_") && !Array.isArray(args) ? Object.values(args) : args,
    );
    answer({ [DATA]: data ?? null });
  } catch (err) {
    answer({ [MESSAGE]: String(err?.message ?? err) });
  }
}
