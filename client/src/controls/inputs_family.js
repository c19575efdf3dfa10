// The Inputs family's renderers but TextField's, loaded on first use (see lazy.js), with
// their stylesheet, client/src/inputs.css.

import { dropdown, dropdownoption, segment, segmentedbutton } from "./choice.js";
import { datepicker, searchbar, timepicker } from "./search.js";
import { rangeslider, slider } from "./slider.js";
import { checkbox, radio, radiogroup, switchControl } from "./toggles.js";

export const TYPES = {
  checkbox,
  switch: switchControl,
  radiogroup,
  radio,
  slider,
  rangeslider,
  dropdown,
  dropdownoption,
  segmentedbutton,
  segment,
  searchbar,
  datepicker,
  timepicker,
};
