-- session: what the host calls for each WebSocket. A register message starts a session (a
-- page running the app's main(page)) or resumes one whose socket dropped; later messages are
-- events and acknowledgements; the socket's end detaches the session, which then waits for
-- its client to come back until it expires. The host runs each call in a task of its own.
local core = require "luaflet.core"
local asyncio = require "asyncio"
local P = require "flet.protocol"
local page_mod = require "flet.page"
local channel_mod = require "flet.channel"
local client_calls = require "flet.client_calls"
local routing = require "flet.routing"
local client_info = require "flet.client_info"
local age_list = require "flet.age_list"
local fields = require "flet.fields"

local M = {}

local type, math_type, pcall, pairs = type, math.type, pcall, pairs

-- Defaults; the command line and ft.app{...} may change those that are options (their
-- defaults are the host's, from options.c).
local option_default = function(k) return core.option_table[k].default end
M.SESSION_TIMEOUT = option_default("session_timeout") -- seconds a detached session waits
M.UNACKED_TIMEOUT = 60        -- the same for a session whose client never acknowledged a thing
M.UNLOAD_TIMEOUT = 30         -- the same for a session whose page unloaded (a reload, or closed)
M.RESUME_BUDGET = 256 * 1024  -- bytes of unacknowledged patches kept per session
M.DETACHED_BUDGET = 64 * 1024 -- the same while its socket is gone: past it, a resume gets the whole page
M.MAX_SESSIONS = option_default("max_sessions") -- sessions at once, attached or not
M.MAX_SESSIONS_PER_IP = option_default("max_sessions_per_ip") -- the same for one address (0: no cap)
M.MAX_DETACHED_MEMORY = option_default("max_detached_memory") -- bytes all detached sessions may hold

-- What a detached session holds beyond its snapshot and kept patches: its page and tasks,
-- and about this much Lua memory per control (measured: docs/architecture.md).
local SESSION_BYTES, CONTROL_BYTES = 8 * 1024, 500

-- Lines a client can cause over and over are logged at most once per interval.
local last_warned = {}
local function warn_limited(what, message)
  local now = core.now()
  if last_warned[what] and now - last_warned[what] < 10 then return end
  last_warned[what] = now
  core.log("warn", message)
end

-- message may quote the client (an unknown type): the log gets it escaped.
local function reply_error(conn, message)
  core.log("warn", "bad message from a client: " .. core.log_escape(message))
  conn:send(P.error_message(message))
end

-- Runs page[hook](event) if the app set it; an error goes to the log and page.on_error.
local function fire(page, hook)
  local f = page[hook]
  if type(f) ~= "function" then return end
  local ok, err = pcall(f, {page = page, control = page, name = hook:sub(4), data = ""})
  if not ok then page:_report(tostring(err)) end
end

--- The functions core.serve() wants, for an app whose entry point is main(page), served at
-- url (or at what url() returns, once the server is up). opts: session_timeout (seconds; 0
-- ends a session with its socket), resume_budget (bytes), max_sessions, max_sessions_per_ip,
-- max_detached_memory (bytes), upload_dir (set when the app takes uploads),
-- route_url_strategy ("path" or "hash": where the browser's address holds the route).
function M.handlers(main, url, opts)
  opts = opts or {}
  local timeout = opts.session_timeout or M.SESSION_TIMEOUT
  local budget = opts.resume_budget or M.RESUME_BUDGET
  local max_sessions = opts.max_sessions or M.MAX_SESSIONS
  local max_per_address = opts.max_sessions_per_ip or M.MAX_SESSIONS_PER_IP
  local max_detached_memory = opts.max_detached_memory or M.MAX_DETACHED_MEMORY
  local strategy = opts.route_url_strategy or core.option_table.route_url_strategy.default
  -- Behind a proxy with several hosts, a session's token names its host (ROUTE.random), and
  -- a tab that reconnects asks the proxy for that host (the client's ?route=).
  -- (It is a command-line option only, which the host checked as it read it.)
  local route_id = core.options.route_id or ""
  local token_prefix = route_id ~= "" and route_id .. "." or ""
  local sessions = {} -- token -> session
  local by_conn = {}  -- conn -> session
  local nsessions = 0
  local per_address = {} -- client address -> its sessions, attached or not
  local detached_memory = 0 -- bytes held by detached sessions, as estimated at detach
  -- Detached sessions, those detached longest first: all of them, and by client address.
  local detached, detached_by_address = age_list.new(), {}
  local ndetached, nresumed = 0, 0

  -- The host's /metrics reports these (--metrics).
  local function figures()
    core.session_figures(nsessions - ndetached, ndetached, nresumed)
  end

  -- A session: {token, page, channel, address, user_agent (shared: flet.client_info), acked =
  -- whether its client ever acknowledged a message, detached_at, memory = its estimate while
  -- detached, expiry = the task that ends it while detached}.

  -- A session's socket came back, or it ended: it no longer counts as detached.
  local function reattached(s)
    if s.detached_at then
      ndetached = ndetached - 1
      detached:remove(s)
      local mine = detached_by_address[s.address]
      if mine then
        mine:remove(s)
        if mine:count() == 0 then detached_by_address[s.address] = nil end
      end
    end
    s.detached_at = nil
    detached_memory = detached_memory - (s.memory or 0)
    s.memory = nil
  end

  local function finish(s)
    if sessions[s.token] ~= s then return end
    sessions[s.token] = nil
    nsessions = nsessions - 1
    reattached(s)
    local addr = s.address
    if addr then
      local n = per_address[addr] - 1
      per_address[addr] = n > 0 and n or nil
    end
    client_info.release(s.user_agent)
    if s.expiry then s.expiry:cancel() end
    local conn = s.channel:conn()
    if conn then by_conn[conn] = nil end
    s.channel:close()
    s.page:_close()
    figures()
    core.log("debug", "session ended")
  end

  -- The session detached longest (from addr only, when given), or nil.
  local function oldest_detached(addr)
    if not addr then return detached:oldest() end
    local mine = detached_by_address[addr]
    return mine and mine:oldest()
  end

  -- Makes room for one more session from addr, within the caps on all sessions and on one
  -- address's: the one detached longest goes. Returns true, or false and why not when every
  -- session that counts has its socket.
  local function make_room(addr)
    if addr and max_per_address > 0 and (per_address[addr] or 0) >= max_per_address then
      local oldest = oldest_detached(addr)
      if not oldest then
        return false, ("%s has %d sessions, all connected (--max-sessions-per-ip)")
          :format(addr, per_address[addr])
      end
      warn_limited("per address", "too many sessions from one address: ending its session "
        .. "detached longest")
      finish(oldest)
    end
    if nsessions < max_sessions then return true end
    local oldest = oldest_detached()
    if not oldest then
      return false, ("%d sessions already, all connected (--max-sessions)"):format(nsessions)
    end
    warn_limited("all", "too many sessions: ending the one detached longest")
    finish(oldest)
    return true
  end

  -- Detached sessions may hold at most max_detached_memory between them: past it, those
  -- detached longest end first.
  local function bound_detached_memory()
    while detached_memory > max_detached_memory do
      local oldest = oldest_detached()
      if not oldest then return end
      warn_limited("memory", ("detached sessions hold over %d bytes: ending the one "
        .. "detached longest (--max-detached-memory)"):format(max_detached_memory))
      finish(oldest)
    end
  end

  local function start(conn, w, h, route, brightness)
    conn:registered()
    local addr = conn:address()
    local room, why = make_room(addr)
    if not room then
      warn_limited("refused", "refused a session: " .. why)
      conn:send(P.error_message("the server is full"))
      conn:close(P.CLOSE_FULL)
      return
    end
    local token = token_prefix .. core.random_token()
    local channel = channel_mod.new(budget, math.min(budget, M.DETACHED_BUDGET))
    channel:attach(conn)
    local page = page_mod.new(channel, w, h)
    page.url = type(url) == "function" and url() or url
    page.client_ip = addr
    -- Whether the app takes uploads (page:get_upload_url).
    rawset(page, "_uploads", opts.upload_dir ~= nil)
    local ua = client_info.share(conn:user_agent())
    page.client_user_agent = ua
    page.platform = client_info.platform_of(ua)
    page.platform_brightness = brightness or "light"
    -- The route the browser's address shows: the page's first update carries it back
    -- unchanged, with the strategy when it is not the default, for the client to read and
    -- write its address by.
    if route then fields.set_raw(page, "route", route) end
    if strategy ~= "path" then fields.set_raw(page, "route_url_strategy", strategy) end
    local s = {token = token, page = page, channel = channel, address = addr, user_agent = ua}
    sessions[token] = s
    nsessions = nsessions + 1
    figures()
    if addr then per_address[addr] = (per_address[addr] or 0) + 1 end
    by_conn[conn] = s
    page:_send_init(token)
    core.log("debug", "session started")
    core.label("main")
    asyncio._run_owned(page, main, page)
  end

  -- The client had applied every message up to seq: it gets what it missed, or the whole
  -- page when that is no longer kept.
  local function resume(conn, s, seq, w, h, reload, route, brightness)
    conn:registered()
    if s.expiry then
      s.expiry:cancel()
      s.expiry = nil
    end
    reattached(s)
    nresumed = nresumed + 1
    figures()
    -- A socket the host still believes open (its drop not yet noticed) gives way: the tab
    -- that holds the token and the count is the one that is really there.
    local old = s.channel:conn()
    if old then
      by_conn[old] = nil
      old:close(P.CLOSE_REPLACED)
    end
    by_conn[conn] = s
    local channel, page = s.channel, s.page
    channel:attach(conn)
    page:_set_size(w, h)
    -- A reload at another address of the app is a route change, as back and forward are.
    local route_changed = reload and route and route ~= page.route
    if route_changed then page:_shown_route(route) end
    if reload then
      -- A page loaded anew shows nothing yet: it gets the whole of it.
      page:_send_init(s.token)
      page:_resync()
    elseif not page:_resync() then
      local catch_up = channel:catch_up(seq)
      if catch_up then
        conn:send(catch_up)
      else
        page:_send_init(s.token)
      end
    end
    core.log("debug", "session resumed")
    -- The browser's brightness changed while its socket was away: the app hears it as it
    -- would have then.
    if brightness and brightness ~= page.platform_brightness then
      asyncio._run_owned(page, page._dispatch, page, P.PAGE_ID, P.PLATFORM_BRIGHTNESS_CHANGE,
        brightness)
    end
    core.label("on_connect", page)
    asyncio._run_owned(page, fire, page, "on_connect")
    if route_changed then
      asyncio._run_owned(page, page._dispatch, page, P.PAGE_ID, P.ROUTE_CHANGE, route)
    end
  end

  local function register(conn, msg)
    if by_conn[conn] then return reply_error(conn, "register: the session is already registered") end
    local w, h = msg[P.WIDTH], msg[P.HEIGHT]
    if type(w) ~= "number" or type(h) ~= "number" or not (w >= 0 and w < math.huge)
        or not (h >= 0 and h < math.huge) then
      return reply_error(conn, "register: 'width' and 'height' must be sizes in pixels")
    end
    -- The browser's address from its path on: the route is in it, where the strategy says.
    local address = msg[P.ROUTE]
    if address ~= nil and (type(address) ~= "string" or address:sub(1, 1) ~= "/" or #address > 2048) then
      return reply_error(conn, "register: 'route' must be an address starting with /")
    end
    local route = address and routing.route_of(address, strategy)
    local brightness = msg[P.BRIGHTNESS]
    if brightness ~= nil and brightness ~= "light" and brightness ~= "dark" then
      return reply_error(conn, "register: 'brightness' must be \"light\" or \"dark\"")
    end
    local token, seq = msg[P.SESSION], msg[P.SEQ]
    local s = type(token) == "string" and sessions[token] or nil
    -- Only a tab that has shown the session's pages holds its token and a count: a new or
    -- duplicated tab has neither, and starts a session of its own.
    if s and math_type(seq) == "integer" then
      return resume(conn, s, seq, w, h, false, nil, brightness)
    end
    -- A tab reloaded takes its session up again: its page handed the token over as it
    -- unloaded (its socket closed with UNLOAD_CLOSE). A session whose socket is still live
    -- is another tab's (a token copied while its page lives): this one starts its own.
    if s and msg[P.RELOAD] == true then
      if not s.channel:conn() then return resume(conn, s, nil, w, h, true, route, brightness) end
      core.log("debug", "a reload named a session whose socket is live: a new session")
    end
    return start(conn, w, h, route, brightness)
  end

  local function event(conn, msg)
    local s = by_conn[conn]
    if not s then return reply_error(conn, "event: register first") end
    local id, name, data = msg[P.ID], msg[P.NAME], msg[P.DATA]
    if math_type(id) ~= "integer" then return reply_error(conn, "event: 'id' must be an integer") end
    if type(name) ~= "string" then return reply_error(conn, "event: 'name' must be a string") end
    if data ~= nil and type(data) ~= "string" then
      return reply_error(conn, "event: 'data' must be a string")
    end
    local page = s.page
    asyncio._run_owned(page, page._dispatch, page, id, name, data or "")
  end

  -- An acknowledgement: conn's, of seq (an integer). The host calls this one directly, without
  -- a task, for an ack in the form the client writes (host/ws.c), so nothing here may await.
  -- False when the socket has no session: the host then hands the message to on_message,
  -- which says why it is refused.
  local function on_ack(conn, seq)
    local s = by_conn[conn]
    if not s then return false end
    s.acked = true
    s.channel:ack(seq)
    return true
  end

  local function ack(conn, msg)
    if not by_conn[conn] then return reply_error(conn, "ack: register first") end
    local seq = msg[P.SEQ]
    if math_type(seq) ~= "integer" then return reply_error(conn, "ack: 'seq' must be an integer") end
    on_ack(conn, seq)
  end

  -- The browser's answer to a page's call (flet.client_calls): data, or a message saying why
  -- it could not.
  local function result(conn, msg)
    local s = by_conn[conn]
    if not s then return reply_error(conn, "result: register first") end
    local id, err = msg[P.CALL], msg[P.MESSAGE]
    if math_type(id) ~= "integer" then return reply_error(conn, "result: 'call' must be an integer") end
    if err ~= nil and type(err) ~= "string" then
      return reply_error(conn, "result: 'message' must be a string")
    end
    if not s.page:_result(id, msg[P.DATA], err) then
      core.log("debug", "a result for a call nobody waits for: dropped")
    end
  end

  local function on_message(conn, msg)
    if type(msg) ~= "table" then return reply_error(conn, "a message must be a JSON object") end
    local t = msg[P.T]
    if t == P.EVENT then return event(conn, msg) end
    if t == P.ACK then return ack(conn, msg) end
    if t == P.RESULT then return result(conn, msg) end
    if t == P.REGISTER then return register(conn, msg) end
    return reply_error(conn, "unknown message type " .. tostring(t))
  end

  -- code: the close code the client sent, 0 when the socket dropped without one. A tab that
  -- closes says 1000 or 1001, and its session ends now; a page that unloads says
  -- UNLOAD_CLOSE, and its session waits UNLOAD_TIMEOUT for a reload; otherwise the session
  -- waits.
  local function on_close(conn, code)
    local s = by_conn[conn]
    if not s then return end
    by_conn[conn] = nil
    s.channel:attach(nil)
    client_calls.detached(s.page)
    if code == P.CLOSE_NORMAL or code == P.CLOSE_GOING_AWAY or timeout <= 0 or core.stopping() then
      core.label("end of session")
      return finish(s)
    end
    core.log("debug", "session detached")
    s.detached_at = core.now()
    ndetached = ndetached + 1
    detached:push(s)
    if s.address then
      local mine = detached_by_address[s.address]
      if not mine then
        mine = age_list.new()
        detached_by_address[s.address] = mine
      end
      mine:push(s)
    end
    figures()
    local snap_bytes, controls = s.page:_memory()
    s.memory = SESSION_BYTES + snap_bytes + controls * CONTROL_BYTES + M.DETACHED_BUDGET
    detached_memory = detached_memory + s.memory
    -- A client that never acknowledged anything is not a browser showing the page (or its
    -- page never loaded): its session does not wait long.
    local wait = s.acked and timeout or math.min(timeout, M.UNACKED_TIMEOUT)
    if code == P.UNLOAD_CLOSE then wait = math.min(wait, M.UNLOAD_TIMEOUT) end
    s.expiry = asyncio.create_task("session expiry", function()
      asyncio.sleep(wait)
      s.expiry = nil
      finish(s)
    end)
    bound_detached_memory()
    if sessions[s.token] == s then
      core.label("on_disconnect", s.page)
      asyncio._run_owned(s.page, fire, s.page, "on_disconnect")
    end
  end

  --- Rebuilds every session's page with new_main, which also serves the sessions that start
  -- from now on (`--reload`): the page is reset to what a new session's is, but for its
  -- route, size, page.session and client_storage, and new_main runs on it; what changed goes
  -- to the browser as one update. Returns the number of pages.
  local function rebuild(new_main)
    main = new_main
    local n = 0
    for _, s in pairs(sessions) do
      n = n + 1
      local page = s.page
      page:_reset()
      -- An error the page showed was the old code's.
      client_calls.call(page, "dismiss_app_error", {}, false)
      asyncio._create_owned(page, "main", function()
        main(page)
        page:update()
      end)
    end
    return n
  end

  --- Ends every session (the host is stopping).
  local function close_all()
    for _, s in pairs(sessions) do finish(s) end
  end

  --- The number of sessions, attached or not.
  local function count()
    return nsessions
  end

  --- Bytes detached sessions hold, as estimated when they detached.
  local function detached_bytes()
    return detached_memory
  end

  return on_message, on_close, {close_all = close_all, count = count, sessions = sessions,
                                detached_bytes = detached_bytes, rebuild = rebuild,
                                on_ack = on_ack}
end

return M
