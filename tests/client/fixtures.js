// The op streams the busted specs record (spec/client_fixture.lua) under
// build/client_fixtures/, and the tree shape they are compared in. `make test` runs the specs
// first; run alone, these tests fail saying which file is missing.

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../build/client_fixtures");

// Every file the specs write: a missing one fails rather than shrinking what is checked.
const FILES = ["scenarios", "fuzz"];

/** Every scenario of every fixture file: {file, title, steps: [{messages, tree}]}. */
export function scenarios() {
  return FILES.flatMap((file) => {
    const where = path.join(DIR, `${file}.json`);
    let list;
    try {
      list = JSON.parse(readFileSync(where, "utf8"));
    } catch (err) {
      throw new Error(`${where}: ${err.message} (the busted specs write it: busted spec/)`);
    }
    return list.map((sc) => ({ file, ...sc }));
  });
}

// The slots both sides list, in this order.
export const SLOT_ORDER = ["controls", "content", "overlay"];

/** The shape of control `id` in a Rendered model, as the specs write it: {id, type, value,
 * slots}, empty slots and a missing value left out. */
export function modelShape(rendered, id) {
  const rec = rendered.get(id);
  const shape = { id, type: rec.type };
  if (rec.props.value !== undefined) shape.value = rec.props.value;
  shape.slots = {};
  for (const name of SLOT_ORDER) {
    const ids = rec.slots[name];
    if (ids?.length) shape.slots[name] = ids.map((x) => modelShape(rendered, x));
  }
  return shape;
}
