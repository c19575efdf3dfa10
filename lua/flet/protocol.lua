-- The wire protocol's keys and message kinds, once, for Lua (docs/protocol.md; the C side's
-- are in host/proto_keys.h, the browser's in client/src/constants.js).
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

return M
