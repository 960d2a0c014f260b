// Affinity-domain code sets (ITI TF-1 10.4.1 "XDS Affinity Domain": the vocabulary of the
// coded metadata attributes of ITI TF-3 4.2.3 — classCode, confidentialityCode,
// eventCodeList, formatCode, healthcareFacilityTypeCode, practiceSettingCode, typeCode,
// SubmissionSet contentTypeCode, Folder codeList, association documentation). Loaded from
// JSON data files (profiles/data/*.json); implements xds::CodeValidator for ITI TF-3 §4
// validation.
//
// Data file format:
//   { "name": "...", "description": "...",
//     "attributes": [ { "attribute": "classCode",
//                       "classificationScheme": "urn:uuid:41a5887f-...",
//                       "codes": [ {"code": "...", "codingScheme": "...", "display": "..."} ] } ],
//     "mimeTypes": [ "application/pdf", ... ] }          // informational, optional
// Several files combine as a union: a (code, codingScheme) pair is allowed for an attribute
// when any file lists it. An attribute no file lists is unrestricted.
//
// Thread-safety: a loaded CodeSets is immutable; const methods may be called concurrently.
#ifndef RENKEI_PROFILES_CODE_SETS_H_
#define RENKEI_PROFILES_CODE_SETS_H_

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/status.h"
#include "xds/validation.h"

namespace renkei::profiles {

// File names LoadDefault reads from its data directory.
inline constexpr char kConformanceCodesFile[] = "conformance-codes.json";
inline constexpr char kRegionCodesFile[] = "region-codes.json";

struct CodeEntry {
  std::string code;
  std::string coding_scheme;
  std::string display;
};

class CodeSets : public xds::CodeValidator {
 public:
  CodeSets() = default;

  // Loads and merges `files` (paths to JSON data files, in order).
  // Errors (detail "CodeSetError", location = the file): NotFound when a file cannot be
  // read; InvalidArgument when it is not JSON or does not have the shape above (the message
  // names the JSON path, e.g. attributes[2].codes[5].codingScheme).
  static Result<CodeSets> Load(const std::vector<std::string>& files);
  // Load({data_dir/conformance-codes.json, data_dir/region-codes.json}).
  static Result<CodeSets> LoadDefault(const std::string& data_dir);
  // LoadDefault() on the copy next to the build (BuildDataDir()) when it exists, else on the
  // source tree's profiles/data (SourceDataDir()).
  static Result<CodeSets> LoadBuiltIn();
  // Parses one data file's text; `origin` names it in errors. Merges into *this.
  Status MergeJson(std::string_view json, const std::string& origin);

  // xds::CodeValidator. True when the attribute is unrestricted or lists the pair.
  bool IsKnownCode(const std::string& classification_scheme_uuid, const std::string& code,
                   const std::string& coding_scheme) const override;

  // Adds one allowed code (loaders and tests). `attribute` is the attribute's name, kept
  // for messages.
  void Add(const std::string& classification_scheme_uuid, const std::string& attribute,
           CodeEntry entry);

  // Allowed codes of one attribute in load order; nullptr when it is unrestricted.
  const std::vector<CodeEntry>* Codes(const std::string& classification_scheme_uuid) const;
  // The display name of a known code, "" when unknown.
  std::string Display(const std::string& classification_scheme_uuid, const std::string& code,
                      const std::string& coding_scheme) const;
  // "classCode" for its scheme UUID, "" when no file names it.
  std::string AttributeName(const std::string& classification_scheme_uuid) const;
  // MIME types the files list (informational; not enforced).
  const std::vector<std::string>& mime_types() const { return mime_types_; }
  // Number of distinct (attribute, code, codingScheme) entries.
  size_t size() const { return keys_.size(); }

 private:
  static std::string Key(std::string_view scheme, std::string_view code,
                         std::string_view coding_scheme);

  std::unordered_map<std::string, std::vector<CodeEntry>> codes_;
  std::unordered_map<std::string, std::string> attribute_names_;
  std::unordered_set<std::string> keys_;
  std::vector<std::string> mime_types_;
};

// The profiles/data directory of the source tree this binary was built from (for tools,
// tests and `renkei demo`); deployments configure their own directory.
const char* SourceDataDir();
// The copy of profiles/data next to the build (${CMAKE_BINARY_DIR}/profiles/data).
const char* BuildDataDir();

}  // namespace renkei::profiles

#endif  // RENKEI_PROFILES_CODE_SETS_H_
