-- PROPFIND Depth: 1 of the collection BASEPATH with an allprop body (RFC 4918 §9.1), the same
-- request every time.
-- usage: wrk -s propfind1.lua URL -- BASEPATH RUN
dofile((debug.getinfo(1, "S").source:sub(2):match("^(.*/)") or "") .. "common.lua")

local req

function init(args)
  req = build("PROPFIND", args[1], { Depth = "1", ["Content-Type"] = "application/xml" }, ALLPROP)
end

function request()
  return req
end
