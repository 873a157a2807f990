-- wrk script: GET one of the paths listed (one per line) in the file $BENCH_PATHS, at random, with
-- the next bearer credential of $BENCH_CREDENTIALS if set (credentials.lua).
local threads = {}
local paths = {}
local authorise

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do table.insert(paths, line) end
  math.randomseed(os.time() * 1000 + id * 7919)
  authorise = dofile(os.getenv("BENCH_LUA_DIR") .. "/credentials.lua")(id)
end

function request()
  authorise()
  return wrk.format("GET", paths[math.random(1, #paths)])
end

function done(summary, latency, requests)
  dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")(summary, latency)
end
