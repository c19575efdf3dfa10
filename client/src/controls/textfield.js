// TextField, as @material/web's md-outlined-text-field. The text the person types lives in
// the element; the host learns it from change events, sent whether or not the app has an
// on_change (see View.emit), and never needs to send it back, so a value from the host is
// applied only when it differs, which keeps the caret where it is.

export const textfield = {
  create(_type, emit) {
    const el = document.createElement("md-outlined-text-field");
    el.addEventListener("input", () => emit("change", el.value, { value: true }));
    el.addEventListener("keydown", (e) => {
      if (e.key === "Enter") emit("submit", el.value);
    });
    return { el };
  },
  className: "lf-textfield",
  props: {
    value: ({ el }, p) => {
      const v = p.value == null ? "" : String(p.value);
      if (el.value !== v) el.value = v;
    },
    label: ({ el }, p) => {
      el.label = p.label == null ? "" : String(p.label);
    },
    hint_text: ({ el }, p) => {
      el.placeholder = p.hint_text == null ? "" : String(p.hint_text);
    },
    password: ({ el }, p) => {
      el.type = p.password === true ? "password" : "text";
    },
    disabled: ({ el }, p) => {
      el.disabled = p.disabled === true;
    },
  },
};
