-- Shared by the rate scripts, loaded with dofile: thread numbers, unique bodies and the report.
-- Every script takes BASEPATH (e.g. /w/) and RUN (a name for this run) after wrk's "--".

local threads = {}

-- Runs in wrk's main environment before each thread's init(): numbers the threads 1, 2, ...
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

ALLPROP = '<?xml version="1.0" encoding="utf-8"?>\n'
  .. '<D:propfind xmlns:D="DAV:"><D:allprop/></D:propfind>\n'

local tails

-- A 4 KiB body that no other request sends: NAME padded to 32 bytes, then 4,064 random bytes
-- from a pool of sixteen made once per thread (random bytes per request would cost the client
-- more than some servers spend on the request). No content-addressed store can share blobs.
function unique_4k(name)
  if not tails then
    math.randomseed(tid * 7919 + os.time())
    tails = {}
    for i = 1, 16 do
      local b = {}
      for j = 1, 4096 - 32 do
        b[j] = string.char(math.random(0, 255))
      end
      tails[i] = table.concat(b)
    end
  end
  return string.format("%-32s", name) .. tails[math.random(16)]
end

-- A request of METHOD on PATH with the given extra headers (a fresh table each time, because
-- wrk.format writes Content-Length into the table it is given).
function build(method, path, extra, body)
  local h = { Host = wrk.headers["Host"] }
  for k, v in pairs(extra or {}) do
    h[k] = v
  end
  return wrk.format(method, path, h, body)
end

-- One line for the harness; wrk's own summary goes before it. Latencies are in microseconds.
function done(summary, latency, requests)
  local e = summary.errors
  local s = summary.duration / 1e6
  io.write(string.format(
    "result: requests=%d seconds=%.3f per_second=%.1f p50_ms=%.3f p99_ms=%.3f"
      .. " status_errors=%d socket_errors=%d\n",
    summary.requests, s, summary.requests / s, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
