// The utilities: controls with nothing to show. A FilePicker only stands for its picker in
// the page (its dialog and uploads are calls, see calls.js), so its element stays hidden.

export const filepicker = {
  create() {
    const el = document.createElement("div");
    el.hidden = true;
    return { el };
  },
  className: "lf-filepicker",
  props: {},
};
