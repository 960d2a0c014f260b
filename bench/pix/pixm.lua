-- PIXm $ihe-pix load for wrk: GET with a random patient's hospital-A identifier as
-- sourceIdentifier and hospital B as targetSystem; an answer counts when it is HTTP 200
-- with a targetIdentifier.
--   wrk ... -s pixm.lua URL -- SOURCES_FILE TARGET_SYSTEM_URLENCODED
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "../registry/?.lua;" .. package.path
local common = require("common")

setup = common.setup
done = common.done

local sources, target

function init(args)
  sources = common.read_lines(args[1])
  target = args[2]
  math.randomseed(os.time() + (thread_index or 0) * 7919)
end

function request()
  local s = sources[math.random(#sources)]
  return wrk.format("GET", "/fhir/Patient/$ihe-pix?sourceIdentifier=" .. s .. "&targetSystem=" .. target)
end

function response(status, headers, body)
  checked = (checked or 0) + 1
  if status ~= 200 or not string.find(body, "targetIdentifier", 1, true) then
    failures = (failures or 0) + 1
    if failures == 1 then first_failure = string.sub(body, 1, 600) end
  end
end
