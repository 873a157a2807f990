-- wrk script: GET one of the paths listed (one per line) in the file $BENCH_PATHS, at random.
local paths = {}

function init(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do table.insert(paths, line) end
  math.randomseed(os.time())
end

function request()
  return wrk.format("GET", paths[math.random(1, #paths)])
end

function done(summary, latency, requests)
  dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")(summary, latency)
end
