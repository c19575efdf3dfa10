// The client's entry point: loads the styles and the Material components, mounts the view
// and connects it to the host.

import "./luaflet.css";
import "@material/web/button/elevated-button.js";
import "@material/web/button/filled-button.js";
import "@material/web/button/outlined-button.js";
import "@material/web/button/text-button.js";
import "@material/web/textfield/outlined-text-field.js";
import "@material/web/button/filled-tonal-button.js";
import { drawIconElements } from "./icons.js";
import { invoke } from "./calls.js";
import "@material/web/tabs/tabs.js";
import "@material/web/tabs/primary-tab.js";
import { Socket } from "./socket.js";
import { showConnection, showStartedOver } from "./status.js";
import { View } from "./view.js";

let root = document.getElementById("luaflet-root");
if (!root) {
  root = document.body.appendChild(document.createElement("div"));
  root.id = "luaflet-root";
}

drawIconElements(root);
const view = new View(root, (msg) => socket.send(msg));
const socket = new Socket({
  onInit: (tree) => view.init(tree),
  onPatch: (ops) => view.patch(ops),
  onOpen: (size) => view.registered(size),
  onState: showConnection,
  onStartedOver: showStartedOver,
  onInvoke: (msg) =>
    invoke(
      msg,
      (m) => socket.send(m),
      (id, name, data) => view.emit(id, name, data),
    ),
});
socket.connect();
