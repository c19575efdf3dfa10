/* proto_keys: every key, message kind, event name and close code of the wire protocol, once,
 * for C. docs/protocol.md documents them; lua/flet/protocol.lua and client/src/constants.js
 * hold the same names with the same values for their languages, and spec/wire_names_spec.lua
 * fails on any difference between the four. */
#ifndef LUAFLET_PROTO_KEYS_H
#define LUAFLET_PROTO_KEYS_H

#define PK_WS_PATH "/ws" /* where sessions' WebSockets connect */

/* The key that names a message's kind, and the kinds. */
#define PK_T "t"
#define PK_REGISTER "register"
#define PK_INIT "init"
#define PK_PATCH "patch"
#define PK_EVENT "event"
#define PK_ACK "ack"
#define PK_RESUME "resume"
#define PK_ERROR "error"
#define PK_INVOKE "invoke"
#define PK_RESULT "result"

/* The key that names a patch operation's kind, and the kinds. */
#define PK_OP "op"
#define PK_ADD "add"
#define PK_SET "set"
#define PK_REMOVE "remove"
#define PK_MOVE "move"
#define PK_CLEAN "clean"

/* Fields of messages, nodes and operations. */
#define PK_TREE "tree"
#define PK_OPS "ops"
#define PK_ID "id"
#define PK_TYPE "type"
#define PK_PROPS "props"
#define PK_SLOTS "slots"
#define PK_PARENT "parent"
#define PK_SLOT "slot"
#define PK_BEFORE "before"
#define PK_NODE "node"
#define PK_NAME "name"
#define PK_DATA "data"
#define PK_WIDTH "width"
#define PK_HEIGHT "height"
#define PK_ROUTE "route"
#define PK_BRIGHTNESS "brightness"
#define PK_CALL "call"
#define PK_METHOD "method"
#define PK_ARGS "args"
#define PK_MESSAGE "message"
#define PK_SESSION "session"
#define PK_SEQ "seq"
#define PK_RELOAD "reload"
#define PK_PATCHES "patches"

/* The page is always control 0; an event handler shows up as the prop "on_<event>" = true
 * (the prefix is the control schema's, lua/flet/schema.lua); the events. */
#define PK_PAGE_ID 0
#define PK_HANDLER_PREFIX "on_"
#define PK_CLICK "click"
#define PK_CHANGE "change"
#define PK_SUBMIT "submit"
#define PK_RESIZE "resize"
#define PK_ROUTE_CHANGE "route_change"
#define PK_VIEW_POP "view_pop"
#define PK_KEYBOARD_EVENT "keyboard_event"
#define PK_PLATFORM_BRIGHTNESS_CHANGE "platform_brightness_change"
#define PK_HOVER "hover"
#define PK_FOCUS "focus"
#define PK_BLUR "blur"
#define PK_DISMISS "dismiss"
#define PK_SELECT "select"
#define PK_CANCEL "cancel"
#define PK_CANCELLED "cancelled"
#define PK_OPEN "open"
#define PK_CLOSE "close"
#define PK_ACTION "action"
#define PK_VISIBLE "visible"
/* Layout and gestures. */
#define PK_SCROLL "scroll"
#define PK_SELECT_ALL "select_all"
#define PK_SORT "sort"
#define PK_SELECT_CHANGED "select_changed"
#define PK_LONG_PRESS "long_press"
#define PK_TAP "tap"
#define PK_DOUBLE_TAP "double_tap"
#define PK_TAP_DOWN "tap_down"
#define PK_TAP_UP "tap_up"
#define PK_SECONDARY_TAP "secondary_tap"
#define PK_LONG_PRESS_START "long_press_start"
#define PK_LONG_PRESS_END "long_press_end"
#define PK_ENTER "enter"
#define PK_EXIT "exit"
#define PK_PAN_START "pan_start"
#define PK_PAN_UPDATE "pan_update"
#define PK_PAN_END "pan_end"
#define PK_DRAG_START "drag_start"
#define PK_DRAG_COMPLETE "drag_complete"
#define PK_WILL_ACCEPT "will_accept"
#define PK_UPLOAD "upload"
#define PK_ACCEPT "accept"
#define PK_LEAVE "leave"
#define PK_HORIZONTAL_DRAG_START "horizontal_drag_start"
#define PK_HORIZONTAL_DRAG_UPDATE "horizontal_drag_update"
#define PK_HORIZONTAL_DRAG_END "horizontal_drag_end"
#define PK_VERTICAL_DRAG_START "vertical_drag_start"
#define PK_VERTICAL_DRAG_UPDATE "vertical_drag_update"
#define PK_VERTICAL_DRAG_END "vertical_drag_end"
#define PK_CHANGE_START "change_start"
#define PK_CHANGE_END "change_end"
#define PK_DELETE "delete"
#define PK_TAP_LINK "tap_link"
#define PK_IMAGE_ERROR "image_error"

/* Close codes: the client's own (1000, 1001 also when the host stops), and the host's. */
#define PK_CLOSE_NORMAL 1000
#define PK_CLOSE_GOING_AWAY 1001
#define PK_CLOSE_PROTOCOL_ERROR 1002
#define PK_CLOSE_UNSUPPORTED 1003
#define PK_CLOSE_INVALID_PAYLOAD 1007
#define PK_CLOSE_POLICY 1008
#define PK_CLOSE_TOO_LARGE 1009
#define PK_CLOSE_REPLACED 4000
#define PK_CLOSE_FULL 4008
#define PK_UNLOAD_CLOSE 4001

#endif
