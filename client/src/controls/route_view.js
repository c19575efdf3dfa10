// View: one screen of a routed app (page.views holds a stack of them; only the last shows,
// luaflet.css hides the rest and the page's own controls). Its controls lay out as the
// page's do, under its app bar; a view that is not the first and has no app bar of its own
// shows a back button, which asks the app to pop it (view_pop, page.on_view_pop).

import { VIEW_POP } from "../constants.js";
import { SCREEN_PROPS } from "./page.js";
import { scrollEvents } from "./scrolling.js";

export const routeView = {
  create(_type, emit) {
    const el = document.createElement("div");
    const appbar = el.appendChild(document.createElement("div"));
    appbar.className = "lf-view-appbar";
    const back = el.appendChild(document.createElement("button"));
    back.className = "lf-view-back";
    back.type = "button";
    back.setAttribute("aria-label", "Back");
    back.textContent = "\u2190";
    back.addEventListener("click", () => emit(VIEW_POP, "", { always: true }));
    const controls = el.appendChild(document.createElement("div"));
    controls.className = "lf-view-controls";
    const bottom = el.appendChild(document.createElement("div"));
    bottom.className = "lf-view-bottom";
    const fab = el.appendChild(document.createElement("div"));
    fab.className = "lf-view-fab";
    const drawer = el.appendChild(document.createElement("div"));
    drawer.className = "lf-view-drawer";
    return {
      el,
      scrolling: scrollEvents(controls, emit),
      slots: {
        controls,
        appbar,
        navigation_bar: bottom,
        bottom_appbar: bottom,
        floating_action_button: fab,
        drawer,
        end_drawer: drawer,
      },
    };
  },
  className: "lf-view",
  props: SCREEN_PROPS,
};
