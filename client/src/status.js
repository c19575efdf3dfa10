// Shows the connection's state: to tests as document.body.dataset.connection, and to people
// as a snackbar-like banner (#luaflet-status) at the top while the client reconnects.

let banner = null;

function ensureBanner() {
  if (banner) return banner;
  banner = document.getElementById("luaflet-status") ?? document.createElement("div");
  banner.id = "luaflet-status";
  banner.setAttribute("role", "status");
  banner.setAttribute("aria-live", "polite");
  banner.hidden = true;
  const spinner = document.createElement("span");
  spinner.className = "lf-spinner";
  const text = document.createElement("span");
  text.textContent = "Reconnecting…";
  banner.replaceChildren(spinner, text);
  if (!banner.isConnected) document.body.append(banner);
  return banner;
}

/** Shows `state`: "connecting", "open" or "reconnecting". */
export function showConnection(state) {
  document.body.dataset.connection = state;
  ensureBanner().hidden = state !== "reconnecting";
}
