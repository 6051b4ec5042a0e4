-- Counts responses by body (the pid a /whoami endpoint returns) across all wrk threads and prints
-- one "body count" line per distinct body after wrk's report.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

counts = {}

function response(status, headers, body)
  counts[body] = (counts[body] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for body, n in pairs(thread:get("counts")) do
      total[body] = (total[body] or 0) + n
    end
  end
  for body, n in pairs(total) do
    io.write(string.format("worker %s %d\n", body, n))
  end
end
