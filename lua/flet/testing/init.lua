-- flet.testing: app tests in busted. testing.open("app.lua") (or a main function) runs the app
-- headless in the test's own process, on the real scheduler and diff: the app's session
-- speaks the real protocol to an in-process client, which keeps the page as the browser does
-- (flet.testing.model) and sends events as the browser does (client/src/view.js): only for
-- handlers the page has, never for a disabled control, a typed value kept until the next
-- event. Time is virtual while an app is open: asyncio.sleep waits for app:advance(), or for
-- an expect_text that needs it, so a test of a one-minute countdown takes milliseconds.
--
--   local testing = require "flet.testing"
--   local app = testing.open("main.lua")
--   app:type(app:find{type = "textfield"}, "milk")
--   app:click("Add")
--   app:expect_text("milk")
--   app:close()
--
-- Every call is made from the spec's own code (not from a task): each runs the loop until the
-- app has nothing left to do at once. docs/testing.md is the guide.
local core = require "luaflet.core"
local asyncio = require "asyncio"
local P = require "flet.protocol"
local session = require "flet.session"
local model_mod = require "flet.testing.model"

local M = {}

local type, pairs, ipairs, tostring, error = type, pairs, ipairs, tostring, error
local concat, sort = table.concat, table.sort

--- Seconds expect_text waits by default (of the app's time, and at most as long of real time).
M.TIMEOUT = 5
--- The size of the browser window the in-process client reports.
M.WIDTH, M.HEIGHT = 1280, 720

-- Apps open (each with its sessions); the clock is virtual while one with virtual time is.
local open_apps = {}
local virtual_users = 0

-- ------------------------------------------------------------------ the app's script

-- Runs the script at path with ft.app (and app_async, run, run_async) capturing the app's
-- main function instead of serving it; returns that function.
local function load_main(path)
  local chunk, err = loadfile(path)
  if not chunk then error("testing.open: " .. tostring(err), 3) end
  local ft = require "flet"
  local captured
  local function capture(target, more)
    local main = type(target) == "table" and target.target or target
    if type(main) ~= "function" or (more ~= nil and type(more) ~= "table") then
      error("expected ft.app(main), ft.app(main, {settings}) or ft.app{target = main, ...}", 2)
    end
    captured = captured or main
  end
  local names = {"app", "app_async", "run", "run_async"}
  local saved = {}
  for _, k in ipairs(names) do
    saved[k] = rawget(ft, k)
    rawset(ft, k, capture)
  end
  -- The app's own modules are found beside it, as the host finds them.
  local dir = path:match("^(.*)/[^/]*$") or "."
  local entry = dir .. "/?.lua;"
  if package.path:sub(1, #entry) ~= entry then package.path = entry .. package.path end
  local ok, e = xpcall(chunk, debug.traceback)
  for _, k in ipairs(names) do rawset(ft, k, saved[k]) end
  if not ok then error(("testing.open: %s failed: %s"):format(path, tostring(e)), 3) end
  if not captured then error(("testing.open: %s ended without calling ft.app"):format(path), 3) end
  return captured
end

-- ------------------------------------------------------------------ the loop

-- Runs the loop until no task is ready to run: what the last message or tick set off is
-- done, and every task waits for something (time, I/O, an event).
local function settle()
  local t0 = core.real_now()
  while core.turn(0) do
    if core.real_now() - t0 > M.TIMEOUT then
      error(("the app kept running for %g s without ever waiting"):format(M.TIMEOUT), 0)
    end
  end
end

-- ------------------------------------------------------------------ what the page shows

-- Types shown only while their `open` is true.
local OPENED = {alertdialog = true, cupertinoalertdialog = true, snackbar = true, banner = true,
                bottomsheet = true, datepicker = true, timepicker = true,
                navigationdrawer = true, cupertinoactionsheet = true}
-- Slots in the order the page shows them; others follow, by name.
local SLOT_ORDER = {"appbar", "leading", "title", "subtitle", "prefix", "content", "controls",
                    "tabs", "actions", "trailing", "suffix", "overlay"}
local SLOT_RANK = {}
for i, name in ipairs(SLOT_ORDER) do SLOT_RANK[name] = i end
-- Props that show text, in the order they are read.
local TEXT_PROPS = {"title", "label", "text", "value", "prefix_text", "suffix_text",
                    "helper_text", "error_text", "counter_text"}
local FIELDS = {textfield = true, searchbar = true, cupertinotextfield = true,
                autocomplete = true}
local TOGGLES = {checkbox = true, switch = true, cupertinocheckbox = true,
                 cupertinoswitch = true}
-- Items whose click selects them in the bar that holds them.
local DESTINATIONS = {tab = true, navigationbardestination = true,
                      navigationraildestination = true, navigationdrawerdestination = true,
                      cupertinonavigationbaritem = true}

local function slots_in_order(rec)
  local names = {}
  for name in pairs(rec.slots) do names[#names + 1] = name end
  sort(names, function(a, b)
    local ra, rb = SLOT_RANK[a] or 99, SLOT_RANK[b] or 99
    if ra ~= rb then return ra < rb end
    return a < b
  end)
  return names
end

local function is_text(v) return type(v) == "string" or math.type(v) ~= nil end

-- The option of a dropdown whose key is `value`, or nil.
local function option_key(rec)
  local k = rec.props.option_key
  if k == nil then k = rec.props.text end
  return k ~= nil and tostring(k) or ""
end

-- What a control shows of itself (not of its children): a list of texts.
local function own_texts(model, rec)
  local p, out = rec.props, {}
  if rec.id == P.PAGE_ID then return out end -- its title is the browser tab's, not the page's
  if rec.type == "dropdown" then
    if is_text(p.label) then out[#out + 1] = tostring(p.label) end
    for _, id in ipairs(rec.slots.options or {}) do
      local o = model.nodes[id]
      if p.value ~= nil and option_key(o) == tostring(p.value) then
        out[#out + 1] = tostring(o.props.text or option_key(o))
      end
    end
    if #out == 0 and is_text(p.hint_text) then out[#out + 1] = p.hint_text end
    return out
  end
  for _, k in ipairs(TEXT_PROPS) do
    local v = p[k]
    if is_text(v) and v ~= "" then out[#out + 1] = tostring(v) end
  end
  if FIELDS[rec.type] and (p.value == nil or p.value == "") and is_text(p.hint_text) then
    out[#out + 1] = p.hint_text
  end
  return out
end

-- Calls fn(rec, depth) for each control the page shows, in the order it shows them.
local function walk_shown(model, rec, fn, depth)
  local p = rec.props
  if p.visible == false then return end
  if OPENED[rec.type] and p.open ~= true then return end
  fn(rec, depth)
  if rec.type == "dropdown" then return end -- its options show only while it is open
  for _, name in ipairs(slots_in_order(rec)) do
    local ids = rec.slots[name]
    if name == "views" then
      -- Views are stacked: the top one is what shows.
      ids = {ids[#ids]}
    end
    for i, id in ipairs(ids) do
      local kid = model.nodes[id]
      -- A Tabs control shows its tabs' names, and the content of the selected one alone.
      if rec.type == "tabs" and name == "tabs" then
        fn(kid, depth + 1)
        if i - 1 == (p.selected_index or 0) then
          for _, c in ipairs(kid.slots.content or {}) do walk_shown(model, model.nodes[c], fn, depth + 2) end
        end
      elseif kid then
        walk_shown(model, kid, fn, depth + 1)
      end
    end
  end
end

-- How a control is named in messages: its type and what it shows.
local function describe(model, rec)
  local texts = own_texts(model, rec)
  local s = rec.type
  if #texts > 0 then s = ("%s %q"):format(s, texts[1]) end
  if rec.props.tooltip then s = ("%s (tooltip %q)"):format(s, tostring(rec.props.tooltip)) end
  return s
end

-- ------------------------------------------------------------------ controls found

--- A control found on the page: its id and type, its props (as the browser has them now)
-- as fields (node.value, node.text, node.disabled), or all of them as node.props;
-- node:exists(). app:text(node) is the text it and the controls inside it show.
local Node = {}
local function node_index(h, k)
  local m = Node[k]
  if m ~= nil then return m end
  local rec = h._tab._model.nodes[h.id]
  if k == "props" then return rec and rec.props end
  return rec and rec.props[k]
end
local NodeMT = {__index = node_index, __tostring = function(h)
  local rec = h._tab._model.nodes[h.id]
  return rec and describe(h._tab._model, rec) or ("control %d (no longer on the page)"):format(h.id)
end}

local function handle(tab, rec)
  return setmetatable({_tab = tab, id = rec.id, type = rec.type}, NodeMT)
end

--- Whether the control is still on the page.
function Node:exists()
  return self._tab._model.nodes[self.id] ~= nil
end

-- ------------------------------------------------------------------ the in-process client

--- One browser tab of an open app: a session of its own.
local App = {}
App.__index = App
M.App = App

-- The socket the session sends through: what it sends goes to the tab's client.
local Conn = {}
Conn.__index = Conn
function Conn:send(text)
  if self.tab._gone then return false, "closed" end
  self.tab:_receive(core.json_decode(text))
  return true
end
function Conn:send_async(text)
  asyncio.sleep(0) -- a real socket hands the message over on a later turn of the loop
  return self:send(text)
end
function Conn:close(code) self.tab._closed_by_host = code or P.CLOSE_NORMAL end
function Conn.registered() end
function Conn.address() return "127.0.0.1" end
function Conn:user_agent() return self.tab._user_agent end

-- Answers to the page's calls on the browser (client/src/calls.js), kept in the tab.
local CALLS = {
  launch_url = function(tab, args) tab.launched[#tab.launched + 1] = args.url end,
  set_clipboard = function(tab, args) tab.clipboard = tostring(args.text) end,
  get_clipboard = function(tab) return tab.clipboard end,
  storage_set = function(tab, args) tab.storage[args[1]] = args[2]; return true end,
  storage_get = function(tab, args) return tab.storage[args[1]] end,
  storage_contains_key = function(tab, args) return tab.storage[args[1]] ~= nil end,
  storage_remove = function(tab, args) tab.storage[args[1]] = nil; return true end,
  storage_get_keys = function(tab, args)
    local keys, prefix = {}, args[1] or ""
    for k in pairs(tab.storage) do if k:sub(1, #prefix) == prefix then keys[#keys + 1] = k end end
    sort(keys)
    return keys
  end,
  storage_clear = function(tab) tab.storage = {}; return true end,
}

-- A message from the host, as the browser takes it.
function App:_receive(msg)
  local t = msg[P.T]
  if t == P.INIT or t == P.PATCH or t == P.RESUME then
    local ok, err = pcall(model_mod.receive, self._model, msg)
    if not ok or err then self._failures[#self._failures + 1] = "the page's client: " .. tostring(err) end
  elseif t == P.INVOKE then
    local call, method, args = msg[P.CALL], msg[P.METHOD], msg[P.ARGS] or {}
    local fn = CALLS[method]
    local reply = {[P.T] = P.RESULT, [P.CALL] = call}
    if not fn then
      reply[P.MESSAGE] = ("flet.testing's browser has no method %s"):format(tostring(method))
    else
      local ok, data = pcall(fn, self, args)
      if ok then reply[P.DATA] = data else reply[P.MESSAGE] = tostring(data) end
    end
    if math.type(call) == "integer" and call > 0 then self:_send(reply) end
  elseif t == P.ERROR then
    local text = tostring(msg[P.MESSAGE])
    self.messages[#self.messages + 1] = text
    -- The app's own errors are reported by its page (see open); any other means this client
    -- broke the protocol.
    if not text:find("^app error") then self._failures[#self._failures + 1] = "the host: " .. text end
  end
end

-- Sends a message to the host, which handles it in a task of its own as it does a socket's.
function App:_send(msg)
  if self._gone then error("the tab is closed", 3) end
  local task = core.spawn(self._app.on_message, self._conn, msg)
  task:set_name("flet.testing " .. tostring(msg[P.T]))
end

-- Runs the loop until the app is idle; acknowledges what was applied, as the browser does.
function App:_settle()
  settle()
  local seq = self._model.seq
  if not self._gone and seq and seq ~= self._acked then
    self._acked = seq
    self:_send{[P.T] = P.ACK, [P.SEQ] = seq}
    settle()
  end
end

-- Raises what went wrong since the last call: the app's errors, a broken protocol.
function App:_check(level)
  local f = self._failures
  if #f > 0 then
    self._failures = {}
    error(concat(f, "\n"), level + 1)
  end
end

-- Whether the control or one holding it is disabled (rendered.js's isDisabled).
function App:_disabled(id)
  local nodes = self._model.nodes
  local rec = nodes[id]
  while rec do
    if rec.props.disabled == true then return true end
    rec = rec.parent and nodes[rec.parent]
  end
  return false
end

-- Sends the values typed or picked that no handler waited for (View.flush).
function App:_flush()
  local pending = self._pending
  self._pending = {}
  for _, e in ipairs(pending) do
    if self._model.nodes[e.id] then
      self:_send{[P.T] = P.EVENT, [P.ID] = e.id, [P.NAME] = e.name, [P.DATA] = e.data}
    end
  end
end

-- An event of a control, as View.emit sends it: `value` events the page has no handler for
-- wait for the next event; others only go when the page has a handler. Returns whether it
-- was sent.
function App:_emit(id, name, data, value)
  local rec = self._model.nodes[id]
  local wanted = rec.props[P.HANDLER_PREFIX .. name] == true
  local key = id .. " " .. name
  for i, e in ipairs(self._pending) do
    if e.key == key then table.remove(self._pending, i); break end
  end
  if value and not wanted then
    self._pending[#self._pending + 1] = {key = key, id = id, name = name, data = data}
    return false
  end
  if not wanted then return false end
  self:_flush()
  self:_send{[P.T] = P.EVENT, [P.ID] = id, [P.NAME] = name, [P.DATA] = data}
  return true
end

-- The lines of what the page shows, each with its control.
function App:_shown(within)
  local model, out = self._model, {}
  local root = within and model.nodes[within.id] or model.nodes[P.PAGE_ID]
  if not root then return out end
  walk_shown(model, root, function(rec, depth)
    local texts = own_texts(model, rec)
    if #texts > 0 then
      local line = concat(texts, " ")
      if TOGGLES[rec.type] then line = (rec.props.value == true and "[x] " or "[ ] ") .. line end
      out[#out + 1] = {rec = rec, texts = texts, line = line, depth = depth}
    end
  end, 0)
  return out
end

-- Every control shown (within a control, when given).
function App:_all_shown(within)
  local model, out = self._model, {}
  local root = within and model.nodes[within.id] or model.nodes[P.PAGE_ID]
  if root then walk_shown(model, root, function(rec) out[#out + 1] = rec end, 0) end
  return out
end

local function norm_type(t) return (tostring(t):lower():gsub("[_%s]", "")) end

local QUERY_KEYS = {text = true, type = true, within = true, index = true, key = true}

-- A control's key: the app's (it is never sent to the browser).
local function key_of(tab, rec)
  local page = tab._page
  local index = page and rawget(page, "_index")
  local c = index and index[rec.id]
  return c and c.key
end

-- Whether a control matches a query of find.
local function matches(tab, rec, q)
  local model = tab._model
  if q.key ~= nil and key_of(tab, rec) ~= q.key then return false end
  if q.type ~= nil and rec.type ~= norm_type(q.type) then return false end
  if q.text ~= nil then
    local found = false
    for _, t in ipairs(own_texts(model, rec)) do if t == q.text then found = true end end
    if not found then return false end
  end
  for k, v in pairs(q) do
    if not QUERY_KEYS[k] and rec.props[k] ~= v then return false end
  end
  return true
end

local function query_text(q)
  local parts = {}
  for k, v in pairs(q) do
    if k ~= "within" then
      parts[#parts + 1] = ("%s = %s"):format(k, type(v) == "string" and ("%q"):format(v) or tostring(v))
    end
  end
  sort(parts)
  return "{" .. concat(parts, ", ") .. "}"
end

local function as_query(q, what)
  if type(q) == "string" then return {text = q} end
  if type(q) ~= "table" or getmetatable(q) == NodeMT then
    error(("%s: expected a query such as {text = \"Add\"}, {label = ...}, {key = ...} or "
      .. "{type = \"checkbox\"}"):format(what), 3)
  end
  return q
end

--- Every control the page shows that matches the query (see find), in the page's order.
function App:find_all(q)
  q = as_query(q, "find_all")
  self:_check(2)
  local out = {}
  for _, rec in ipairs(self:_all_shown(q.within)) do
    if rec.id ~= P.PAGE_ID and matches(self, rec, q) then out[#out + 1] = handle(self, rec) end
  end
  return out
end

-- What the page shows, for messages: one control a line.
function App:_listing()
  local lines = {}
  for _, rec in ipairs(self:_all_shown()) do
    if rec.id ~= P.PAGE_ID then
      local texts = own_texts(self._model, rec)
      local key = key_of(self, rec)
      if #texts > 0 or key ~= nil or rec.props.tooltip or rec.props[P.HANDLER_PREFIX .. P.CLICK] then
        local line = "  " .. describe(self._model, rec)
        if key ~= nil then line = ("%s (key %s)"):format(line, ("%q"):format(tostring(key))) end
        lines[#lines + 1] = line
      end
    end
  end
  if #lines == 0 then return "the page shows nothing" end
  return "the page shows:\n" .. concat(lines, "\n")
end

--- The one control the page shows that matches: {text = "Add"} (a text it shows: a Text's
-- value, a button's text, a field's label, value or hint), {label = ...}, {key = ...},
-- {type = "checkbox"}, or any other prop ({tooltip = "Delete"}); several together; `within`
-- a control found before; `index` = n for the n-th of several. A string is {text = s}.
-- Raises, listing what the page shows, when none or several match.
function App:find(q)
  q = as_query(q, "find")
  local all = self:find_all(q)
  if q.index then
    local h = all[q.index]
    if not h then
      error(("find%s: %d controls match, not %d; %s"):format(query_text(q), #all, q.index,
        self:_listing()), 2)
    end
    return h
  end
  if #all == 1 then return all[1] end
  if #all == 0 then
    error(("find%s: nothing on the page matches; %s"):format(query_text(q), self:_listing()), 2)
  end
  local names = {}
  for i, h in ipairs(all) do names[i] = "  " .. tostring(h) end
  error(("find%s: %d controls match (add index = n, within = a control, or another prop):\n%s")
    :format(query_text(q), #all, concat(names, "\n")), 2)
end

-- A control given as a found one, a query or a text.
function App:_resolve(x, what)
  if type(x) == "table" and getmetatable(x) == NodeMT then
    if x._tab ~= self then error(what .. ": the control was found in another tab", 3) end
    if not self._model.nodes[x.id] then
      error(("%s: %s is no longer on the page; %s"):format(what, tostring(x), self:_listing()), 3)
    end
    return self._model.nodes[x.id]
  end
  local ok, h = pcall(self.find, self, x)
  if not ok then error(what .. ": " .. tostring(h), 3) end
  return self._model.nodes[h.id]
end

-- Ends an action: the loop runs until the app is idle, and what went wrong is raised.
function App:_done()
  self:_settle()
  self:_check(3)
end

--- Clicks a control (found, a query, or a text): the click goes to it or the nearest control
-- holding it that has an on_click handler and is not disabled, as in the browser. A
-- checkbox or switch is toggled, a radio chosen.
function App:click(x)
  self:_check(2)
  local model = self._model
  local rec = self:_resolve(x, "click")
  if self:_disabled(rec.id) then error(("click: %s is disabled"):format(describe(model, rec)), 2) end
  if TOGGLES[rec.type] then
    local v, tri = rec.props.value, rec.props.tristate == true
    local next_v
    if v ~= true and v ~= nil then next_v = true elseif v == true and tri then next_v = nil else next_v = false end
    if v == nil and not tri then next_v = true end
    rec.props.value = next_v
    self:_emit(rec.id, P.CHANGE, next_v == nil and "" or tostring(next_v), true)
    return self:_done()
  end
  if rec.type == "radio" then
    local group = rec
    while group and group.type ~= "radiogroup" do group = group.parent and model.nodes[group.parent] end
    if not group then error(("click: %s is in no RadioGroup"):format(describe(model, rec)), 2) end
    group.props.value = rec.props.value
    self:_emit(group.id, P.CHANGE, tostring(rec.props.value), true)
    return self:_done()
  end
  local parent = rec.parent and model.nodes[rec.parent]
  if DESTINATIONS[rec.type] and parent then
    -- A tab or a destination: its bar's selected_index becomes its place among its kind.
    local index = 0
    for _, id in ipairs(parent.slots[rec.slot]) do
      if id == rec.id then break end
      if model.nodes[id].type == rec.type then index = index + 1 end
    end
    parent.props.selected_index = index
    self:_emit(parent.id, P.CHANGE, tostring(index), true)
    return self:_done()
  end
  local target = rec
  while target and (target.props[P.HANDLER_PREFIX .. P.CLICK] ~= true or self:_disabled(target.id)) do
    target = target.parent and model.nodes[target.parent]
  end
  if not target then
    error(("click: %s has no on_click handler, nor does a control holding it")
      :format(describe(model, rec)), 2)
  end
  self:_flush()
  self:_send{[P.T] = P.EVENT, [P.ID] = target.id, [P.NAME] = P.CLICK, [P.DATA] = ""}
  self:_done()
end

-- A field to type into or submit.
function App:_field(x, what)
  local rec = self:_resolve(x, what)
  if not FIELDS[rec.type] then
    error(("%s: %s is not a text field"):format(what, describe(self._model, rec)), 3)
  end
  if self:_disabled(rec.id) then error(("%s: %s is disabled"):format(what, describe(self._model, rec)), 3) end
  if rec.props.read_only == true then
    error(("%s: %s is read-only"):format(what, describe(self._model, rec)), 3)
  end
  return rec
end

--- Types text into a field, replacing what it held, key by key as a user does: the field
-- shows it, and its on_change (if any) hears each keystroke; without one the value goes to
-- the app with the next event.
function App:type(x, text)
  self:_check(2)
  if type(text) ~= "string" then error("type: expected the text to type as a string", 2) end
  local rec = self:_field(x, "type")
  if text == "" then
    rec.props.value = ""
    self:_emit(rec.id, P.CHANGE, "", true)
  end
  for i = 1, #text do
    -- Whole UTF-8 characters only.
    local b = text:byte(i + 1)
    if not b or b < 0x80 or b >= 0xC0 then
      rec.props.value = text:sub(1, i)
      self:_emit(rec.id, P.CHANGE, rec.props.value, true)
      if rec.props[P.HANDLER_PREFIX .. P.CHANGE] == true then self:_settle() end
    end
  end
  self:_done()
end

--- Presses Enter in a field: its on_submit hears the text it shows.
function App:submit(x)
  self:_check(2)
  local rec = self:_field(x, "submit")
  if not self:_emit(rec.id, P.SUBMIT, rec.props.value or "", false) then
    error(("submit: %s has no on_submit handler"):format(describe(self._model, rec)), 2)
  end
  self:_done()
end

--- Chooses an option of a dropdown by its key or its text.
function App:select(x, value)
  self:_check(2)
  local model = self._model
  local rec = self:_resolve(x, "select")
  if rec.type ~= "dropdown" then error(("select: %s is not a dropdown"):format(describe(model, rec)), 2) end
  if self:_disabled(rec.id) then error(("select: %s is disabled"):format(describe(model, rec)), 2) end
  local chosen, names = nil, {}
  for _, id in ipairs(rec.slots.options or {}) do
    local o = model.nodes[id]
    local k, t = option_key(o), o.props.text
    names[#names + 1] = ("%q"):format(k)
    if k == tostring(value) or (t ~= nil and tostring(t) == tostring(value)) then chosen = o end
  end
  if not chosen then
    error(("select: %s has no option %q (its options: %s)"):format(describe(model, rec),
      tostring(value), concat(names, ", ")), 2)
  end
  if chosen.props.disabled == true then error(("select: the option %q is disabled"):format(tostring(value)), 2) end
  local k = option_key(chosen)
  rec.props.value = k
  self:_emit(rec.id, P.CHANGE, k, true)
  self:_emit(rec.id, P.SELECT, k, false)
  self:_done()
end

--- The browser's back button on the top view (page.on_view_pop).
function App:back()
  self:_check(2)
  local page = self._model.nodes[P.PAGE_ID]
  local views = page and page.slots.views or {}
  if #views == 0 then error("back: the page has no views", 2) end
  self:_flush()
  self:_send{[P.T] = P.EVENT, [P.ID] = views[#views], [P.NAME] = P.VIEW_POP, [P.DATA] = ""}
  self:_done()
end

--- Sends any event of a control as the browser would: app:fire(x, "hover", "true").
function App:fire(x, name, data)
  self:_check(2)
  local rec = self:_resolve(x, "fire")
  if self:_disabled(rec.id) then error(("fire: %s is disabled"):format(describe(self._model, rec)), 2) end
  if not self:_emit(rec.id, name, data or "", false) then
    error(("fire: %s has no on_%s handler"):format(describe(self._model, rec), tostring(name)), 2)
  end
  self:_done()
end

--- The browser's window takes a new size: page.on_resize hears it.
function App:resize(width, height)
  self:_check(2)
  self:_emit(P.PAGE_ID, P.RESIZE, ("%d,%d"):format(width, height), false)
  self:_done()
end

--- What the page shows, as a user reads it: one line per control that shows text, in the
-- page's order (a checkbox as "[x] label"), only what is visible: not a hidden control, a
-- closed dialog, a tab not selected, a view under the top one.
function App:text(within)
  self:_settle()
  local lines = {}
  for _, l in ipairs(self:_shown(within)) do lines[#lines + 1] = l.line end
  return concat(lines, "\n")
end

-- Waits until cond() holds: the loop runs; when the app waits for time only, the virtual
-- clock moves to its next deadline; for I/O, the real one goes on. Returns whether it held
-- within `timeout` seconds (of the app's time, and as long of real time).
function App:_wait(cond, timeout)
  local real0, virtual0 = core.real_now(), core.now()
  while true do
    self:_settle()
    if cond() then return true end
    self:_check(4)
    if core.real_now() - real0 > timeout then return false end
    local report = core.loop_report()
    local next_due = self._app.virtual and core.next_deadline()
    if report.requests > 0 or next(report.handles) ~= nil then
      core.turn(10)
    elseif next_due and next_due - virtual0 <= timeout then
      core.clock_to(next_due)
    else
      return false
    end
  end
end

--- Waits until the page shows `text` (a plain substring of app:text()), at most `timeout`
-- seconds (default testing.TIMEOUT); raises with what the page shows if it does not.
function App:expect_text(text, timeout)
  self:_check(2)
  self:_flush()
  local t = timeout or M.TIMEOUT
  if not self:_wait(function() return self:text():find(text, 1, true) ~= nil end, t) then
    error(("expect_text: %q did not appear within %g s; the page shows:\n%s"):format(text, t,
      self:text()), 2)
  end
  return self
end

--- Waits until the page no longer shows `text`.
function App:expect_no_text(text, timeout)
  self:_check(2)
  self:_flush()
  local t = timeout or M.TIMEOUT
  if not self:_wait(function() return self:text():find(text, 1, true) == nil end, t) then
    error(("expect_no_text: %q was still shown after %g s; the page shows:\n%s"):format(text, t,
      self:text()), 2)
  end
  return self
end

--- Lets `seconds` of the app's time pass (virtual: at once): every sleep due meanwhile ends,
-- in order, and what it sets off runs, as if that much time had passed.
function App:advance(seconds)
  self:_check(2)
  if type(seconds) ~= "number" or seconds < 0 then error("advance: expected seconds, a number >= 0", 2) end
  if not self._app.virtual then error("advance: the app was opened with real_time", 2) end
  self:_flush()
  local target = core.now() + seconds
  self:_settle()
  while true do
    local due = core.next_deadline()
    if not due or due > target then break end
    core.clock_to(due)
    self:_settle()
  end
  core.clock_to(target)
  self:_done()
end

--- The app's page object (flet's Page) for this tab's session, to look at its state.
function App:page()
  return self._page
end

--- Another browser tab on the same app: a session of its own (its own page and main), with
-- the app's other sessions (page.pubsub).
function App:new_session(opts)
  return self._app:connect(opts or {})
end

--- Closes the tab (its session ends, as when a tab is closed); the app ends with its last
-- tab. Raises what went wrong since the last call.
function App:close()
  if self._gone then return end
  local app = self._app
  local conn = self._conn
  local task = core.spawn(app.on_close, conn, P.CLOSE_GOING_AWAY)
  task:set_name("flet.testing close")
  self._gone = true
  settle()
  for i, t in ipairs(app.tabs) do if t == self then table.remove(app.tabs, i) break end end
  if #app.tabs == 0 then app:shutdown() end
  self:_check(2)
end

-- ------------------------------------------------------------------ an open app

local Server = {}
Server.__index = Server

function Server:connect(opts)
  local tab = setmetatable({_app = self, _model = model_mod.new(), _pending = {}, _failures = {},
                            messages = {}, storage = {}, launched = {}, clipboard = nil}, App)
  tab._model.seq = 0
  tab._conn = setmetatable({tab = tab}, Conn)
  tab._user_agent = opts.user_agent
  self.tabs[#self.tabs + 1] = tab
  self.by_conn[tab._conn] = tab
  tab:_send{[P.T] = P.REGISTER, [P.WIDTH] = opts.width or M.WIDTH,
            [P.HEIGHT] = opts.height or M.HEIGHT, [P.ROUTE] = opts.route,
            [P.BRIGHTNESS] = opts.brightness}
  tab:_settle()
  tab:_check(3)
  return tab
end

function Server:shutdown()
  self.sessions.close_all()
  settle()
  open_apps[self] = nil
  if self.virtual then
    virtual_users = virtual_users - 1
    if virtual_users == 0 then
      local ok, err = pcall(core.virtual_clock, false)
      if not ok then
        core.cancel_all()
        settle()
        core.virtual_clock(false)
        error("testing: tasks outside the app's sessions were still sleeping at its close: "
          .. tostring(err), 0)
      end
    end
  end
end

--- Opens an app: `app` is the path of its script (which calls ft.app as it does when
-- served) or its main(page) function. Returns its first tab, connected and idle. opts:
-- width, height (the window's), route (the address's path, as a deep link), user_agent (the
-- browser's: page.client_user_agent and page.platform), brightness ("light" or "dark":
-- page.platform_brightness), real_time (true: sleeps take real time, and advance is not
-- available).
function M.open(app, opts)
  opts = opts or {}
  if asyncio.in_task() then
    error("testing.open: call it from the spec's code, not from a task", 2)
  end
  local main
  if type(app) == "function" then
    main = app
  elseif type(app) == "string" then
    main = load_main(app)
  else
    error("testing.open: expected the path of an app's script or its main(page) function", 2)
  end
  local server = setmetatable({tabs = {}, by_conn = setmetatable({}, {__mode = "k"}),
                               virtual = not opts.real_time}, Server)
  -- main runs as the host runs it; the page's errors fail the test at its next call.
  local function test_main(page)
    local tab = server.by_conn[rawget(page, "_conn"):conn()]
    if tab then
      tab._page = page
      local report = page._report
      rawset(page, "_report", function(p, msg)
        tab._failures[#tab._failures + 1] = "app error: " .. tostring(msg)
        return report(p, msg)
      end)
    end
    return main(page)
  end
  server.on_message, server.on_close, server.sessions =
    session.handlers(test_main, opts.url or "http://127.0.0.1:8550/", {})
  if server.virtual then
    if virtual_users == 0 then core.virtual_clock(true) end
    virtual_users = virtual_users + 1
  end
  open_apps[server] = true
  return server:connect(opts)
end

--- Closes every app still open (busted does it after each test, too).
function M.close_all()
  for server in pairs(open_apps) do
    for i = #server.tabs, 1, -1 do pcall(server.tabs[i].close, server.tabs[i]) end
    if open_apps[server] then server:shutdown() end
  end
end

-- Under busted, an app a test left open is closed when the test ends, before the test's
-- other checks.
local has_busted, busted = pcall(require, "busted")
if has_busted and type(busted) == "table" and busted.subscribe then
  busted.subscribe({"test", "end"}, function()
    M.close_all()
    return nil, true
  end, {priority = 1})
end

return M
