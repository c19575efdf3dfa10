// Control families loaded on first use. A family's renderers (and its stylesheet) are a
// chunk of their own that the page fetches only once a control of the family is shown, so
// the first page stays small. Until the chunk is in, such a control is a placeholder record:
// its children wait in boxes of their own, one per slot, and its props are kept; once the
// family is loaded the record becomes the real one in place (the same object, which
// DOMPatch holds), its children move into the real slots and every prop is applied.

let upgradeProps = () => {};

/** Tells lazy() how to apply props to an upgraded record: controls.update. */
export function setUpdate(update) {
  upgradeProps = update;
}

function loadStyles(href) {
  return new Promise((done) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.onload = link.onerror = () => done();
    document.head.append(link);
  });
}

/** A family: `load()` imports its module, whose TYPES maps wire types to renderers, and
 * `css` is its stylesheet's URL (or null). Returns a function that gives the registry's
 * entry for one of its types. */
export function lazy(load, css) {
  let types = null;
  let loading = null;
  const waiting = new Set();

  const start = () => {
    loading ??= Promise.all([load(), css ? loadStyles(css) : null]).then(
      ([mod]) => {
        types = mod.TYPES;
        for (const rec of waiting) upgrade(rec, types[rec.type]);
        waiting.clear();
      },
      (err) => {
        // Tried again by the next control of the family that is created.
        loading = null;
        console.error("luaflet: a control family did not load", err);
      },
    );
  };

  return (type) => ({
    lazy: {
      loaded: () => types?.[type],
      // The placeholder: hidden, with a box per slot that children are put in meanwhile.
      create(emit) {
        start();
        const el = document.createElement("div");
        const boxes = new Map();
        const slots = new Proxy(
          {},
          {
            get(_, name) {
              if (typeof name !== "string") return undefined;
              if (!boxes.has(name)) boxes.set(name, el.appendChild(document.createElement("div")));
              return boxes.get(name);
            },
          },
        );
        const rec = { el, slots, type, emit, pending: { boxes }, props: {} };
        waiting.add(rec);
        return rec;
      },
    },
    className: "lf-loading",
    props: {},
  });
}

function upgrade(rec, spec) {
  if (!spec) return;
  const old = rec.el;
  const real = { slots: {}, ...spec.create(rec.type, rec.emit) };
  real.el.className = spec.className;
  real.el.dataset.id = old.dataset.id;
  real.el.dataset.type = rec.type;
  for (const [name, box] of rec.pending.boxes) {
    (real.slots[name] ?? real.el).append(...box.childNodes);
  }
  old.replaceWith(real.el);
  const props = rec.props;
  delete rec.pending;
  Object.assign(rec, real);
  upgradeProps(rec, Object.keys(props), props);
}
