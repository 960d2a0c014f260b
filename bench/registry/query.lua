-- ITI-18 Registry Stored Query load for wrk: POSTs one SOAP template per request with its
-- "@VALUE@" replaced by a random line of a values file (XML-escaped patient ids or
-- uniqueIds), so every request asks about a random patient / document, as the requesting
-- facility FACILITY (X-Renkei-Facility). An answer counts as a failure unless it is a
-- Success holding EXPECT (e.g. "<rim:ObjectRef "): an empty answer is no measurement.
--   wrk ... -s query.lua URL -- TEMPLATE_FILE VALUES_FILE PATH FACILITY EXPECT
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

setup = common.setup
response = common.response
done = common.done

local prefix, suffix, values, path, facility
local content_type =
  'application/soap+xml; charset=UTF-8; action="urn:ihe:iti:2007:RegistryStoredQuery"'

function init(args)
  local tpl = common.read_lines(args[1])[1]
  local at = assert(string.find(tpl, "@VALUE@", 1, true), "template without @VALUE@")
  prefix = string.sub(tpl, 1, at - 1)
  suffix = string.sub(tpl, at + 7)
  values = common.read_lines(args[2])
  path = args[3]
  facility = assert(args[4], "no requesting facility")
  common.expect = assert(args[5], "no expected object")
  math.randomseed(os.time() * 1000 + (thread_index or 0) * 7919)
end

function request()
  local v = values[math.random(#values)]
  -- A fresh headers table: wrk.format fills in Content-Length only when it is absent.
  return wrk.format("POST", path,
    { ["Content-Type"] = content_type, [common.facility_header] = facility }, prefix .. v .. suffix)
end
