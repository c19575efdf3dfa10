-- Page: one session's page. It holds the session's control tree, sends its changes through
-- the host's diff, runs the controls' lifecycle hooks, and owns the session's tasks.
local core = require "luaflet.core"
local asyncio = require "asyncio"
local control = require "flet.control"
local fields = require "flet.fields"
local kinds = require "flet.kinds"
local pubsub = require "flet.pubsub"
local client_calls = require "flet.client_calls"
local routing = require "flet.routing"
local store = require "flet.store"
local schema = require "flet.schema"
local P = require "flet.protocol"

local M = {}

local type, rawget, rawset, pairs, ipairs, error, pcall = type, rawget, rawset, pairs, ipairs, error, pcall
local is_control = control.is_control
local EVENTS, ECHO, KINDS, HANDLER_PREFIX = schema.class_fields.events,
  schema.class_fields.echo, schema.class_fields.kinds, schema.handler_prefix
local NUMBER = schema.prop_index
local K_SNAP, K_PARENT =
  schema.fields.snapshot, schema.fields.parent

local Page = {}
M.Page = Page

-- Where a page sends once its session has ended: nowhere. A plain update is dropped; an
-- awaited one raises asyncio.CancelledError, so a task that loops on update_async ends
-- there instead of spinning.
local closed_conn = {
  next_seq = function() return 0 end,
  send = function() return false, "closed" end,
  send_async = function() error(asyncio.CancelledError, 0) end,
}

-- Always a browser page, as Flet's page.web says of one.
Page.web = true

-- Its wire type, slots, events and the props it sends come from its schema entry; its
-- scroll_to() and on_scroll's fields are a list's (flet.methods).
control.apply(Page, schema.by_name.Page, control.Control)
for k, f in pairs(require("flet.methods").Page) do Page[k] = f end
-- There is one page per session: its tasks are named after its type ("on_resize of page").
Page[schema.class_fields.name] = nil

-- The window's size is the client's to tell; the page exposes it read-only under the names
-- Flet uses.
local size_fields = {width = "_width", height = "_height",
                     window_width = "_width", window_height = "_height"}

-- Services made on first use, kept on the page: page.pubsub, page.session.
local services = {
  pubsub = function(page) return pubsub.of(page) end,
  session = function() return store.new() end,
  client_storage = function(page) return client_calls.storage(page) end,
  -- Flet's desktop window settings (page.window.width = 400): a browser page has no use for
  -- them; kept, so that an app ports unchanged, and ignored.
  window = function() return {} end,
}

-- Most pages never use their overlay or views: those lists are made when first read, which
-- spares an idle session two lists. The diff reads a list that is not there as an empty one.
local lazy_lists = {overlay = true, views = true}

Page.__index, Page.__newindex = fields.accessors(Page, function(self, key)
  local field = size_fields[key]
  if field then return rawget(self, field) end
  -- The route is "/" until the browser or page:go says otherwise (and only then sent).
  if key == "route" then return fields.raw(self, "route") or "/" end
  if key == "query" then return routing.query(fields.raw(self, "route") or "/") end
  if lazy_lists[key] then
    local l = fields.raw(self, key)
    if l == nil then
      l = fields.list(self, {})
      fields.set_raw(self, key, l)
    end
    return l
  end
  local make = services[key]
  if make then
    local service = make(self)
    rawset(self, key, service)
    return service
  end
end)

--- A page sends through its session's channel (flet.channel), which numbers the messages
-- and keeps them for a client that reconnects: the page uses its next_seq, send and
-- send_async.
function M.new(conn, width, height)
  -- Marks, parent and id first, in the array part, as fields.new lays a control out; the
  -- named fields that follow, with those the session adds, fit a hash part of 16.
  local self = setmetatable({
    fields.DIRTY, false, false,
    _conn = conn,
    [K_SNAP] = core.snapshot(),
    _index = {},
    _width = width,
    _height = height,
  }, Page)
  self._index[0] = self
  fields.slot_items(self, "controls")
  return self
