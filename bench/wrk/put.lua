-- PUT of 4 KiB to a new path each time: BASEPATH/new/p<RUN>-<thread>-<n>.bin, every body
-- different (common.lua: unique_4k). BASEPATH/new/ must exist.
-- usage: wrk -s put.lua URL -- BASEPATH RUN
dofile((debug.getinfo(1, "S").source:sub(2):match("^(.*/)") or "") .. "common.lua")

local base, run, n

function init(args)
  base, run, n = args[1], args[2], 0
end

function request()
  n = n + 1
  local name = string.format("p%s-%d-%d", run, tid, n)
  return build("PUT", base .. "new/" .. name .. ".bin", nil, unique_4k(name))
end
