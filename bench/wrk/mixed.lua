-- A mix of small operations on BASEPATH (d0..d9 holding f0..f99.txt, and new/):
--   40% PROPFIND Depth: 1 of a d<k>/ (100 files), 30% GET of one of the 1,000 files,
--   20% PUT of 4 KiB to a new path, 5% MKCOL of a new collection,
--   5% DELETE of a file this thread PUT at least 64 of its PUTs earlier (a PUT until then).
-- One thread drives several connections, so a DELETE must not chase a PUT still in flight: with
-- 4 connections a thread, a PUT 64 PUTs back has long been answered.
-- usage: wrk -s mixed.lua URL -- BASEPATH RUN
dofile((debug.getinfo(1, "S").source:sub(2):match("^(.*/)") or "") .. "common.lua")

local base, run, n, propfinds, gets
local queue, head, tail = {}, 1, 0

function init(args)
  base, run, n = args[1], args[2], 0
  propfinds, gets = {}, {}
  for k = 0, 9 do
    propfinds[k + 1] = build("PROPFIND", string.format("%sd%d/", base, k),
      { Depth = "1", ["Content-Type"] = "application/xml" }, ALLPROP)
  end
  for i = 0, 999 do
    gets[i + 1] = build("GET", string.format("%sd%d/f%d.txt", base, math.floor(i / 100), i % 100))
  end
end

local function put()
  local name = string.format("m%s-%d-%d", run, tid, n)
  local path = base .. "new/" .. name .. ".bin"
  -- wrk calls the first thread's request() once before the run to check the request, and never
  -- sends it: that PUT's file will not exist, so it is not queued for a DELETE.
  if n > 1 then
    tail = tail + 1
    queue[tail] = path
  end
  return build("PUT", path, nil, unique_4k(name))
end

function request()
  n = n + 1
  local r = math.random(100)
  if r <= 40 then
    return propfinds[n % 10 + 1]
  elseif r <= 70 then
    return gets[n % 1000 + 1]
  elseif r <= 90 then
    return put()
  elseif r <= 95 then
    return build("MKCOL", string.format("%snew/c%s-%d-%d/", base, run, tid, n))
  elseif tail - head >= 64 then
    local path = queue[head]
    queue[head] = nil
    head = head + 1
    return build("DELETE", path)
  end
  return put()
end
