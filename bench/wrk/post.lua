-- wrk script: POSTs the body in the file named by WRK_BODY with the content type WRK_CONTENT_TYPE
-- (default urlencoded) on every request, and counts the answers by status across all threads.
-- An "@@@@@@@@" in the body is replaced by a number unique to each request (one digit of WRK_RUN,
-- one of thread, six of request), so every post carries its own submission id and none is a double
-- submit, also across the wrk runs on one shop when each is given its own WRK_RUN (0-9).
-- After wrk's report it prints machine-readable lines:
--   statuses 303=5120 503=2
--   requests_per_sec 512.30
--   duration_s 30.00
--   latency_ms p50=60.1 p90=75.3 p99=98.0
--   socket_errors connect=0 read=0 write=0 timeout=0
local path = assert(os.getenv("WRK_BODY"), "WRK_BODY must name the body file")
local file = assert(io.open(path, "rb"))
local template = file:read("*a")
file:close()
wrk.method = "POST"
wrk.body = template
wrk.headers["Content-Type"] = os.getenv("WRK_CONTENT_TYPE") or "application/x-www-form-urlencoded"

local run = tonumber(os.getenv("WRK_RUN") or "0")
local threads = {}
local numbered = template:find("@@@@@@@@", 1, true) ~= nil

function setup(thread)
  thread:set("thread_number", #threads)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  sent = 0
end

function request()
  if not numbered then
    return wrk.format()
  end
  sent = sent + 1
  local number = string.format("%d%d%06d", run % 10, thread_number % 10, sent % 1000000)
  return wrk.format(nil, nil, nil, (template:gsub("@@@@@@@@", number, 1)))
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  local keys = {}
  for status in pairs(total) do table.insert(keys, status) end
  table.sort(keys)
  io.write("statuses")
  for _, status in ipairs(keys) do io.write(string.format(" %d=%d", status, total[status])) end
  io.write("\n")
  io.write(string.format("requests_per_sec %.2f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("duration_s %.3f\n", summary.duration / 1e6))
  io.write(string.format("latency_ms p50=%.2f p90=%.2f p99=%.2f\n", latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000))
  local e = summary.errors
  io.write(string.format("socket_errors connect=%d read=%d write=%d timeout=%d\n", e.connect, e.read, e.write, e.timeout))
end
