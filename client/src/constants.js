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
export const BRIGHTNESS = "brightness";
export const CALL = "call";
export const METHOD = "method";
export const ARGS = "args";
export const MESSAGE = "message";
export const SESSION = "session";
export const SEQ = "seq";
export const RELOAD = "reload";
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
export const PLATFORM_BRIGHTNESS_CHANGE = "platform_brightness_change";
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
// Layout and gestures.
export const SCROLL = "scroll";
export const SELECT_ALL = "select_all";
export const SORT = "sort";
export const SELECT_CHANGED = "select_changed";
export const LONG_PRESS = "long_press";
export const TAP = "tap";
export const DOUBLE_TAP = "double_tap";
export const TAP_DOWN = "tap_down";
export const TAP_UP = "tap_up";
export const SECONDARY_TAP = "secondary_tap";
export const LONG_PRESS_START = "long_press_start";
export const LONG_PRESS_END = "long_press_end";
export const ENTER = "enter";
export const EXIT = "exit";
export const PAN_START = "pan_start";
export const PAN_UPDATE = "pan_update";
export const PAN_END = "pan_end";
export const DRAG_START = "drag_start";
export const DRAG_COMPLETE = "drag_complete";
export const WILL_ACCEPT = "will_accept";
export const UPLOAD = "upload";
export const ACCEPT = "accept";
export const LEAVE = "leave";
export const HORIZONTAL_DRAG_START = "horizontal_drag_start";
export const HORIZONTAL_DRAG_UPDATE = "horizontal_drag_update";
export const HORIZONTAL_DRAG_END = "horizontal_drag_end";
export const VERTICAL_DRAG_START = "vertical_drag_start";
export const VERTICAL_DRAG_UPDATE = "vertical_drag_update";
export const VERTICAL_DRAG_END = "vertical_drag_end";
export const CHANGE_START = "change_start";
export const CHANGE_END = "change_end";
export const DELETE = "delete";
export const TAP_LINK = "tap_link";
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
export const UNLOAD_CLOSE = 4001;
