# Layering check (style.md "Dependency direction"): domain files never include wire or
# storage libraries. Run as: cmake -DROOT=<source dir> -P layering_check.cmake
# Domain = every .cc/.h in xds/, registry/, repository/ and dicomweb/ except the codecs, storage and transport files
# listed as allowed below.
set(FORBIDDEN "pugixml" "rapidjson/" "Poco/Net/" "sqlite3.h" "dcmtk/")
set(ALLOWED_REGEX
  "^xds/(soap|ebrim_[a-z0-9_]*|repository_codec[a-z0-9_]*)(_test)?\\.(cc|h)$"
  "^xds/internal/"
  "^xds/.*_test\\.cc$"
  "^registry/(sqlite_[a-z0-9_]*|registry_endpoint|mhd_endpoint|ticket_endpoint)(_test)?\\.(cc|h)$"
  "^registry/.*_test\\.cc$"
  "^repository/(document_store|registry_client|repository_endpoint|mhd_endpoint|soap_reply)(_test)?\\.(cc|h)$"
  "^repository/.*_test\\.cc$"
  "^dicomweb/(dicom_reader|dicom_store|qido_sql|dicom_json|dicomweb_[a-z_]*|dimse_scp|rendered|kos_manifest|part10_bytes|dicom_test_util)(_test)?\\.(cc|h)$"
  "^dicomweb/.*_test\\.cc$"
)
file(GLOB_RECURSE FILES RELATIVE "${ROOT}" "${ROOT}/xds/*.cc" "${ROOT}/xds/*.h"
     "${ROOT}/registry/*.cc" "${ROOT}/registry/*.h"
     "${ROOT}/repository/*.cc" "${ROOT}/repository/*.h"
     "${ROOT}/dicomweb/*.cc" "${ROOT}/dicomweb/*.h")
set(BAD "")
foreach(f IN LISTS FILES)
  set(skip FALSE)
  foreach(re IN LISTS ALLOWED_REGEX)
    if(f MATCHES "${re}")
      set(skip TRUE)
    endif()
  endforeach()
  if(skip)
    continue()
  endif()
  file(STRINGS "${ROOT}/${f}" includes REGEX "^#include")
  foreach(line IN LISTS includes)
    foreach(word IN LISTS FORBIDDEN)
      string(FIND "${line}" "${word}" pos)
      if(NOT pos EQUAL -1)
        list(APPEND BAD "${f}: ${line}")
      endif()
    endforeach()
  endforeach()
endforeach()
list(LENGTH FILES n)
if(BAD)
  string(REPLACE ";" "\n  " msg "${BAD}")
  message(FATAL_ERROR "domain files include wire/storage libraries:\n  ${msg}")
endif()
message(STATUS "layering: ${n} files checked, domain files clean")
