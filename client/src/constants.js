// Every key and value of the wire protocol (docs/protocol.md) is spelled here and nowhere
// else, so a change to the protocol is a change to this file.

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
export const MESSAGE = "message";
export const SESSION = "session";
export const SEQ = "seq";
export const PATCHES = "patches";

// The page is always control 0; an event handler set in Lua shows up as the prop
// "on_<event>" with the value true.
export const PAGE_ID = 0;
export const HANDLER_PREFIX = "on_";
export const CLICK = "click";
export const CHANGE = "change";
export const SUBMIT = "submit";
export const RESIZE = "resize";
