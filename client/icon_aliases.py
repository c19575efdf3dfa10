#!/usr/bin/python3
"""Writes client/icon_aliases.mjs: Flet's icon names that are not Material Symbols' names.

Flet's names (ft.Icons) are Flutter's Material Icons names; the SVGs we serve come from
@material-symbols/svg-400, which names some icons differently: digits are spelled out in
Flutter ("ten_k" is "10k", "onetwothree" is "123"), and many old names became aliases of
another icon in Material Symbols ("done" is "check", "email" is "mail"). The aliases are
read from the ligatures of the Material Symbols font in the material-symbols package, an
alias whose glyph has no SVG of its own is matched to the SVG'd glyph of the same outline,
and names ending in _outline/_border (_filled) fall back to the icon's unfilled (filled)
form. A few that none of this finds are named by hand in MANUAL.

Run from the repository root when @material-symbols/svg-400 or Flet's list changes:
  python3 client/icon_aliases.py FLET_ICONS_PY > client/icon_aliases.mjs && npx prettier -w client/icon_aliases.mjs
It needs python3-fonttools and python3-brotli (Debian); the build does not.
"""
import json
import os
import re
import sys

from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

SVG_DIR = "node_modules/@material-symbols/svg-400/outlined"
FONT = "node_modules/material-symbols/material-symbols-outlined.woff2"
STYLES = ("_outlined", "_rounded", "_sharp")
NUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
       "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
       "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
       "nineteen": 19, "twenty": 20, "thirty": 30, "sixty": 60}
SPELLED = {"onetwothree": "123", "threesixty": "360", "threed_rotation": "3d_rotation",
           "class_": "class"}
MANUAL = {"expand_more": "keyboard_arrow_down", "expand_less": "keyboard_arrow_up",
          "copy": "content_copy", "paste": "content_paste",
          "do_not_disturb": "do_not_disturb_on", "radio_button_off": "radio_button_unchecked",
          "radio_button_on": "radio_button_checked", "format_underline": "format_underlined",
          "image_not_supported": "hide_image", "hourglass_full": "hourglass",
          "auto_awesome": "star_shine", "keyboard_control": "more_horiz",
          "six_ft_apart": "social_distance", "eighteen_up_rating": "18_up_rating",
          # Flutter's older names that neither set spells so.
          "airplanemode_off": "airplanemode_inactive",
          "airplanemode_on": "flight",
          "block_flipped": "block",
          "cloudy_snowing": "weather_snowy",
          "confirmation_num": "confirmation_number",
          "directions_ferry": "directions_boat",
          "directions_train": "train",
          "dnd_forwardslash": "do_not_disturb_on",
          "door_back_door": "door_back",
          "door_front_door": "door_front",
          "enhance_photo_translate": "translate",
          "exposure_minus_1": "exposure_neg_1",
          "exposure_minus_2": "exposure_neg_2",
          "highlight_remove": "cancel",
          "leave_bags_at_home": "no_luggage",
          "local_attraction": "local_activity",
          "local_print_shop": "print",
          "local_restaurant": "restaurant",
          "location_history": "person_pin_circle",
          "messenger": "chat_bubble",
          "messenger_outline": "chat_bubble",
          "multitrack_audio": "graphic_eq",
          "my_library_add": "library_add",
          "my_library_books": "library_books",
          "my_library_music": "library_music",
          "now_wallpaper": "wallpaper",
          "now_widgets": "widgets",
          "outbond": "outbound",
          "panorama_fisheye": "circle",
          "perm_device_info": "perm_device_information",
          "perm_contact_cal": "perm_contact_calendar",
          "quick_contacts_dialer": "contact_phone",
          "quick_contacts_mail": "contact_mail",
          "settings_display": "settings_brightness",
          "share_arrival_time": "share_location",
          "swap_vert_circle": "swap_vertical_circle",
          "system_update_tv": "system_update_alt",
          "trending_neutral": "trending_flat",
          "try_sms_star": "sms",
          "video_collection": "video_library",
          "view_comfortable": "view_comfy",
          "wallet_giftcard": "redeem",
          "wallet_membership": "card_membership",
          "wallet_travel": "card_travel",
          "wb_twighlight": "wb_twilight",
          "wifi_tethering_error_rounded": "wifi_tethering_error"}
FILL_SUFFIXES = (("_outline", 0), ("_border", 0), ("_ouline", 0), ("_filled", 1), ("_fill", 1),
                 ("_alt", None), ("_on", None))


def digits(name):
    """Flutter's spelled-out leading number back as digits: ten_k -> 10k, one_x_mobiledata
    -> 1x_mobiledata, twenty_one_mp -> 21mp."""
    if name in SPELLED:
        return SPELLED[name]
    parts = name.split("_")
    if parts[0] not in NUM:
        return name
    n, i = NUM[parts[0]], 1
    if n >= 20 and i < len(parts) and NUM.get(parts[i], 99) < 10:
        n, i = n + NUM[parts[i]], i + 1
    rest = parts[i:]
    if rest and rest[0] in ("k", "mp", "g", "p", "fps", "x", "ft", "up"):
        return "_".join([str(n) + rest[0]] + rest[1:])
    return "_".join([str(n)] + rest)


def main(flet_icons_py):
    src = open(flet_icons_py).read()
    src = src[src.index("class Icons("):]
    flet = {re.sub("(_outlined|_rounded|_sharp)$", "", v)
            for v in re.findall(r'^\s+[A-Z0-9_]+ = "([^"]+)"', src, re.M)}
    svgs = {f[:-4] for f in os.listdir(SVG_DIR) if f.endswith(".svg") and "-fill" not in f}

    font = TTFont(FONT)
    glyph_char = {}
    for cp, g in font.getBestCmap().items():
        glyph_char.setdefault(g, chr(cp).lower())
    ligs = {}
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for st in lookup.SubTable:
            st = getattr(st, "ExtSubTable", st)
            for first, ls in getattr(st, "ligatures", {}).items():
                for lig in ls:
                    name = "".join(glyph_char.get(c, "?") for c in [first] + lig.Component)
                    ligs[name] = lig.LigGlyph
    glyphs = font.getGlyphSet()

    def outline(g):
        pen = RecordingPen()
        glyphs[g].draw(pen)
        return repr(pen.value)

    by_glyph, by_outline = {}, {}
    for s in sorted(svgs):
        g = ligs.get(s)
        if g:
            by_glyph.setdefault(g, s)
            by_outline.setdefault(outline(g), s)

    def find(name):
        if name in svgs:
            return name
        g = ligs.get(name)
        if not g:
            return None
        return by_glyph.get(g) or by_outline.get(outline(g))

    out = {}
    for b in sorted(flet - svgs):
        name = MANUAL.get(b) or digits(b)
        target, fill = find(name), None
        for suffix, f in FILL_SUFFIXES if not target else ():
            if name.endswith(suffix):
                target, fill = find(name[: -len(suffix)]), f
                if target:
                    break
        if target and fill is None:
            fill = next((f for suffix, f in FILL_SUFFIXES if name.endswith(suffix)), None)
        if target:
            out[b] = target if fill is None else [target, fill]
    print("// Written by client/icon_aliases.py: Flet's icon names that @material-symbols/svg-400")
    print("// spells differently: name -> its SVG's name, or [name, fill] where the name says")
    print("// filled (1) or unfilled (0) whatever the style. client/build.mjs reads it.")
    print("export default " + json.dumps(out, sort_keys=True) + ";")


if __name__ == "__main__":
    main(sys.argv[1])
