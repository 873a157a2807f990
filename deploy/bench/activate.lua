-- wrk script: POST /api/tokens/activate (or $BENCH_PATH, such as /api/pools/p/tokens/activate)
-- for a new random user id on every request, with the next bearer credential of
-- $BENCH_CREDENTIALS if set (credentials.lua).
-- Prints one JSON line (prefixed "RESULT ") with throughput and latency percentiles.
local threads = {}
local authorise
local path = os.getenv("BENCH_PATH") or "/api/tokens/activate"

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + id * 7919)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  authorise = dofile(os.getenv("BENCH_LUA_DIR") .. "/credentials.lua")(id)
end

local function hex(n)
  local digits = {}
  for i = 1, n do digits[i] = string.format("%x", math.random(0, 15)) end
  return table.concat(digits)
end

function request()
  local user = hex(8) .. "-" .. hex(4) .. "-4" .. hex(3) .. "-8" .. hex(3) .. "-" .. hex(12)
  authorise()
  return wrk.format(nil, path, nil, '{"user_id":"' .. user .. '"}')
end

function done(summary, latency, requests)
  dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")(summary, latency)
end
