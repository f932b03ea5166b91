-- wrk script: print the 50th and 95th latency percentiles in milliseconds and the counts.
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout
  io.write(string.format("p95 %.2f ms, p50 %.2f ms, %d requests, %d errors\n",
    latency:percentile(95) / 1000, latency:percentile(50) / 1000, summary.requests, errors))
end
