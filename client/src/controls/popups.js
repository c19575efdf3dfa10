// Popups that a press anywhere else closes (a dropdown's menu, a search bar's view): one
// listener on the document for all of them, which holds only those open now, so a control
// removed from the page leaves nothing behind once closed.

const open = new Map(); // element -> its close()

let listening = false;
function listen() {
  if (listening) return;
  listening = true;
  document.addEventListener("pointerdown", (e) => {
    const path = e.composedPath();
    for (const [el, close] of open) if (!path.includes(el)) close();
  });
}

/** Records that `el`'s popup is open (close() closes it) or, with close null, closed. */
export function popup(el, close) {
  if (close) {
    listen();
    open.set(el, close);
  } else open.delete(el);
}
