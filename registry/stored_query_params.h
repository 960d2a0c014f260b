// ITI-18 Registry Stored Query: parameter value syntax (ITI TF-2 3.18.4.1.2.3.5) and the
// typed accessors the stored queries read their parameters with.
//
// A parameter is a rim:Slot named "$Name"; each rim:Value holds one of
//   'text'            a string; a quote inside is written twice ('O''Brien')
//   20040101          a number or time, unquoted
//   ('a', 'b', 12)    a list
// A Slot may carry several Value elements; all their items together are the parameter's
// values (OR-ed). Only the parameters with AND/OR semantics
// ($XDSDocumentEntryEventCodeList, $XDSDocumentEntryConfidentialityCode, $XDSFolderCodeList)
// may repeat the Slot: the Slots are AND-ed, the values inside one Slot OR-ed.
// Parameters a query does not define are ignored (ebRS 3.0 §6.3 and the NIST tests: "extra,
// not-understood parameters are always acceptable").
//
// Errors (Status detail = XDS wire code, location = parameter name):
//   XDSRegistryError            a value is not in the syntax above, a string parameter is
//                               unquoted, a code is not code^^scheme, a time is not a DTM
//   XDSStoredQueryParamNumber   a single-valued parameter has several values, or a Slot is
//                               repeated where AND semantics are not defined
//   XDSStoredQueryMissingParam  a required parameter is absent
//
// Thread-safety: plain values.
#ifndef RENKEI_REGISTRY_STORED_QUERY_PARAMS_H_
#define RENKEI_REGISTRY_STORED_QUERY_PARAMS_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "xds/rim.h"

namespace renkei::registry {

// One item of a parameter value.
struct ParamItem {
  std::string text;
  bool quoted = false;
  bool operator==(const ParamItem&) const = default;
};

// Parses the text of one rim:Value (a single item or a parenthesised list).
// InvalidArgument (XDSRegistryError) on malformed syntax.
Result<std::vector<ParamItem>> ParseParamValue(const std::string& text);

// "code^^scheme" (a CE-like triple whose middle component is ignored). Both code and scheme
// must be present (the NIST test 11897 old_scheme / classcode_scheme_mismatch cases).
Result<std::pair<std::string, std::string>> ParseCodeParam(const std::string& value,
                                                           const std::string& param);

// True when `value` is a DTM: 4, 6, 8, 10, 12 or 14 digits (ITI TF-3 4.2.3.1.7).
bool IsDtmParam(const std::string& value);

class StoredQueryParams {
 public:
  // Parses every Slot; the first malformed value is the error.
  static Result<StoredQueryParams> Parse(const std::vector<xds::Slot>& slots);

  bool Has(const std::string& name) const { return slots_.count(name) != 0; }

  // A single quoted string; nullopt when absent; ParamNumber when several values/Slots.
  Result<std::optional<std::string>> String(const std::string& name) const;
  // A single integer, quoted or not (e.g. $MetadataLevel); nullopt when absent;
  // XDSRegistryError when it is not a decimal number.
  Result<std::optional<int64_t>> Integer(const std::string& name) const;
  // A single time (unquoted or quoted DTM); "" when absent.
  Result<std::string> Time(const std::string& name) const;
  // Quoted strings of one Slot (OR); empty when absent. ParamNumber when the Slot repeats.
  Result<std::vector<std::string>> StringList(const std::string& name) const;
  // Codes of one Slot (OR); empty when absent.
  Result<std::vector<std::pair<std::string, std::string>>> CodeList(const std::string& name) const;
  // Codes per Slot (Slots AND-ed, codes in a Slot OR-ed); empty when absent.
  Result<std::vector<std::vector<std::pair<std::string, std::string>>>> CodeAndOr(
      const std::string& name) const;

  // Required variants: MissingParam when absent.
  Result<std::string> RequiredString(const std::string& name) const;
  Result<std::vector<std::string>> RequiredStringList(const std::string& name) const;

 private:
  Result<std::vector<std::string>> Strings(const std::string& name,
                                           const std::vector<ParamItem>& items) const;
  // name -> one entry per Slot, each the items of all its Values.
  std::map<std::string, std::vector<std::vector<ParamItem>>> slots_;
};

}  // namespace renkei::registry

#endif  // RENKEI_REGISTRY_STORED_QUERY_PARAMS_H_
