-- The module tests/e2e/apps/reload.lua loads from its folder, which --reload watches too.
return {greeting = "greeting one"}
