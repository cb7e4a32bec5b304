-- Driven by bench/wrk-load.ts: `wrk -s wrk-script.lua URL -- TEMPLATES_FILE TAG_PREFIX PATH`.
-- Every request gets a fresh event id (tag), so the server never deduplicates by accident.
-- The counters are summed in done() and printed as one JSON line the driver parses.

local threads = {}
local counter = 1

function setup(thread)
  thread:set("thread_index", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  templates = dofile(args[1])
  tag_prefix = args[2] .. "-" .. thread_index .. "-"
  path = args[3]
  headers = { ["Content-Type"] = "application/json" }
  sent = 0
end

function request()
  sent = sent + 1
  local template = templates[(sent % #templates) + 1]
  return wrk.format("POST", path, headers, table.concat(template, tag_prefix .. sent))
end

function done(summary, latency, requests)
  local total_sent = 0
  for _, thread in ipairs(threads) do
    total_sent = total_sent + thread:get("sent")
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"sent":%d,"completed":%d,"non2xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,' ..
      '"durationUs":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.3f}\n',
    total_sent, summary.requests, e.status, e.connect, e.read, e.write, e.timeout,
    summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
