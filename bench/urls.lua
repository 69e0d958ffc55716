-- wrk script: cycle through request paths read from a file (one a line), count answers that are not 2xx,
-- and end with one machine-readable line: BENCH_RESULT {json}.
-- Usage: wrk -c8 -t2 -d20s -s bench/urls.lua http://127.0.0.1:PORT -- PATHS_FILE   (or BENCH_PATHS=PATHS_FILE)

local threads = {}
local started = 0

function setup(thread)
  thread:set("id", started)
  started = started + 1
  table.insert(threads, thread)
end

function init(args)
  local file = args[1] or os.getenv("BENCH_PATHS")
  if not file then error("give the paths file after -- or in BENCH_PATHS") end
  paths = {}
  for line in io.lines(file) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  if #paths == 0 then error("no paths in " .. file) end
  index = (id * 37) % #paths -- threads start at different paths
  non2xx = 0
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local non2xx_total = 0
  for _, thread in ipairs(threads) do non2xx_total = non2xx_total + (thread:get("non2xx") or 0) end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "seconds": %.3f, "rps": %.2f, "p50_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, '
      .. '"non2xx": %d, "socket_errors": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, non2xx_total,
    e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write, e.timeout))
end
