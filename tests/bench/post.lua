-- wrk script: POST a realistic MessageCard to one of the webhook URLs listed in $SB_URLS_FILE
-- (one path per line), chosen round-robin per request.
local paths = {}
local f = assert(io.open(os.getenv("SB_URLS_FILE"), "r"))
for line in f:lines() do
  if #line > 0 then paths[#paths + 1] = line end
end
f:close()

local body = [[{
  "@type": "MessageCard",
  "@context": "http://schema.org/extensions",
  "themeColor": "0076D7",
  "summary": "Build 1234 of switchboard failed",
  "sections": [{
    "activityTitle": "Build **1234** failed on `main`",
    "activitySubtitle": "Pipeline: ci / test (ubuntu-latest)",
    "activityImage": "https://example.org/ci.png",
    "facts": [
      {"name": "Repository", "value": "example/switchboard"},
      {"name": "Branch", "value": "main"},
      {"name": "Commit", "value": "3f2c1ab Fix the group commit batch size"},
      {"name": "Duration", "value": "4m 12s"},
      {"name": "Triggered by", "value": "Ada Lovelace"}
    ],
    "markdown": true,
    "text": "The job **test** failed at step `make test`: 2 of 418 tests failed."
  }],
  "potentialAction": [
    {"@type": "OpenUri", "name": "View build", "targets": [{"os": "default", "uri": "https://ci.example.org/builds/1234"}]},
    {"@type": "OpenUri", "name": "View commit", "targets": [{"os": "default", "uri": "https://git.example.org/commit/3f2c1ab"}]}
  ]
}]]

local i = 0
request = function()
  i = i + 1
  return wrk.format("POST", paths[(i % #paths) + 1], {["Content-Type"] = "application/json"}, body)
end

done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("RESULT rps=%.1f p50_ms=%.3f p99_ms=%.3f requests=%d non2xx=%d sockerr=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
