-- asyncio.http: an HTTP/1.1 client that suspends only the calling task. It runs on the
-- host's loop (libwebsockets' client), so a page stays responsive while a request runs.
local core = require "luaflet.core"

local M = {}

local type, error = type, error

--- request{method = "GET", url = "http://...", headers = {}, body = "", timeout = 30}
-- returns {status =, headers =, body =}, or nil, err ("timeout", "connection refused"...).
-- Response headers are those libwebsockets knows by name, in lower case.
function M.request(opts)
  if type(opts) ~= "table" then error("asyncio.http.request: expected a table of options", 2) end
  if type(opts.url) ~= "string" then error("asyncio.http.request: 'url' must be a string", 2) end
  if opts.body ~= nil and type(opts.body) ~= "string" then
    error("asyncio.http.request: 'body' must be a string", 2)
  end
  return core.http_request(opts)
end

--- get(url [, opts]): a GET request.
function M.get(url, opts)
  opts = opts or {}
  opts.url, opts.method = url, "GET"
  return M.request(opts)
end

return M
