-- Flet's constants and helpers, in both spellings Flet has used (ft.colors and ft.Colors,
-- ft.alignment.center and ft.Alignment.CENTER), with the values the client reads.
local ft = require "flet"

local function error_of(fn)
  local ok, err = pcall(fn)
  assert.is_false(ok, "expected an error")
  return tostring(err)
end

describe("ft.Colors", function()
  it("names the palette, the theme's roles and see-through black and white", function()
    assert.equal("blue", ft.Colors.BLUE)
    assert.equal("bluegrey100", ft.Colors.BLUE_GREY_100)
    assert.equal("deeppurpleaccent200", ft.colors.DEEP_PURPLE_ACCENT_200)
    assert.equal("onsurfacevariant", ft.Colors.ON_SURFACE_VARIANT)
    assert.equal("black54", ft.Colors.BLACK54)
    assert.equal("transparent", ft.Colors.TRANSPARENT)
    assert.equal("red,0.5", ft.Colors.with_opacity(0.5, ft.Colors.RED))
    assert.is_string(ft.Colors.random())
  end)

  it("refuses a name it does not have, naming the nearest", function()
    assert.matches("ft.Colors has no 'BLU' %(did you mean ft.Colors.BLUE%?%)",
      error_of(function() return ft.Colors.BLU end))
    -- Grey and brown have no accents in the palette.
    assert.matches("ft.Colors has no 'GREY_ACCENT'", error_of(function() return ft.Colors.GREY_ACCENT end))
    assert.matches("opacity must be a number from 0 to 1",
      error_of(function() return ft.Colors.with_opacity(2, "red") end))
  end)
end)

describe("ft.Icons", function()
  it("are the icon's name in lower case, in every style", function()
    assert.equal("add", ft.Icons.ADD)
    assert.equal("delete_outline_rounded", ft.icons.DELETE_OUTLINE_ROUNDED)
    assert.matches("icon names are in capitals", error_of(function() return ft.Icons.add end))
  end)
end)

describe("the enums", function()
  it("have Flet's values", function()
    assert.equal("spaceBetween", ft.MainAxisAlignment.SPACE_BETWEEN)
    assert.equal("center", ft.CrossAxisAlignment.CENTER)
    assert.equal("bold", ft.FontWeight.BOLD)
    assert.equal("w600", ft.FontWeight.W_600)
    assert.equal("dark", ft.ThemeMode.DARK)
    assert.equal("fitWidth", ft.ImageFit.FIT_WIDTH)
    assert.equal("headlineMedium", ft.TextThemeStyle.HEADLINE_MEDIUM)
    assert.equal("visiblePassword", ft.KeyboardType.VISIBLE_PASSWORD)
    assert.equal("web_browser", ft.AppView.WEB_BROWSER)
  end)

  it("refuse a member they do not have, naming the nearest", function()
    assert.matches("ft.MainAxisAlignment has no 'CENTRE' %(did you mean ft.MainAxisAlignment.CENTER%?%)",
      error_of(function() return ft.MainAxisAlignment.CENTRE end))
  end)
end)

describe("the value helpers", function()
  it("make padding and margin by side", function()
    assert.same({left = 8, top = 8, right = 8, bottom = 8}, ft.padding.all(8))
    assert.same({left = 4, top = 2, right = 4, bottom = 2},
      ft.padding.symmetric{horizontal = 4, vertical = 2})
    assert.same({left = 1, top = 0, right = 0, bottom = 0}, ft.margin.only{left = 1})
    assert.same({left = 1, top = 2, right = 3, bottom = 4}, ft.Padding(1, 2, 3, 4))
    assert.same({left = 5, top = 0, right = 0, bottom = 0}, ft.Padding.only{left = 5})
    assert.matches("padding.only: no field 'lft' %(did you mean 'left'%?%)",
      error_of(function() return ft.padding.only{lft = 1} end))
  end)

  it("make borders, corners and alignments", function()
    local side = {width = 2, color = "red"}
    assert.same({left = side, top = side, right = side, bottom = side}, ft.border.all(2, "red"))
    assert.same(side, ft.BorderSide(2, "red"))
    assert.same({top_left = 6, top_right = 6, bottom_left = 6, bottom_right = 6},
      ft.border_radius.all(6))
    assert.same({top_left = 3, top_right = 0, bottom_left = 0, bottom_right = 0},
      ft.BorderRadius.only{top_left = 3})
    assert.same({x = 0, y = 0}, ft.alignment.center)
    assert.same({x = -1, y = 1}, ft.alignment.bottom_left)
    assert.same({x = 1, y = -1}, ft.Alignment.TOP_RIGHT)
    assert.same({x = 0.5, y = 0}, ft.Alignment(0.5, 0))
    assert.matches("ft.alignment has no 'centre' %(did you mean ft.alignment.center%?%)",
      error_of(function() return ft.alignment.centre end))
  end)

  it("make style objects with Flet's field names, end_ for Lua's keyword", function()
    assert.same({size = 20, weight = "bold"}, ft.TextStyle{size = 20, weight = ft.FontWeight.BOLD})
    local g = ft.LinearGradient{begin = ft.alignment.top_center, end_ = ft.alignment.bottom_center,
                                colors = {"blue", "red"}}
    assert.same({x = 0, y = 1}, g["end"])
    assert.matches("ft.TextStyle: no field 'colour' %(did you mean 'color'%?%)",
      error_of(function() return ft.TextStyle{colour = "red"} end))
  end)

  it("are props a control takes and sends as they are", function()
    local c = ft.Container{padding = ft.padding.all(3), border = ft.border.all(1, "black"),
                           alignment = ft.alignment.center, bgcolor = ft.Colors.AMBER_100}
    assert.equal(3, c.padding.left)
    assert.equal("amber100", c.bgcolor)
  end)
end)

describe("Flet 1.0's names", function()
  it("are the same classes and functions", function()
    assert.equal(ft.ElevatedButton, ft.Button)
    assert.equal(ft.app, ft.run)
    assert.equal("Go", ft.Button{content = "Go"}.content)
  end)
end)
