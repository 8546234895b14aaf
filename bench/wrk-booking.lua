-- wrk script: books distinct one-hour cells (room × hour) on the rooms of `./kominkan bench booking h2 hold`,
-- each request as one of the bench's residents with its own Idempotency-Key, so every request should be 201
-- (wrk reports any other answer as "Non-2xx"). KOMINKAN_OFFSET_HOURS moves a second run to cells not yet taken.
--   source target/bench-wrk.env
--   KOMINKAN_WRK_THREADS=2 wrk -t2 -c16 -d30s --latency -s bench/wrk-booking.lua http://127.0.0.1:$KOMINKAN_PORT
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local rooms, tokens = {}, {}
local origin, counter, width = 0, 0, 1

function init(args)
  for r in string.gmatch(os.getenv("KOMINKAN_ROOMS"), "[^,]+") do rooms[#rooms + 1] = r end
  for t in string.gmatch(os.getenv("KOMINKAN_TOKENS"), "[^,]+") do tokens[#tokens + 1] = t end
  origin = tonumber(os.getenv("KOMINKAN_ORIGIN")) + tonumber(os.getenv("KOMINKAN_OFFSET_HOURS") or "0") * 3600
  width = tonumber(os.getenv("KOMINKAN_WRK_THREADS") or "2")
end

local function iso(t)
  return os.date("!%Y-%m-%dT%H:%M:%SZ", t)
end

function request()
  local n = counter * width + id
  counter = counter + 1
  local room = rooms[(n % #rooms) + 1]
  local start = origin + math.floor(n / #rooms) * 3600
  local body = '{"roomId":' .. room .. ',"start":"' .. iso(start) .. '","end":"' .. iso(start + 3600)
      .. '","purpose":"benchmark","attendees":1}'
  return wrk.format("POST", "/api/v1/reservations", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1],
    ["Idempotency-Key"] = "wrk-" .. id .. "-" .. counter .. "-" .. origin,
  }, body)
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, %.0f/s, p50 %.2f ms, p99 %.2f ms\n", summary.requests,
      summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
