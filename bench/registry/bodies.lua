-- ITI-42 Register Document Set-b load for wrk: POSTs pre-generated SOAP bodies (one per
-- line, each with fresh uniqueIds), each thread a disjoint share, in order. Running out
-- wraps around (counted as "wraps": repeated submissions then fail as duplicates).
--   wrk ... -s bodies.lua URL -- BODIES_FILE PATH THREADS
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

setup = common.setup
response = common.response
done = common.done

local bodies, path, next_body
local content_type =
  'application/soap+xml; charset=UTF-8; action="urn:ihe:iti:2007:RegisterDocumentSet-b"'

function init(args)
  local all = common.read_lines(args[1])
  path = args[2]
  local nthreads = tonumber(args[3])
  bodies = {}
  for i = 1, #all do
    if (i - 1) % nthreads == thread_index then bodies[#bodies + 1] = all[i] end
  end
  next_body = 1
  wraps = 0
end

function request()
  local b = bodies[next_body]
  next_body = next_body + 1
  if next_body > #bodies then
    next_body = 1
    wraps = wraps + 1
  end
  return wrk.format("POST", path, { ["Content-Type"] = content_type }, b)
end
