// The registry of control types. Each type says how to create its element (and where its
// slots' children go) and how to apply its own props; the props in COMMON apply to every
// type unless it opts out, and a type's own handler for a name wins over the common one.

import { button } from "./buttons.js";
import { COMMON } from "./common.js";
import { container } from "./container.js";
import {
  chip,
  circleavatar,
  fab,
  icon,
  iconButton,
  image,
  listtile,
  markdown,
  progressbar,
  progressring,
  tooltip,
} from "./display.js";
import { alertdialog, banner, bottomsheet, snackbar } from "./dialogs.js";
import { flex } from "./flex.js";
import {
  appbar,
  bottomappbar,
  menubar,
  menuitembutton,
  navigationbar,
  navigationbardestination,
  navigationdrawer,
  navigationdrawerdestination,
  navigationrail,
  navigationraildestination,
  popupmenubutton,
  popupmenuitem,
  submenubutton,
} from "./navigation.js";
import { page } from "./page.js";
import { routeView } from "./route_view.js";
import { text, textspan } from "./text.js";
import { textfield } from "./textfield.js";
import {
  cardControl,
  hdivider,
  pagelet,
  responsiverow,
  safearea,
  stack,
  vdivider,
} from "./layout.js";
import { datacell, datacolumn, datarow, datatable } from "./datatable.js";
import { expansiontile } from "./expansiontile.js";
import { dragtarget, draggable, gesturedetector } from "./gestures.js";
import { gridview, listview } from "./listview.js";
import { tab, tabs } from "./tabs.js";
import { lazy, setUpdate } from "./lazy.js";
import { filepicker } from "./utilities.js";

// A user control only groups its content; display: contents keeps it out of the layout.
const usercontrol = {
  create() {
    const el = document.createElement("div");
    return { el, slots: { content: el } };
  },
  className: "lf-usercontrol",
  props: {},
};

// An unknown type still shows up, as a box naming it, so a missing control is obvious
// rather than silently absent; its children, if any, go inside the box.
const unsupported = {
  create(type) {
    const el = document.createElement("div");
    const label = el.appendChild(document.createElement("span"));
    label.className = "lf-unsupported-label";
    label.textContent = `Control type "${type}" is not supported`;
    return { el };
  },
  className: "lf-unsupported",
  props: {},
};

// The Inputs family but TextField comes in a chunk of its own, on first use (see lazy.js).
const inputs = lazy(
  () => import("./inputs_family.js"),
  new URL("inputs.css", import.meta.url).href,
);

const TYPES = {
  page,
  text,
  elevatedbutton: button("elevated"),
  filledbutton: button("filled"),
  outlinedbutton: button("outlined"),
  textbutton: button("text"),
  column: flex("column"),
  row: flex("row"),
  container,
  usercontrol,
  textfield,
  view: routeView,
  appbar,
  bottomappbar,
  navigationbar,
  navigationbardestination,
  navigationrail,
  navigationraildestination,
  navigationdrawer,
  navigationdrawerdestination,
  menubar,
  menuitembutton,
  submenubutton,
  popupmenubutton,
  popupmenuitem,
  alertdialog,
  snackbar,
  banner,
  bottomsheet,
  stack,
  listview,
  gridview,
  responsiverow,
  safearea,
  divider: hdivider,
  verticaldivider: vdivider,
  card: cardControl,
  expansiontile,
  tabs,
  tab,
  pagelet,
  datatable,
  datacolumn,
  datarow,
  datacell,
  gesturedetector,
  draggable,
  dragtarget,
  filepicker,
  checkbox: inputs("checkbox"),
  switch: inputs("switch"),
  radiogroup: inputs("radiogroup"),
  radio: inputs("radio"),
  slider: inputs("slider"),
  rangeslider: inputs("rangeslider"),
  dropdown: inputs("dropdown"),
  dropdownoption: inputs("dropdownoption"),
  segmentedbutton: inputs("segmentedbutton"),
  segment: inputs("segment"),
  searchbar: inputs("searchbar"),
  datepicker: inputs("datepicker"),
  timepicker: inputs("timepicker"),
  filledtonalbutton: button("filled-tonal"),
  textspan,
  icon,
  iconbutton: iconButton(""),
  fillediconbutton: iconButton("filled"),
  filledtonaliconbutton: iconButton("filled-tonal"),
  outlinediconbutton: iconButton("outlined"),
  floatingactionbutton: fab,
  chip,
  image,
  circleavatar,
  progressbar,
  progressring,
  listtile,
  tooltip,
  markdown,
};

const specOf = (type) => (Object.hasOwn(TYPES, type) ? TYPES[type] : unsupported);

/** Creates a fresh control of `type`: a record {el, slots, type, ...} with no props applied.
 * `emit(name, data, opts)` reports what the person does with it: a renderer's create(type,
 * emit) attaches its listeners and calls it with Flet's event name and e.data (see View.emit
 * for opts). */
export function create(type, emit = () => {}) {
  let spec = specOf(type);
  if (spec.lazy) {
    const loaded = spec.lazy.loaded();
    if (!loaded) {
      const rec = spec.lazy.create(emit);
      rec.el.className = spec.className;
      return rec;
    }
    spec = loaded;
  }
  const rec = { slots: {}, ...spec.create(type, emit), type, emit };
  rec.el.className = spec.className;
  return rec;
}

/** The element that holds the children of slot `name`: a slot the type does not know keeps
 * its children in the control's own element. */
export const slotElement = (rec, name) => rec.slots[name] ?? rec.el;

/** Applies the props listed in `names` from `props` (the control's current props, where a
 * removed prop is missing) to a record made by create(). Unknown props are ignored. */
export function update(rec, names, props) {
  if (rec.pending) {
    rec.props = props; // applied whole once its family is loaded
    return;
  }
  let spec = specOf(rec.type);
  if (spec.lazy) spec = spec.lazy.loaded();
  const handlers = new Set();
  for (const name of names) {
    const h = Object.hasOwn(spec.props, name)
      ? spec.props[name]
      : spec.common !== false && Object.hasOwn(COMMON, name)
        ? COMMON[name]
        : null;
    if (h) handlers.add(h);
  }
  for (const h of handlers) h(rec, props);
}

setUpdate(update);