end

local function check_task(what)
  if not asyncio.in_task() then
    error(("page:%s must be called from a task (main, an event handler or "
      .. "asyncio.create_task); use page:%s outside one"):format(what, what:gsub("_async$", "")), 3)
  end
end

local function check_controls(what, ...)
  for i = 1, select("#", ...) do
    if not is_control((select(i, ...))) then
      error(("page:%s: argument %d is not a control"):format(what, i), 3)
    end
  end
end

-- Runs did_mount / will_unmount for the controls the diff added and removed. A control that
-- was only sent again (moved) is in both lists and gets neither.
local function lifecycle(mounted, unmounted, async)
  local moved
  if mounted and unmounted then
    moved = {}
    for _, c in ipairs(mounted) do moved[c] = true end
    for _, c in ipairs(unmounted) do moved[c] = (moved[c] and 2) or nil end
  end
  -- Every hook runs, even when one fails; the first failure is returned.
  local first_err
  local function hook(c, name)
    local f = c[name]
    if not f then return end
    local ok, err
    if name:sub(-6) == "_async" and not async then
      core.label(name, c, asyncio.create_task(f, c))
      return
    end
    ok, err = pcall(f, c)
    if not ok and not first_err then first_err = err end
  end
  if unmounted then
    for _, c in ipairs(unmounted) do
      if not (moved and moved[c] == 2) then
        hook(c, "will_unmount")
        hook(c, "will_unmount_async")

      end
    end
  end
  if mounted then
    for _, c in ipairs(mounted) do
      if not (moved and moved[c] == 2) then
        hook(c, "did_mount")
        hook(c, "did_mount_async")
      end
    end
  end
  return first_err
end

function Page:_sync(async, root)
  local conn = self._conn
  if async and conn == closed_conn then error(asyncio.CancelledError, 0) end
  -- The channel numbers the messages: the patch is written with the next number, and sent
  -- with it and its kind, so that the channel keeps it for a reconnect.
  local seq = conn:next_seq()
  local patch, mounted, unmounted, err, whole = self[K_SNAP]:diff(self, self._index, root, seq)
  local ok, send_err = true, nil
  if patch then
    if async then
      ok, send_err = pcall(conn.send_async, conn, patch, seq, whole)
    else
      conn:send(patch, seq, whole)
    end
  elseif async then
    -- Nothing to send is still an await: the loop gets a turn, so a task that paces itself
    -- with update_async alone never holds up the host.
    ok, send_err = pcall(asyncio.sleep, 0)
  end
  -- The snapshot already holds the change: the hooks run even if the wait was cancelled
  -- (then without awaiting), so no control is left half-mounted.
  if mounted or unmounted then
    local hook_err = lifecycle(mounted, unmounted, async and ok)
    err = err or hook_err
  end
  if not ok then error(send_err, 0) end
  if err then error(err, 0) end
end

--- Sends the changes made in control c's subtree only (control:update()).
function Page:_update_control(c, async)
  if async then check_task("update_async") end
  self:_sync(async, c)
end

--- Sends every change made to the page's controls since the last update.
function Page:update()
  self:_sync(false)
end

--- The same, and waits until the patch has been handed to the socket.
function Page:update_async()
  check_task("update_async")
  self:_sync(true)
end

