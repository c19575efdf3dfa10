-- What the benchmarks share: lines printed as they come and kept for the report file.
local core = require "luaflet.core"

local M = {}

--- A report that prints each line and, on save(), writes them all to `path` (if given), and
-- the figures given to save() to the same name with .json for .txt, for bench/targets.mjs.
function M.new(path)
  local lines = {}
  local r = {}
  function r.say(fmt, ...)
    local line = fmt:format(...)
    print(line)
    lines[#lines + 1] = line
  end
  function r.save(figures)
    if not path then return end
    local f = assert(io.open(path, "w"))
    f:write(table.concat(lines, "\n"), "\n")
    f:close()
    if figures then
      f = assert(io.open(path:gsub("%.txt$", "") .. ".json", "w"))
      f:write(assert(core.json_encode(figures)), "\n")
      f:close()
    end
  end
  return r
end

return M
