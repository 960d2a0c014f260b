-- ITI-42 Register Document Set-b load for wrk: POSTs pre-generated SOAP bodies (one per
-- line "<submitting facility OID><TAB><body>", each with fresh uniqueIds; `bench_registry
-- register-requests`), each as its facility (X-Renkei-Facility), each thread a disjoint
-- share, in order. Running out wraps around (counted as "wraps": repeated submissions then
-- fail as duplicates).
--   wrk ... -s bodies.lua URL -- BODIES_FILE PATH THREADS
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

setup = common.setup
response = common.response
done = common.done

local bodies, facilities, path, next_body
local content_type =
  'application/soap+xml; charset=UTF-8; action="urn:ihe:iti:2007:RegisterDocumentSet-b"'

function init(args)
  local all = common.read_lines(args[1])
  path = args[2]
  local nthreads = tonumber(args[3])
  bodies, facilities = {}, {}
  for i = 1, #all do
    if (i - 1) % nthreads == thread_index then
      local tab = assert(string.find(all[i], "\t", 1, true), "line without a facility")
      facilities[#facilities + 1] = string.sub(all[i], 1, tab - 1)
      bodies[#bodies + 1] = string.sub(all[i], tab + 1)
    end
  end
  next_body = 1
  wraps = 0
end

function request()
  local b, facility = bodies[next_body], facilities[next_body]
  next_body = next_body + 1
  if next_body > #bodies then
    next_body = 1
    wraps = wraps + 1
  end
  return wrk.format("POST", path,
    { ["Content-Type"] = content_type, [common.facility_header] = facility }, b)
end
