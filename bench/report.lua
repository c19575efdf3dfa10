-- What the benchmarks share: lines printed as they come and kept for the report file.
local M = {}

--- A report that prints each line and, on save(), writes them all to `path` (if given).
function M.new(path)
  local lines = {}
  local r = {}
  function r.say(fmt, ...)
    local line = fmt:format(...)
    print(line)
    lines[#lines + 1] = line
  end
  function r.save()
    if not path then return end
    local f = assert(io.open(path, "w"))
    f:write(table.concat(lines, "\n"), "\n")
    f:close()
  end
  return r
end

return M
