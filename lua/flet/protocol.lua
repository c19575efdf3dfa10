-- The wire protocol for Lua: its keys and message kinds, once, and the messages Lua writes
-- (error, resume), framed here and nowhere else (docs/protocol.md). The C side's keys are in
-- host/proto_keys.h and the messages it writes (init, patch, error) in host/patch_write.c;
-- the browser's keys are in client/src/constants.js.
local core = require "luaflet.core"

local M = {
  T = "t",
  REGISTER = "register",
  EVENT = "event",
  ACK = "ack",
  ERROR = "error",
  RESUME = "resume",

  ID = "id",
  NAME = "name",
  DATA = "data",
  WIDTH = "width",
  HEIGHT = "height",
  MESSAGE = "message",
  SESSION = "session",
  SEQ = "seq",
  PATCHES = "patches",

  PAGE_ID = 0,
  RESIZE = "resize",
}

local concat, json_encode = table.concat, core.json_encode

--- {"t":"error","message":message}: what the host answers to a message it cannot use, and
-- what it shows of an app's error with --debug.
function M.error_message(message)
  return ('{"%s":"%s","%s":%s}'):format(M.T, M.ERROR, M.MESSAGE, json_encode(message))
end

--- {"t":"resume","seq":seq,"patches":[...]}: the patches a reconnecting client missed, from
-- their texts as they were sent, the last numbered seq.
function M.resume_message(seq, patches)
  return ('{"%s":"%s","%s":%d,"%s":[%s]}'):format(M.T, M.RESUME, M.SEQ, seq, M.PATCHES,
    concat(patches, ","))
end

return M
