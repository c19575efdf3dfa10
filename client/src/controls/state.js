// For renderers whose listeners need the control's current props: controls.create copies
// the record that create() returns, so such a renderer keeps its state in one object, `st`,
// which both its listeners and its prop handlers hold. withState(handlers) gives each
// handler that state (with `props`, the control's current props, kept up to date) in place
// of the record; a handler shared by several props stays one function, so it still runs
// once per update.

const wrapped = new WeakMap();

export function withState(handlers) {
  const out = {};
  for (const [name, h] of Object.entries(handlers)) {
    if (!wrapped.has(h))
      wrapped.set(h, (rec, p) => {
        rec.st.props = p;
        h(rec.st, p);
      });
    out[name] = wrapped.get(h);
  }
  return out;
}
