// Shows the connection's state: to tests as document.body.dataset.connection, and to people
// as a snackbar-like banner (#luaflet-status) at the top while the client reconnects. The
// same banner says for a moment when a page had to start over (its session was gone).

let banner = null;

function ensureBanner() {
  if (banner) return banner;
  banner = document.getElementById("luaflet-status") ?? document.createElement("div");
  banner.id = "luaflet-status";
  banner.setAttribute("role", "status");
  banner.setAttribute("aria-live", "polite");
  banner.hidden = true;
  banner.replaceChildren(...reconnecting());
  if (!banner.isConnected) document.body.append(banner);
  return banner;
}

let noticeTimer = null;

/** Shows `state`: "connecting", "open" or "reconnecting". */
export function showConnection(state) {
  document.body.dataset.connection = state;
  const b = ensureBanner();
  if (state === "reconnecting") {
    clearTimeout(noticeTimer);
    noticeTimer = null;
    b.replaceChildren(...reconnecting());
    b.hidden = false;
  } else if (!noticeTimer) {
    b.hidden = true;
  }
}

function reconnecting() {
  const spinner = document.createElement("span");
  spinner.className = "lf-spinner";
  const text = document.createElement("span");
  text.textContent = "Reconnecting…";
  return [spinner, text];
}

// How long the notice that a page started over stays.
const NOTICE_MS = 8000;

/** Tells the user that the host no longer had this page's session: it started over. */
export function showStartedOver() {
  const b = ensureBanner();
  const text = document.createElement("span");
  text.textContent = "The server restarted: this page started over.";
  b.replaceChildren(text);
  b.hidden = false;
  document.body.dataset.startedOver = "true";
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    noticeTimer = null;
    b.hidden = true;
  }, NOTICE_MS);
}
