-- Shared parts of the registry benchmark's wrk scripts (bench/registry/run.sh).
-- Each wrk thread has its own Lua state; setup() runs in the main state once per thread.
local M = {}

M.threads = {}

function M.setup(thread)
  thread:set("thread_index", #M.threads)
  table.insert(M.threads, thread)
end

function M.read_lines(path)
  local lines = {}
  local f = assert(io.open(path, "rb"))
  for line in f:lines() do
    if #line > 0 then lines[#lines + 1] = line end
  end
  f:close()
  return lines
end

-- The documented insecure-loopback header naming the requesting facility (common/peer.h).
M.facility_header = "X-Renkei-Facility"

-- What every answer must hold besides a Success status: set by the script's init, e.g.
-- "<rim:ObjectRef " for FindDocuments ObjectRef; nil for ITI-42 (a bare RegistryResponse).
M.expect = nil

-- The response is a SOAP envelope whose registry status is Success (ITI-18/ITI-42) and, for
-- a query, holds at least one object (M.expect): a Failure, a SOAP Fault in an HTTP 200
-- answer or an empty answer (e.g. the requester sees nothing: default deny) is a failure.
function M.response(status, headers, body)
  checked = (checked or 0) + 1
  local why = nil
  if status ~= 200 or not string.find(body, "ResponseStatusType:Success", 1, true) then
    why = ""
  elseif M.expect and not string.find(body, M.expect, 1, true) then
    why = "(a Success without " .. M.expect .. "in it) "
  end
  if why then
    failures = (failures or 0) + 1
    if failures == 1 then first_failure = why .. string.sub(body, 1, 600) end
  end
end

-- One machine-readable line for run.sh, then any first failure seen.
function M.done(summary, latency, requests)
  local checked_total, failed_total, wraps_total = 0, 0, 0
  local sample = nil
  for _, t in ipairs(M.threads) do
    checked_total = checked_total + (t:get("checked") or 0)
    failed_total = failed_total + (t:get("failures") or 0)
    wraps_total = wraps_total + (t:get("wraps") or 0)
    sample = sample or t:get("first_failure")
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d max_us=%d " ..
    "socket_errors=%d http_errors=%d checked=%d failures=%d wraps=%d\n",
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(99), latency.max, e.connect + e.read + e.write + e.timeout, e.status,
    checked_total, failed_total, wraps_total))
  if sample then io.write("FIRST_FAILURE " .. string.gsub(sample, "\n", " ") .. "\n") end
end

return M
