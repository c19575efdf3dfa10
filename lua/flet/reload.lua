-- reload: what `luaflet app.lua --reload` adds. The script and the Lua modules it loaded from
-- its own folder are watched; when one changes, the script is run again with ft.app made to
-- hand over its main rather than serve, and every open page is rebuilt by that new main in
-- the session it had. Code that does not load (a syntax error, an error at the script's top
-- level) is shown in every page, and the app runs on with the code it had.
local core = require "luaflet.core"
local asyncio = require "asyncio"
local P = require "flet.protocol"

local M = {}

local pairs, type, loadfile, xpcall = pairs, type, loadfile, xpcall

--- The path without "./" segments: the same file is always named the same way, whether
-- a module's search path or the watcher's folder gave it.
function M.normalize(path)
  local n
  repeat path, n = path:gsub("/%./", "/") until n == 0
  path = path:gsub("//+", "/"):gsub("^%./", "")
  return path
end
local normalize = M.normalize

--- The folder of a path, as the host's dirname takes it for the app's module path.
function M.folder(path)
  return path:match("^(.*)/[^/]*$") or "."
end
local folder = M.folder

--- The app's own modules among those loaded: each name whose file the app's folder holds
-- (dir/NAME.lua, dots being folders) and that package.path finds first, so that a library's
-- module is never the app's. Returns name -> path.
function M.app_modules(dir)
  local template, found = dir .. "/?.lua", {}
  for name in pairs(package.loaded) do
    if type(name) == "string" then
      local mine = package.searchpath(name, template)
      if mine and package.searchpath(name, package.path) == mine then found[name] = mine end
    end
  end
  return found
end

--- Runs the script again and returns the main it passes to ft.app (or ft.run, app_async,
-- run_async), which does not serve this time. The app's modules are dropped from
-- package.loaded first, so that the script loads their new code; if the script fails to load
-- or run, they are put back (the app runs on with them) and nil and the error are returned.
function M.load_main(ft, script, dir)
  local saved = M.app_modules(dir)
  for name in pairs(saved) do saved[name] = package.loaded[name] end
  for name in pairs(saved) do package.loaded[name] = nil end
  local captured, called = nil, false
  local serving = {app = ft.app, app_async = ft.app_async, run = ft.run, run_async = ft.run_async}
  local function capture(target)
    called = true
    captured = type(target) == "table" and target.target or target
  end
  for k in pairs(serving) do ft[k] = capture end
  local chunk, err = loadfile(script)
  local ok = chunk ~= nil
  if ok then ok, err = xpcall(chunk, debug.traceback) end
  for k, f in pairs(serving) do ft[k] = f end
  if ok and not called then
    ok, err = false, script .. ": the script ended without calling ft.app"
  elseif ok and type(captured) ~= "function" then
    ok, err = false, script .. ": ft.app was not given a main function"
  end
  if not ok then
    for name, m in pairs(saved) do package.loaded[name] = m end
    return nil, tostring(err)
  end
  return captured
end

--- Watches script and its modules, and rebuilds every page of `sessions` (flet.session's
-- table) when one changes. Returns the watching task; cancelling it stops watching.
function M.start(ft, script, sessions)
  local dir = folder(script)
  local watcher, err = core.watch({})
  if not watcher then error("--reload: " .. err, 0) end
  local files

  -- The files to watch: the script and the app's modules it has loaded so far.
  local function refresh()
    files = {[normalize(script)] = true}
    for _, path in pairs(M.app_modules(dir)) do files[normalize(path)] = true end
    for path in pairs(files) do
      local ok, why = watcher:add(folder(path))
      if not ok then core.log("warn", "--reload cannot watch " .. why) end
    end
  end

  local function reload(what)
    local t0 = core.now()
    local main, load_err = M.load_main(ft, script, dir)
    if not main then
      core.log("error", ("reload: %s changed, but the new code failed; the app runs on with the code "
        .. "it had: %s"):format(what, load_err))
      local message = P.error_message("app error: " .. load_err)
      for _, s in pairs(sessions.sessions) do s.page._conn:send(message) end
      return
    end
    local n = sessions.rebuild(main)
    core.log("info", ("reload: %s changed: rebuilt %d page%s in %.0f ms"):format(what, n,
      n == 1 and "" or "s", (core.now() - t0) * 1000))
  end

  refresh()
  core.log("info", ("reload: watching %s and the modules it loads from %s"):format(script, dir))
  return asyncio.create_task("reload", function()
    local _ <close> = watcher
    while true do
      local changed = watcher:changed()
      if not changed then return end
      local hit
      for _, path in ipairs(changed) do
        path = normalize(path)
        if files[path] then hit = path end
      end
      if hit then
        reload(hit)
        refresh()
      end
    end
  end)
end

return M
