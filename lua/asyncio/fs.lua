-- asyncio.fs: whole-file reads and writes that suspend only the calling task; the work runs
-- on libuv's thread pool. Failures return nil, "ENOENT: no such file or directory: path",
-- "ENOENT".
local core = require "luaflet.core"

local M = {}

--- The file's contents as a string; a file (or a device) of 256 MiB or more is refused with
-- nil, "EFBIG: ...", "EFBIG".
function M.read(path)
  if type(path) ~= "string" then error("asyncio.fs.read: expected a path", 2) end
  return core.fs_read(path)
end

--- Replaces the file's contents with data (creating it); returns true.
function M.write(path, data)
  if type(path) ~= "string" then error("asyncio.fs.write: expected a path", 2) end
  if type(data) ~= "string" then error("asyncio.fs.write: expected data as a string", 2) end
  return core.fs_write(path, data)
end

return M
