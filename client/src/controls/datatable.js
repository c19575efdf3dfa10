// DataTable, DataColumn, DataRow and DataCell as an HTML table with M3's data table look.
// The table keeps what its columns and rows need to know (the sorted column, which columns
// are numeric, the checkbox column) and refreshes them when its children change.

import { color } from "../colors.js";
import { DOUBLE_TAP, LONG_PRESS, SELECT_ALL, SELECT_CHANGED, SORT, TAP } from "../constants.js";
import { px } from "../values.js";

const LONG_PRESS_MS = 500;

function checkbox() {
  const box = document.createElement("input");
  box.type = "checkbox";
  box.className = "lf-dt-check";
  return box;
}

// Reports a long press (the pointer held still for LONG_PRESS_MS) to `report`.
function longPress(el, report) {
  let timer = 0;
  const stop = () => clearTimeout(timer);
  el.addEventListener("pointerdown", () => {
    stop();
    timer = setTimeout(report, LONG_PRESS_MS);
  });
  for (const t of ["pointerup", "pointerleave", "pointercancel"]) el.addEventListener(t, stop);
}

// Brings the header, each row's checkbox and the numeric cells in line with the table.
function refresh(rec) {
  const { el, head, body } = rec;
  const p = el.lfProps ?? {};
  const cols = [...head.children].filter((c) => c.classList.contains("lf-datacolumn"));
  const checks = p.show_checkbox_column === true;
  el.toggleAttribute("data-checkboxes", checks);
  const numeric = cols.map((c) => c.hasAttribute("data-numeric"));
  cols.forEach((c, i) => {
    const sorted = p.sort_column_index === i;
    c.toggleAttribute("data-sorted", sorted);
    c.dataset.ascending = String(p.sort_ascending === true);
    c.lfIndex = i;
    c.lfSort = { sorted, ascending: p.sort_ascending === true };
  });
  let all = true;
  let any = false;
  for (const row of body.children) {
    const cells = [...row.children].filter((c) => c.classList.contains("lf-datacell"));
    cells.forEach((c, i) => c.toggleAttribute("data-numeric", numeric[i] === true));
    const sel = row.hasAttribute("data-selected");
    all &&= sel;
    any ||= sel;
  }
  rec.all.checked = all && any;
  rec.all.indeterminate = any && !all;
}

export const datatable = {
  create(type, emit) {
    const el = document.createElement("div");
    const table = el.appendChild(document.createElement("table"));
    const thead = table.appendChild(document.createElement("thead"));
    const head = thead.appendChild(document.createElement("tr"));
    const corner = head.appendChild(document.createElement("th"));
    corner.className = "lf-dt-checkcell";
    const all = corner.appendChild(checkbox());
    const body = table.appendChild(document.createElement("tbody"));
    const rec = { el, head, body, all };
    all.addEventListener("click", (e) => {
      e.preventDefault();
      const rows = [...body.children];
      const every = rows.length > 0 && rows.every((r) => r.hasAttribute("data-selected"));
      emit(SELECT_ALL, String(!every));
      refresh(rec);
    });
    const again = () => refresh(rec);
    new MutationObserver(again).observe(head, { childList: true });
    new MutationObserver(again).observe(body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["data-selected", "data-numeric"],
    });
    el.lfRefresh = again;
    return { ...rec, slots: { columns: head, rows: body } };
  },
  className: "lf-datatable",
  props: {
    ...Object.fromEntries(
      ["sort_column_index", "sort_ascending", "show_checkbox_column"].map((n) => [
        n,
        (rec, p) => {
          rec.el.lfProps = p;
          refresh(rec);
        },
      ]),
    ),
    heading_row_color: ({ head }, p) => {
      head.style.backgroundColor =
        typeof p.heading_row_color === "string" ? color(p.heading_row_color) : "";
    },
    heading_row_height: ({ head }, p) => {
      head.style.height = px(p.heading_row_height);
    },
    data_row_min_height: ({ el }, p) => {
      el.style.setProperty("--lf-dt-row-min", px(p.data_row_min_height) || "52px");
    },
    column_spacing: ({ el }, p) => {
      el.style.setProperty("--lf-dt-gap", px(p.column_spacing) || "56px");
    },
    divider_thickness: ({ el }, p) => {
      el.style.setProperty("--lf-dt-divider", px(p.divider_thickness) || "1px");
    },
  },
};

export const datacolumn = {
  create(type, emit) {
    const el = document.createElement("th");
    const label = el.appendChild(document.createElement("span"));
    label.className = "lf-label";
    const arrow = el.appendChild(document.createElement("md-icon"));
    arrow.className = "lf-dt-arrow";
    arrow.dataset.icon = "arrow_upward";
    arrow.setAttribute("aria-hidden", "true");
    el.addEventListener("click", () => {
      const s = el.lfSort ?? { sorted: false, ascending: false };
      emit(SORT, JSON.stringify({ i: el.lfIndex ?? 0, a: s.sorted ? !s.ascending : true }));
    });
    return { el, label, slots: { label: el } };
  },
  className: "lf-datacolumn",
  props: {
    label: ({ label }, p) => {
      label.textContent =
        typeof p.label === "string" || typeof p.label === "number" ? String(p.label) : "";
    },
    numeric: ({ el }, p) => {
      el.toggleAttribute("data-numeric", p.numeric === true);
      el.closest(".lf-datatable")?.lfRefresh?.();
    },
    on_sort: ({ el }, p) => {
      el.toggleAttribute("data-sortable", p.on_sort === true);
    },
  },
};

export const datarow = {
  create(type, emit) {
    const el = document.createElement("tr");
    const cell = el.appendChild(document.createElement("td"));
    cell.className = "lf-dt-checkcell";
    const box = cell.appendChild(checkbox());
    // Selection belongs to the app, as in Flutter: the row reports the wish and shows
    // `selected` as the app sets it.
    const toggle = (e) => {
      if (e.target.closest?.(".lf-datacell[data-tappable]")) return;
      e.preventDefault();
      emit(SELECT_CHANGED, String(!el.hasAttribute("data-selected")));
    };
    el.addEventListener("click", (e) => {
      if (e.target === box || el.hasAttribute("data-selectable")) toggle(e);
    });
    longPress(el, () => emit(LONG_PRESS, ""));
    return { el, box, slots: { cells: el } };
  },
  className: "lf-datarow",
  props: {
    selected: ({ el, box }, p) => {
      el.toggleAttribute("data-selected", p.selected === true);
      box.checked = p.selected === true;
    },
    on_select_changed: ({ el }, p) => {
      el.toggleAttribute("data-selectable", p.on_select_changed === true);
    },
    color: ({ el }, p) => {
      el.style.backgroundColor = typeof p.color === "string" ? color(p.color) : "";
    },
  },
};

export const datacell = {
  create(type, emit) {
    const el = document.createElement("td");
    el.addEventListener("click", () => emit(TAP, ""));
    el.addEventListener("dblclick", () => emit(DOUBLE_TAP, ""));
    longPress(el, () => emit(LONG_PRESS, ""));
    return { el, slots: { content: el } };
  },
  className: "lf-datacell",
  props: {
    on_tap: ({ el }, p) => {
      el.toggleAttribute("data-tappable", p.on_tap === true);
    },
    placeholder: ({ el }, p) => {
      el.toggleAttribute("data-placeholder", p.placeholder === true);
    },
    show_edit_icon: ({ el }, p) => {
      el.toggleAttribute("data-edit", p.show_edit_icon === true);
    },
  },
};
