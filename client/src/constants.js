// Every key, message kind, event name and close code of the wire protocol
// (docs/protocol.md) is spelled here and nowhere else in the client, so a change to the
// protocol is a change to this file. host/proto_keys.h and lua/flet/protocol.lua hold the
// same names with the same values, and spec/wire_names_spec.lua fails on any difference.

export const WS_PATH = "/ws";

// The key that names a message's kind, and the kinds.
export const T = "t";
export const REGISTER = "register";
export const INIT = "init";
export const PATCH = "patch";
export const EVENT = "event";
export const ACK = "ack";
export const RESUME = "resume";
export const ERROR = "error";
export const INVOKE = "invoke";
export const RESULT = "result";

// The key that names a patch operation's kind, and the kinds.
export const OP = "op";
export const ADD = "add";
export const SET = "set";
export const REMOVE = "remove";
export const MOVE = "move";
export const CLEAN = "clean";

// Fields of messages, nodes and operations.
export const TREE = "tree";
export const OPS = "ops";
export const ID = "id";
export const TYPE = "type";
export const PROPS = "props";
export const SLOTS = "slots";
export const PARENT = "parent";
export const SLOT = "slot";
export const BEFORE = "before";
export const NODE = "node";
export const NAME = "name";
export const DATA = "data";
export const WIDTH = "width";
export const HEIGHT = "height";
export const ROUTE = "route";
export const CALL = "call";
export const METHOD = "method";
export const ARGS = "args";
export const MESSAGE = "message";
export const SESSION = "session";
export const SEQ = "seq";
export const PATCHES = "patches";

// The page is always control 0; an event handler set in Lua shows up as the prop
// "on_<event>" with the value true; the events.
export const PAGE_ID = 0;
export const HANDLER_PREFIX = "on_";
export const CLICK = "click";
export const CHANGE = "change";
export const SUBMIT = "submit";
export const RESIZE = "resize";
export const ROUTE_CHANGE = "route_change";
export const VIEW_POP = "view_pop";
export const KEYBOARD_EVENT = "keyboard_event";
export const HOVER = "hover";
export const FOCUS = "focus";
export const BLUR = "blur";
export const DISMISS = "dismiss";
export const SELECT = "select";
export const CANCEL = "cancel";
export const CANCELLED = "cancelled";
export const OPEN = "open";
export const CLOSE = "close";
export const ACTION = "action";
export const VISIBLE = "visible";
export const DELETE = "delete";
export const LONG_PRESS = "long_press";
export const TAP_LINK = "tap_link";
export const ENTER = "enter";
export const EXIT = "exit";
export const IMAGE_ERROR = "image_error";

// Close codes: the client's own (1000, 1001 also when the host stops), and the host's.
export const CLOSE_NORMAL = 1000;
export const CLOSE_GOING_AWAY = 1001;
export const CLOSE_PROTOCOL_ERROR = 1002;
export const CLOSE_UNSUPPORTED = 1003;
export const CLOSE_INVALID_PAYLOAD = 1007;
export const CLOSE_POLICY = 1008;
export const CLOSE_TOO_LARGE = 1009;
export const CLOSE_REPLACED = 4000;
export const CLOSE_FULL = 4008;
