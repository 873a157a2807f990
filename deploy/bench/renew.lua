-- wrk script: POST /api/tokens/{tokenId}/renew for the holdings listed in $BENCH_HOLDINGS (one
-- "token_id fence" a line, made by the benchmark before the load), round robin, each thread from
-- another place in the list, with the next bearer credential of $BENCH_CREDENTIALS.
-- Prints one JSON line (prefixed "RESULT ") with throughput and latency percentiles.
local threads = {}
local authorise
local holdings = {}
local next_index

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  authorise = dofile(os.getenv("BENCH_LUA_DIR") .. "/credentials.lua")(id)
  for line in io.lines(os.getenv("BENCH_HOLDINGS")) do
    local token, fence = line:match("^(%S+) (%d+)$")
    if token then table.insert(holdings, { token, fence }) end
  end
  assert(#holdings > 0, "no holdings in $BENCH_HOLDINGS")
  next_index = (id * 37) % #holdings
end

function request()
  next_index = next_index % #holdings + 1
  local holding = holdings[next_index]
  authorise()
  return wrk.format(nil, "/api/tokens/" .. holding[1] .. "/renew", nil,
    '{"fence":' .. holding[2] .. ',"lease":"PT20M"}')
end

function done(summary, latency, requests)
  dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")(summary, latency)
end
