-- Flet's enums (ft.MainAxisAlignment.CENTER, ft.FontWeight.BOLD, ...): each member is the
-- value Flet sends, which is its name in camelCase (SPACE_BETWEEN is "spaceBetween"), but
-- where the list below gives it. A member an enum does not have is an error naming the
-- nearest one. The client reads each value by its letters alone (client/src/values.js), so
-- "spaceBetween", "space_between" and "SPACE_BETWEEN" all work as prop values.
local kinds = require "flet.kinds"

local M = {}

local function camel(name)
  local s = name:lower():gsub("_(%w)", function(c) return c:upper() end)
  return s
end

-- enum name -> its members; a member "NAME=value" has a value of its own.
local ENUMS = {
  MainAxisAlignment = {"START", "END", "CENTER", "SPACE_BETWEEN", "SPACE_AROUND",
                       "SPACE_EVENLY"},
  CrossAxisAlignment = {"START", "END", "CENTER", "STRETCH", "BASELINE"},
  TextAlign = {"LEFT", "RIGHT", "CENTER", "JUSTIFY", "START", "END"},
  FontWeight = {"NORMAL", "BOLD", "W_100=w100", "W_200=w200", "W_300=w300", "W_400=w400",
                "W_500=w500", "W_600=w600", "W_700=w700", "W_800=w800", "W_900=w900"},
  ThemeMode = {"SYSTEM", "LIGHT", "DARK"},
  ImageFit = {"NONE", "CONTAIN", "COVER", "FILL", "FIT_HEIGHT", "FIT_WIDTH", "SCALE_DOWN"},
  ImageRepeat = {"NO_REPEAT", "REPEAT", "REPEAT_X", "REPEAT_Y"},
  ScrollMode = {"AUTO", "ADAPTIVE", "ALWAYS", "HIDDEN"},
  TextThemeStyle = {"DISPLAY_LARGE", "DISPLAY_MEDIUM", "DISPLAY_SMALL", "HEADLINE_LARGE",
                    "HEADLINE_MEDIUM", "HEADLINE_SMALL", "TITLE_LARGE", "TITLE_MEDIUM",
                    "TITLE_SMALL", "LABEL_LARGE", "LABEL_MEDIUM", "LABEL_SMALL", "BODY_LARGE",
                    "BODY_MEDIUM", "BODY_SMALL"},
  KeyboardType = {"NONE", "TEXT", "MULTILINE", "NUMBER", "PHONE", "DATETIME", "EMAIL", "URL",
                  "VISIBLE_PASSWORD", "NAME", "STREET_ADDRESS"},
  LabelPosition = {"RIGHT", "LEFT"},
  ClipBehavior = {"NONE", "HARD_EDGE", "ANTI_ALIAS", "ANTI_ALIAS_WITH_SAVE_LAYER"},
  TextOverflow = {"CLIP", "ELLIPSIS", "FADE", "VISIBLE"},
  TextCapitalization = {"CHARACTERS", "WORDS", "SENTENCES", "NONE"},
  TextDecoration = {"NONE", "UNDERLINE", "OVERLINE", "LINE_THROUGH"},
  TextDecorationStyle = {"SOLID", "DOUBLE", "DOTTED", "DASHED", "WAVY"},
  BorderStyle = {"NONE", "SOLID"},
  BoxShape = {"RECTANGLE", "CIRCLE"},
  BlendMode = {"CLEAR", "SRC", "DST", "SRC_OVER", "DST_OVER", "SRC_IN", "DST_IN", "SRC_OUT",
               "DST_OUT", "MULTIPLY", "SCREEN", "OVERLAY", "DARKEN", "LIGHTEN", "COLOR",
               "HUE", "SATURATION", "LUMINOSITY", "MODULATE"},
  AnimationCurve = {"LINEAR", "EASE", "EASE_IN", "EASE_OUT", "EASE_IN_OUT", "BOUNCE_IN",
                    "BOUNCE_OUT", "BOUNCE_IN_OUT", "DECELERATE", "FAST_OUT_SLOWIN",
                    "ELASTIC_IN", "ELASTIC_OUT", "ELASTIC_IN_OUT"},
  MouseCursor = {"BASIC", "CLICK", "FORBIDDEN", "GRAB", "GRABBING", "HELP", "MOVE",
                 "NONE", "PRECISE", "TEXT", "WAIT", "ZOOM_IN", "ZOOM_OUT"},
  NavigationRailLabelType = {"NONE", "ALL", "SELECTED"},
  NavigationBarLabelBehavior = {"ALWAYS_SHOW", "ALWAYS_HIDE", "ONLY_SHOW_SELECTED"},
  FloatingActionButtonLocation = {"CENTER_DOCKED", "CENTER_FLOAT", "CENTER_TOP",
                                  "END_CONTAINED", "END_DOCKED", "END_FLOAT", "END_TOP",
                                  "START_DOCKED", "START_FLOAT", "START_TOP",
                                  "MINI_CENTER_DOCKED", "MINI_END_FLOAT", "MINI_START_TOP"},
  ListTileStyle = {"LIST", "DRAWER"},
  ListTileTitleAlignment = {"TOP", "CENTER", "BOTTOM", "THREE_LINE", "TITLE_HEIGHT"},
  TabAlignment = {"START", "START_OFFSET", "FILL", "CENTER"},
  SliderInteraction = {"TAP_AND_SLIDE", "TAP_ONLY", "SLIDE_ONLY", "SLIDE_THUMB"},
  VisualDensity = {"STANDARD", "COMPACT", "COMFORTABLE", "ADAPTIVE_PLATFORM_DENSITY"},
  PagePlatform = {"IOS", "ANDROID", "MACOS", "WINDOWS", "LINUX", "FUCHSIA"},
  FilePickerFileType = {"ANY", "MEDIA", "IMAGE", "VIDEO", "AUDIO", "CUSTOM"},
  Brightness = {"LIGHT", "DARK"},
  RouteUrlStrategy = {"PATH", "HASH"},
  DismissDirection = {"NONE", "VERTICAL", "HORIZONTAL", "END_TO_START", "START_TO_END", "UP",
                      "DOWN"},
  StackFit = {"LOOSE", "EXPAND", "PASS_THROUGH"},
  Orientation = {"PORTRAIT", "LANDSCAPE"},
  NavigationDrawerPosition = {"START", "END"},
  SnackBarBehavior = {"FIXED", "FLOATING"},
  PopupMenuPosition = {"OVER", "UNDER"},
  NotchShape = {"AUTO", "CIRCULAR"},
  -- ft.app's settings that have no use here (see flet.init's FLET_ONLY): their values.
  AppView = {"FLET_APP=flet_app", "WEB_BROWSER=web_browser", "FLET_APP_WEB=flet_app_web",
             "FLET_APP_HIDDEN=flet_app_hidden"},
  WebRenderer = {"AUTO=auto", "HTML=html", "CANVAS_KIT=canvaskit"},
  InputBorder = {"NONE", "OUTLINE", "UNDERLINE"},
  DatePickerMode = {"DAY", "YEAR"},
  DatePickerEntryMode = {"CALENDAR", "INPUT", "CALENDAR_ONLY", "INPUT_ONLY"},
  TimePickerEntryMode = {"DIAL", "INPUT", "DIAL_ONLY", "INPUT_ONLY"},
  SegmentedButtonDirection = {"HORIZONTAL", "VERTICAL"},
}

local function enum(name, members)
  local e = {}
  for _, m in ipairs(members) do
    local k, v = m:match("^([%w_]+)=(.*)$")
    if k then e[k] = v else e[m] = camel(m) end
  end
  local known = {}
  for k in pairs(e) do known[k] = true end
  return setmetatable(e, {__index = function(_, k)
    local near = kinds.nearest(k, known, true)
    kinds.app_error(("ft.%s has no '%s'%s"):format(name, tostring(k),
      near and (" (did you mean ft.%s.%s?)"):format(name, near) or ""))
  end})
end

for name, members in pairs(ENUMS) do M[name] = enum(name, members) end

return M