local function add(self, ...)
  check_controls("add", ...)
  -- Straight into the list: reading page.controls would make its ControlList, which the
  -- pages that only ever add need not carry.
  local list = fields.slot_items(self, "controls")
  for i = 1, select("#", ...) do list[#list + 1] = (select(i, ...)) end
  fields.mark(self)
end

local function insert(self, at, ...)
  if type(at) ~= "number" then error("page:insert: expected a position (1 is first)", 3) end
  check_controls("insert", ...)
  local list = self.controls
  at = math.max(1, math.min(at, #list + 1))
  for i = 1, select("#", ...) do table.insert(list, at + i - 1, (select(i, ...))) end
end

local function remove(self, ...)
  local list = self.controls
  for i = 1, select("#", ...) do
    local c = select(i, ...)
    local found = false
    for j = #list, 1, -1 do
      if list[j] == c then
        table.remove(list, j)
        found = true
        break
      end
    end
    if not found then error(("page:remove: argument %d is not on the page"):format(i), 3) end
  end
end

local function remove_at(self, at)
  local list = self.controls
  if type(at) ~= "number" or not list[at] then
    error("page:remove_at: no control at position " .. tostring(at), 3)
  end
  table.remove(list, at)
end

local function clean(self)
  self.controls = {}
end

-- Where a control shown with page:open may already be: Flet's older page props.
local SHOWN_IN = {"dialog", "snack_bar", "banner", "bottom_sheet", "drawer", "end_drawer"}

local function check_openable(what, c)
  if not is_control(c) then error(("page:%s: expected a control"):format(what), 3) end
  if not c[KINDS].open then
    error(("page:%s: %s has no open property"):format(what, c[schema.class_fields.name]), 3)
  end
end

-- page:open(c), as Flet 0.25's: a NavigationDrawer becomes the page's drawer (end_drawer
-- when its position is "end"); any other control joins page.overlay unless it is there or in
-- one of the older props already; then c.open = true.
local function open(self, c)
  check_openable("open", c)
  if c[schema.class_fields.type] == "navigationdrawer" then
    local slot = c.position == "end" and "end_drawer" or "drawer"
    if self[slot] ~= c then self[slot] = c end
  else
    local shown = false
    for _, name in ipairs(SHOWN_IN) do shown = shown or self[name] == c end
    local list = self.overlay
    for i = 1, #list do shown = shown or list[i] == c end
    if not shown then list[#list + 1] = c end
  end
  c.open = true
end

local function close(self, c)
  check_openable("close", c)
  c.open = false
  local shown = rawget(self, "_shown")
  if shown then
    for i = #shown, 1, -1 do
      if shown[i] == c then table.remove(shown, i) end
    end
  end
end

-- The dialogs shown with show_dialog, last on top, for pop_dialog.
local function show_dialog(self, c)
  open(self, c)
  local shown = rawget(self, "_shown") or {}
  shown[#shown + 1] = c
  rawset(self, "_shown", shown)
end

-- Flet 1.0's pop_dialog: closes the dialog shown last, if any is still open.
local function pop_dialog(self)
  local shown = rawget(self, "_shown")
  local c = shown and shown[#shown]
  if c then close(self, c) end
end

-- Flet 0.2x's older names: show_snack_bar, close_dialog, show_banner, ... (each an open or a
-- close of the control in the page's older prop).
local function older(prop, opening)
  return function(self, c)
    if opening then
      self[prop] = c
      open(self, c)
    elseif self[prop] then
      close(self, self[prop])
    end
  end
end

-- Each change method comes in a plain form that sends and returns, and an _async form that
-- waits until the patch is on its way.
local changes = {add = add, insert = insert, remove = remove, remove_at = remove_at, clean = clean,
                 open = open, close = close, show_dialog = show_dialog, pop_dialog = pop_dialog,
                 show_snack_bar = older("snack_bar", true), show_banner = older("banner", true),
                 close_banner = older("banner", false), close_dialog = older("dialog", false),
                 show_bottom_sheet = older("bottom_sheet", true),
                 close_bottom_sheet = older("bottom_sheet", false)}
for name, change in pairs(changes) do
  Page[name] = function(self, ...)
    change(self, ...)
    self:_sync(false)
  end
  Page[name .. "_async"] = function(self, ...)
    check_task(name .. "_async")
    change(self, ...)
    self:_sync(true)
  end
end

-- The event page:go and the browser's back and forward give page.on_route_change.
local function route_event(self, route)
  return {page = self, control = self, target = P.PAGE_ID, name = P.ROUTE_CHANGE, data = route,
          route = route}
end

-- Sets the route and runs on_route_change, as Flet's go: opts may say
-- skip_route_change_event = true; its other fields are added to the route as its query.
local function go(self, route, opts)
  if type(route) ~= "string" or route:sub(1, 1) ~= "/" then
    kinds.app_error("page:go: expected a route starting with /, such as \"/settings\"")
  end
  local skip = false
  if opts ~= nil then
    if type(opts) ~= "table" then kinds.app_error("page:go: options must be a table") end
    local params = {}
    for k, v in pairs(opts) do
      if k == "skip_route_change_event" then
        skip = v
      else
        params[#params + 1] = tostring(k) .. "=" .. tostring(v):gsub("[^%w%-_.~]", function(c)
          return ("%%%02X"):format(c:byte())
        end)
      end
    end
    table.sort(params)
    if params[1] then route = route .. (route:find("?", 1, true) and "&" or "?") .. table.concat(params, "&") end
  end
  self.route = route
  if not skip then
    local handler = self.on_route_change
    if type(handler) == "function" then
      core.label("on_route_change", self)
      handler(route_event(self, route))
    end
  end
end

--- Goes to route: page.route becomes it, page.on_route_change runs (in this task), and the
-- page is updated, which adds the route to the browser's history.
function Page:go(route, opts)
  go(self, route, opts)
  self:_sync(false)
end

--- The same, waiting until the update has been handed to the socket.
function Page:go_async(route, opts)
  check_task("go_async")
  go(self, route, opts)
  self:_sync(true)
end

--- Opens url in the browser: a new tab unless opts.web_window_name names another window
-- ("_self" for this one); opts.web_popup_window with window_width and window_height opens a
-- popup, as Flet's launch_url.
function Page:launch_url(url, opts)
  if type(url) ~= "string" then kinds.app_error("page:launch_url: expected a URL") end
  if opts ~= nil and type(opts) ~= "table" then kinds.app_error("page:launch_url: options must be a table") end
  opts = opts or {}
  client_calls.call(self, "launch_url", {url = url, web_window_name = opts.web_window_name,
    web_popup_window = opts.web_popup_window, window_width = opts.window_width,
    window_height = opts.window_height}, false)
end

--- Puts text on the browser's clipboard.
function Page:set_clipboard(text)
  if type(text) ~= "string" then kinds.app_error("page:set_clipboard: expected a string") end
  client_calls.call(self, "set_clipboard", {text = text}, false)
end

--- The text on the browser's clipboard (from a task: it waits for the browser's answer).
function Page:get_clipboard_async()
  return client_calls.call(self, "get_clipboard", {}, true)
end
Page.get_clipboard = Page.get_clipboard_async

--- Where the browser uploads a file of this name (FilePicker:upload), as Flet's
-- get_upload_url: a URL good for `expires` seconds, signed so that it takes that one name
-- only. The file lands in the app's upload folder (ft.app{upload_dir = ...} or --upload-dir).
function Page:get_upload_url(file_name, expires)
  if not rawget(self, "_uploads") then
    kinds.app_error("page:get_upload_url: uploads are off; serve the app with "
      .. "ft.app{target = main, upload_dir = \"uploads\"} or --upload-dir")
  end
  if type(file_name) ~= "string" then kinds.app_error("page:get_upload_url: expected a file name") end
  if type(expires) ~= "number" or not (expires > 0 and expires <= 366 * 24 * 3600) then
    kinds.app_error("page:get_upload_url: expires must be seconds, more than 0 and at most a year")
  end
  local url, err = core.upload_url(file_name, math.ceil(expires))
  if not url then kinds.app_error(("page:get_upload_url: %q is %s"):format(file_name, err)) end
  -- Behind a proxy with several hosts, the URL names this one, which alone can check it
  -- (docs/deploy.md).
  local route = core.options.route_id
  if route and route ~= "" then url = url .. "&route=" .. route end
  return url
end

--- The browser's answer to a call (a result message).
function Page:_result(id, data, err)
  return client_calls.result(self, id, data, err)
end

-- Flet 1.0's names for go.
Page.push_route, Page.navigate = Page.go, Page.go

--- Flet's run_thread runs a function beside the loop; here every task already runs beside the
-- others (a function that awaits, with asyncio.sleep, never blocks the page), so it is
-- run_task. For work that computes without awaiting, asyncio.to_thread uses a real thread.
function Page:run_thread(...)
  return asyncio._create_owned(self, ...)
end

--- Runs fn(...) as a task of this page's session; a name may come first, as for
-- asyncio.create_task.
function Page:run_task(...)
  return asyncio._create_owned(self, ...)
end

--- Sends the whole page as an init message: what a client that has nothing, or has lost
-- track, needs. token: the session's, for a client that does not hold it yet.
function Page:_send_init(token)
  local conn = self._conn
  local seq = conn:next_seq()
  conn:send(self[K_SNAP]:init_message(seq, token), seq, true)
end

--- After a diff that failed half-way the snapshot holds only the empty page, and the
-- browser's tree is unknown: sends the whole page afresh (the next diff rebuilds it, with new
-- ids) and returns true. Returns false, having sent nothing, when the snapshot is sound.
function Page:_resync()
  if not self[K_SNAP]:resyncing() then return false end
  self:update()
  return true
end

--- The browser shows route already (a reload at another of the app's addresses): the page's
-- route and its snapshot follow it, as an echoed event would have them, so that the next init
-- carries it. The route_change event that follows runs page.on_route_change.
function Page:_shown_route(route)
  fields.set_raw(self, "route", route)
  self[K_SNAP]:set_prop(P.PAGE_ID, "route", route)
end

--- The window's size, as the client reports it.
function Page:_set_size(width, height)
  self._width, self._height = width, height
end

--- What the page's snapshot holds: its bytes and its number of controls.
function Page:_memory()
  return self[K_SNAP]:stats()
end

-- An uncaught error in one of this session's tasks: it is logged, and handed to on_error.
-- Only with --debug does the browser see it (in its console): otherwise app internals stay
-- on the server.
-- An error that repeats (a task failing every millisecond) is logged whole once, then
-- counted; the browser only gets the ones logged whole.
function Page:_report(msg)
  local logged = core.log("error", "app error: " .. msg, true)
  local on_error = self.on_error
  if type(on_error) == "function" then
    local ok, err = pcall(on_error, {page = self, control = self, name = "error", data = msg})
    if not ok then core.log("error", "page.on_error failed: " .. tostring(err)) end
  end
  -- The page shows it too, so that a mistake is never a blank page: with its traceback under
  -- --debug; in production as "app error" alone (nothing internal leaks), and only when the
  -- app's own on_error did not take it.
  if logged then
    if core.options and (core.options.debug or core.options.reload) then
      local excerpt = kinds.source_excerpt(msg)
      self._conn:send(P.error_message("app error: " .. msg .. (excerpt and "\n\n" .. excerpt or "")))
    elseif type(on_error) ~= "function" then
      self._conn:send(P.error_message("app error"))
    end
  end
end

-- Whether c or a control holding it is disabled or hidden: the browser shows such a control
-- as inert, so an event for it can only come from a client that does not play by the rules.
local function inert(c)
  while c do
    -- (By the names' numbers: nil when no control ever set that prop, and rawget gives nil.)
    if rawget(c, NUMBER.disabled) or rawget(c, NUMBER.visible) == false then return true end
    c = rawget(c, K_PARENT)
  end
  return false
end

-- An event that cannot be delivered: counted (page._ignored_events), logged (its name is the
-- client's, so escaped), and dropped.
local function ignore(self, id, name, why)
  self._ignored_events = (self._ignored_events or 0) + 1
  core.log("debug", ("event %s for control %d ignored: %s"):format(core.log_escape(name), id, why))
  return false, why
end

-- Stands for nil among echoed values.
local NONE = {}

-- The value of an echoed prop of `kind` that e.data `data` carries (see Page:_dispatch), or
-- nil and why it cannot be one.
local function echo_value(kind, data, tristate)
  if data == nil then return nil, "a value was expected" end
  if kind == "boolean" then
    -- A tristate checkbox sends "" for neither: the prop goes back to nil.
    if data == "" and tristate then return NONE end
    return data == "true"
  elseif kind == "number" then
    local value = tonumber(data)
    if not value or value ~= value or value == math.huge or value == -math.huge then
      return nil, "a number was expected"
    end
    return value
  elseif kind == "any" then
    -- Structured values (a segmented button's selection) come as JSON text.
    local value = core.json_decode(data)
    if value == nil then return nil, "JSON was expected" end
    return value
  end
  return data
end

-- Handles one event from the client, in the event's own task. Returns true once its handler
-- ran, or false and why it was dropped.
function Page:_dispatch(id, name, data)
  local target = self._index[id]
  if not target then return ignore(self, id, name, "no control with this id") end
  local events = target[EVENTS]
  if not (events and events[name]) then
    return ignore(self, id, name, "the control does not emit this event")
  end
  if inert(target) then return ignore(self, id, name, "the control is disabled or hidden") end
  local e = {control = target, page = self, name = name, data = data, target = id}
  if id == P.PAGE_ID and name == P.ROUTE_CHANGE then
    if type(data) ~= "string" or data:sub(1, 1) ~= "/" or #data > 2048 then
      return ignore(self, id, name, "route_change: data must be a route starting with /")
    end
    e.route = data
  elseif id == P.PAGE_ID and name == P.PLATFORM_BRIGHTNESS_CHANGE then
    -- The browser's preferred color scheme changed: the page knows it before the handler
    -- runs, with or without one.
    if data ~= "light" and data ~= "dark" then
      return ignore(self, id, name, "platform_brightness_change: data must be light or dark")
    end
    rawset(self, "platform_brightness", data)
    e.brightness = data
    if type(fields.raw(self, HANDLER_PREFIX .. name)) ~= "function" then return true end
  elseif id == P.PAGE_ID and name == P.KEYBOARD_EVENT then
    local ok, k = pcall(core.json_decode, tostring(data))
    if not ok or type(k) ~= "table" or type(k.key) ~= "string" then
      return ignore(self, id, name, "keyboard_event: data must be a JSON object with a key")
    end
    e.key, e.shift, e.ctrl, e.alt, e.meta =
      k.key, k.shift == true, k.ctrl == true, k.alt == true, k.meta == true
  end
  -- A class whose events carry JSON gives them Flet's fields too (flet.methods). Asked of the
  -- class: the instance's accessors would look in its props first, on every event.
  local decode = getmetatable(target)._event_fields
  if decode then decode(e) end
  if id == P.PAGE_ID and name == P.RESIZE then
    local w, h = tostring(data):match("^%s*([%d.]+)%s*,%s*([%d.]+)%s*$")
    w, h = tonumber(w), tonumber(h)
    if not (w and h and w < math.huge and h < math.huge) then
      return ignore(self, id, name, "resize: data must be \"WIDTH,HEIGHT\"")
    end
    self:_set_size(w, h)
    e.width, e.height = w, h
  end
  local echo = target[ECHO]
  local prop = echo and echo[name]
  if prop then
    -- The browser already shows this value (a field's typed text, a checkbox's state): the
    -- prop and the snapshot follow it, so it is not sent back, and setting the old value
    -- again later is a change to send. e.data stays the string Flet gives; the prop takes
    -- the value in its own kind. An echo that is a table names several props, whose values
    -- e.data holds as "A,B" (a range slider's two ends), and props set to fixed values
    -- (a picker's open = false once it closes).
    local names = type(prop) == "table" and prop or {prop}
    local parts = #names > 1 and {} or {data}
    if #names > 1 then for part in tostring(data):gmatch("[^,]+") do parts[#parts + 1] = part end end
    local values = {}
    for i, p in ipairs(names) do
      local value, why = echo_value(target[KINDS][p], parts[i], target[KINDS].tristate and target.tristate)
      if value == nil then return ignore(self, id, name, why) end
      values[p] = value
    end
    for p, v in pairs(names) do
      if type(p) == "string" then values[p] = v end
    end
    for p, value in pairs(values) do
      if value == NONE then value = nil end
      fields.set_raw(target, p, value)
      -- The snapshot keeps plain values only: a table or nil is sent back at the next update
      -- of the control, which shows what the browser already does.
      local t = type(value)
      if t == "string" or t == "number" or t == "boolean" then self[K_SNAP]:set_prop(id, p, value) end
    end
  end
  local hname = HANDLER_PREFIX .. name
  local handler = target[hname]
  -- A view's back button asks the page: page.on_view_pop gets the view.
  if name == P.VIEW_POP then
    handler, hname = rawget(self, "on_view_pop"), "on_view_pop"
    e.view = target
  end
  if type(handler) ~= "function" then return ignore(self, id, name, "no handler for this event") end
  core.label(hname, target)
  handler(e)
  return true
end

--- The control of this page with the id an event names (a drag's src_id), or nil.
function Page:get_control(id)
  return self._index[tonumber(id)]
end

-- Ends the session: every task of the page is cancelled, and will_unmount runs for every
-- control still on it.
function Page:_close()
  -- page.on_close hears the end first, while the page still holds its controls.
  local on_close = rawget(self, "on_close")
  if type(on_close) == "function" then
    local ok, err = pcall(on_close, {page = self, control = self, name = "close", data = ""})
    if not ok and err ~= asyncio.CancelledError then
      core.log("error", "page.on_close failed: " .. tostring(err))
    end
  end
  local me = asyncio.current_task()
  for task in pairs(rawget(self, "_tasks") or {}) do
    if task ~= me then task:cancel() end
  end
  local unmounted = {}
  for id, c in pairs(self._index) do
    if id ~= 0 then unmounted[#unmounted + 1] = c end
  end
  self._index = {[0] = self}
  self._conn = closed_conn
  pubsub.close(self)
  client_calls.close(self)
  for _, c in ipairs(unmounted) do
    if c.will_unmount then pcall(c.will_unmount, c) end
    if c.will_unmount_async then pcall(c.will_unmount_async, c) end
    rawset(c, K_PARENT, nil)
  end
end

-- The Page's own fields that hold the app's handlers (page.on_error, page.on_connect, ...);
-- the handlers of its events are props.
local PAGE_HANDLERS = {}
for k, kind in pairs(schema.by_name.Page.server) do
  if kind == "handler" then PAGE_HANDLERS[#PAGE_HANDLERS + 1] = k end
end

--- Makes the page what a new session's is, for a new main to build (`--reload`): every task
-- of the page is cancelled; its controls, overlay, views and every other prop and handler
-- the app set are cleared, and its subscriptions and pending calls dropped. What the session
-- holds stays: the route and its strategy, the window's size, what the host learned of the
-- browser (client_ip, client_user_agent, platform, platform_brightness), page.session,
-- client_storage, and the snapshot, so that the next update sends the browser only what
-- changed.
function Page:_reset()
  local me = asyncio.current_task()
  for task in pairs(rawget(self, "_tasks") or {}) do
    if task ~= me then task:cancel() end
  end
  local names = {}
  for _, k in ipairs(fields.names(self)) do
    if k ~= "route" and k ~= "route_url_strategy" then names[#names + 1] = k end
  end
  for _, k in ipairs(names) do self[k] = nil end
  self.controls, self.overlay, self.views = {}, {}, {}
  for _, k in ipairs(PAGE_HANDLERS) do rawset(self, k, nil) end
  rawset(self, "_shown", nil)
  pubsub.close(self)
  rawset(self, "pubsub", nil)
  client_calls.close(self)
end

-- A method called with a dot (page.add(x)) is an error that says to use a colon.
kinds.colon_methods(Page, "page")

return M
