-- wrk's script for `make bench` (bench/run.py): a form body in WRK_BODY makes it a POST, the
-- cookie comes from wrk's -H; the figures are printed as one line of JSON.
local body = os.getenv("WRK_BODY") or ""
if body ~= "" then
  wrk.method, wrk.body = "POST", body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "p99_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6,
    e.connect + e.read + e.write + e.status + e.timeout, latency:percentile(99) / 1000))
end
