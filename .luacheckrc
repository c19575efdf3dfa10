-- luacheck's settings for `make lint`, which checks every .lua file in the tree (but build/
-- and node_modules/) with them. All of luacheck's warnings are on: an unused variable or
-- argument is deleted, or named `_` where a place must be held; a method that does not use
-- self is defined with a dot (`function C.build() ... end`), which `c:build()` still calls.
std = "lua54"
max_line_length = 120
exclude_files = {"build/**", "node_modules/**"}

-- The specs run under busted, which provides describe, it, assert, spy, stub, finally, ...
files["spec"] = {std = "+busted"}
