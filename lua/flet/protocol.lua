-- The wire protocol for Lua: its keys, message kinds, event names and close codes, once,
-- and the messages Lua writes (error, resume), framed here and nowhere else
-- (docs/protocol.md). The C side's names are in host/proto_keys.h and the messages it writes
-- (init, patch, error) in host/patch_write.c; the browser's names are in
-- client/src/constants.js. The three hold the same names with the same values:
-- spec/wire_names_spec.lua fails on any difference, and on a value docs/protocol.md lacks.
local core = require "luaflet.core"

local M = {
  WS_PATH = "/ws",

  -- The key that names a message's kind, and the kinds.
  T = "t",
  REGISTER = "register",
  INIT = "init",
  PATCH = "patch",
  EVENT = "event",
  ACK = "ack",
  RESUME = "resume",
  ERROR = "error",
  INVOKE = "invoke",
  RESULT = "result",

  -- The key that names a patch operation's kind, and the kinds.
  OP = "op",
  ADD = "add",
  SET = "set",
  REMOVE = "remove",
  MOVE = "move",
  CLEAN = "clean",

  -- Fields of messages, nodes and operations.
  TREE = "tree",
  OPS = "ops",
  ID = "id",
  TYPE = "type",
  PROPS = "props",
  SLOTS = "slots",
  PARENT = "parent",
  SLOT = "slot",
  BEFORE = "before",
  NODE = "node",
  NAME = "name",
  DATA = "data",
  WIDTH = "width",
  HEIGHT = "height",
  ROUTE = "route",
  BRIGHTNESS = "brightness",
  CALL = "call",
  METHOD = "method",
  ARGS = "args",
  MESSAGE = "message",
  SESSION = "session",
  SEQ = "seq",
  RELOAD = "reload",
  PATCHES = "patches",

  -- The page is always control 0; an event handler shows up as the prop "on_<event>" = true
  -- (flet.schema's handler_prefix, which the spec checks against this one); the events.
  PAGE_ID = 0,
  HANDLER_PREFIX = "on_",
  CLICK = "click",
  CHANGE = "change",
  SUBMIT = "submit",
  RESIZE = "resize",
  ROUTE_CHANGE = "route_change",
  VIEW_POP = "view_pop",
  KEYBOARD_EVENT = "keyboard_event",
  PLATFORM_BRIGHTNESS_CHANGE = "platform_brightness_change",
  HOVER = "hover",
  FOCUS = "focus",
  BLUR = "blur",
  DISMISS = "dismiss",
  SELECT = "select",
  CANCEL = "cancel",
  CANCELLED = "cancelled",
  OPEN = "open",
  CLOSE = "close",
  ACTION = "action",
  VISIBLE = "visible",
  -- Layout and gestures (lua/flet/catalog/layout.lua, gestures.lua).
  SCROLL = "scroll",
  SELECT_ALL = "select_all",
  SORT = "sort",
  SELECT_CHANGED = "select_changed",
  LONG_PRESS = "long_press",
  TAP = "tap",
  DOUBLE_TAP = "double_tap",
  TAP_DOWN = "tap_down",
  TAP_UP = "tap_up",
  SECONDARY_TAP = "secondary_tap",
  LONG_PRESS_START = "long_press_start",
  LONG_PRESS_END = "long_press_end",
  ENTER = "enter",
  EXIT = "exit",
  PAN_START = "pan_start",
  PAN_UPDATE = "pan_update",
  PAN_END = "pan_end",
  DRAG_START = "drag_start",
  DRAG_COMPLETE = "drag_complete",
  WILL_ACCEPT = "will_accept",
  UPLOAD = "upload",
  ACCEPT = "accept",
  LEAVE = "leave",
  HORIZONTAL_DRAG_START = "horizontal_drag_start",
  HORIZONTAL_DRAG_UPDATE = "horizontal_drag_update",
  HORIZONTAL_DRAG_END = "horizontal_drag_end",
  VERTICAL_DRAG_START = "vertical_drag_start",
  VERTICAL_DRAG_UPDATE = "vertical_drag_update",
  VERTICAL_DRAG_END = "vertical_drag_end",
  CHANGE_START = "change_start",
  CHANGE_END = "change_end",
  DELETE = "delete",
  TAP_LINK = "tap_link",
  IMAGE_ERROR = "image_error",

  -- Close codes: the client's own (1000, 1001 also when the host stops), and the host's.
  CLOSE_NORMAL = 1000,
  CLOSE_GOING_AWAY = 1001,
  CLOSE_PROTOCOL_ERROR = 1002,
  CLOSE_UNSUPPORTED = 1003,
  CLOSE_INVALID_PAYLOAD = 1007,
  CLOSE_POLICY = 1008,
  CLOSE_TOO_LARGE = 1009,
  CLOSE_REPLACED = 4000,
  CLOSE_FULL = 4008,
  -- The client's, as its page unloads (a reload, or the tab closing): the session waits a
  -- little for the same tab to take it up again.
  UNLOAD_CLOSE = 4001,
}

local concat, json_encode = table.concat, core.json_encode

--- {"t":"error","message":message}: what the host answers to a message it cannot use, and
-- what it shows of an app's error with --debug.
function M.error_message(message)
  return ('{"%s":"%s","%s":%s}'):format(M.T, M.ERROR, M.MESSAGE, json_encode(message))
end

--- {"t":"invoke","call":call,"method":method,"args":args}: a call the page makes on its
-- browser (open a URL, the clipboard, localStorage); call is 0 when no answer is wanted.
function M.invoke_message(call, method, args)
  return ('{"%s":"%s","%s":%d,"%s":%s,"%s":%s}'):format(M.T, M.INVOKE, M.CALL, call, M.METHOD,
    json_encode(method), M.ARGS, json_encode(args))
end

--- {"t":"resume","seq":seq,"patches":[...]}: the patches a reconnecting client missed, from
-- their texts as they were sent, the last numbered seq.
function M.resume_message(seq, patches)
  return ('{"%s":"%s","%s":%d,"%s":[%s]}'):format(M.T, M.RESUME, M.SEQ, seq, M.PATCHES,
    concat(patches, ","))
end

return M
