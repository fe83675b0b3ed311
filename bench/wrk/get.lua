-- GET of the 1,000 files BASEPATH/d0..d9/f0..f99.txt (4 KiB each), in turn; the requests are
-- built once in init(), so each request costs the client a table lookup.
-- usage: wrk -s get.lua URL -- BASEPATH RUN
dofile((debug.getinfo(1, "S").source:sub(2):match("^(.*/)") or "") .. "common.lua")

local reqs, n

function init(args)
  reqs = {}
  for i = 0, 999 do
    reqs[i + 1] = build("GET", string.format("%sd%d/f%d.txt", args[1], math.floor(i / 100), i % 100))
  end
  n = tid * 500
end

function request()
  n = n + 1
  return reqs[n % 1000 + 1]
end
