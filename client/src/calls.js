// What the app asks of the browser (invoke messages, lua/flet/client_calls.lua): open a URL,
// the clipboard, localStorage. A call with a number other than 0 is answered with a result
// message carrying its data, or a message saying why it could not be done.

import { hideAppError } from "./app_errors.js";
import { ARGS, CALL, DATA, MESSAGE, METHOD, RESULT, T, UPLOAD } from "./constants.js";

// localStorage keys of Luaflet apps carry this prefix, so they do not mix with other
// scripts' keys on the same origin; get_keys returns them without it.
const PREFIX = "luaflet.";

// The files each FilePicker picked last (picker id -> name -> File): upload sends them. The
// server only ever learns their names and sizes.
const picked = new Map();
// The open file dialog's end, when there is one: a new dialog counts it as cancelled.
let choosing = null;

// At most one progress event per file this often, so that a fast upload does not run into
// the host's event rate limit.
const PROGRESS_EVERY_MS = 250;

// A host of several workers answers 421 to an upload that came on a connection the browser
// kept from a request to another worker, and closes it: the upload is sent again, on a new
// connection, this many times at most.
const MISDIRECTED_RETRIES = 8;

/** PUTs (or POSTs) file to url, reporting progress (0 to 1, short of the end); resolves to
 * null once the host has it whole, else to why not (the host's answer, a line of text). */
function put(file, url, method, progress, tries = 0) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    let last = 0;
    xhr.upload.onprogress = (e) => {
      const now = performance.now();
      if (!e.lengthComputable || e.loaded >= e.total || now - last < PROGRESS_EVERY_MS) return;
      last = now;
      progress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status === 421 && tries < MISDIRECTED_RETRIES) {
        resolve(put(file, url, method, progress, tries + 1));
        return;
      }
      resolve(
        xhr.status >= 200 && xhr.status < 300
          ? null
          : xhr.responseText.trim() || `the upload failed (HTTP ${xhr.status})`,
      );
    };
    xhr.onerror = () => resolve("the upload failed: the connection to the server was lost");
    xhr.open(method === "POST" ? "POST" : "PUT", String(url));
    xhr.send(file);
  });
}

const METHODS = {
  // The browser's file dialog: answers with the picked files' names and sizes, or null.
  pick_files({ id, accept, multiple }) {
    choosing?.(null);
    return new Promise((resolve) => {
      const input = document.createElement("input");
      input.type = "file";
      input.hidden = true;
      if (accept) input.accept = String(accept);
      input.multiple = multiple === true;
      const settle = (files) => {
        if (choosing !== settle) return;
        choosing = null;
        input.remove();
        if (files) picked.set(id, new Map(files.map((f) => [f.name, f])));
        resolve(files && files.map((f) => ({ name: f.name, size: f.size })));
      };
      choosing = settle;
      input.addEventListener("change", () => settle([...input.files]));
      input.addEventListener("cancel", () => settle(null));
      document.body.appendChild(input);
      input.click();
    });
  },
  // Sends picked files one after the other; the picker's upload events tell how each goes.
  async upload({ id, files }, emit) {
    const mine = picked.get(id);
    for (const { name, upload_url, method } of Array.isArray(files) ? files : []) {
      const report = (progress, error) =>
        emit(id, UPLOAD, JSON.stringify({ file_name: name, progress, error }));
      const file = mine?.get(name);
      if (!file) {
        report(null, `no picked file is named ${name}`);
        continue;
      }
      report(0, null);
      const error = await put(file, upload_url, method, (p) => report(p, null));
      report(error ? null : 1, error);
    }
  },
  // Downloads the bytes as a file of that name.
  save_file({ file_name, data }) {
    const bytes = Uint8Array.from(atob(String(data ?? "")), (c) => c.charCodeAt(0));
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([bytes]));
    a.download = String(file_name ?? "file");
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 60000);
  },
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
  // The page was rebuilt by new code (luaflet --reload): the error it showed is gone.
  dismiss_app_error() {
    hideAppError();
  },
};

/** Runs the call `msg` and, when it wants one, sends its answer with `send`; `emit(id, name,
 * data)` reports a control's events (a file picker's uploads). */
export async function invoke(msg, send, emit) {
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
      emit,
    );
    answer({ [DATA]: data ?? null });
  } catch (err) {
    answer({ [MESSAGE]: String(err?.message ?? err) });
  }
}
