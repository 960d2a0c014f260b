// Affinity-domain code sets (ITI TF-1 10.4.1; ITI TF-3 4.2.3 coded attributes): lookup.
// The JSON loader is code_sets_json.cc.
#include "profiles/code_sets.h"

#include <fstream>
#include <sstream>
#include <utility>

namespace renkei::profiles {

std::string CodeSets::Key(std::string_view scheme, std::string_view code,
                          std::string_view coding_scheme) {
  std::string k;
  k.reserve(scheme.size() + code.size() + coding_scheme.size() + 2);
  k.append(scheme).push_back('\x1f');
  k.append(code).push_back('\x1f');
  k.append(coding_scheme);
  return k;
}

void CodeSets::Add(const std::string& scheme, const std::string& attribute, CodeEntry entry) {
  if (!attribute.empty()) attribute_names_.emplace(scheme, attribute);
  std::vector<CodeEntry>& list = codes_[scheme];
  if (keys_.insert(Key(scheme, entry.code, entry.coding_scheme)).second) {
    list.push_back(std::move(entry));
  }
}

bool CodeSets::IsKnownCode(const std::string& scheme, const std::string& code,
                           const std::string& coding_scheme) const {
  if (codes_.find(scheme) == codes_.end()) return true;
  return keys_.count(Key(scheme, code, coding_scheme)) != 0;
}

const std::vector<CodeEntry>* CodeSets::Codes(const std::string& scheme) const {
  auto it = codes_.find(scheme);
  return it == codes_.end() ? nullptr : &it->second;
}

std::string CodeSets::Display(const std::string& scheme, const std::string& code,
                              const std::string& coding_scheme) const {
  const std::vector<CodeEntry>* list = Codes(scheme);
  if (list == nullptr) return {};
  for (const CodeEntry& e : *list) {
    if (e.code == code && e.coding_scheme == coding_scheme) return e.display;
  }
  return {};
}

std::string CodeSets::AttributeName(const std::string& scheme) const {
  auto it = attribute_names_.find(scheme);
  return it == attribute_names_.end() ? std::string() : it->second;
}

Result<CodeSets> CodeSets::Load(const std::vector<std::string>& files) {
  CodeSets sets;
  for (const std::string& path : files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return Status::NotFound("CodeSetError", "cannot read code set file " + path, path);
    }
    std::ostringstream text;
    text << in.rdbuf();
    RENKEI_RETURN_IF_ERROR(sets.MergeJson(text.str(), path));
  }
  return sets;
}

Result<CodeSets> CodeSets::LoadDefault(const std::string& data_dir) {
  std::string dir = data_dir;
  if (!dir.empty() && dir.back() != '/') dir.push_back('/');
  return Load({dir + kConformanceCodesFile, dir + kRegionCodesFile});
}

Result<CodeSets> CodeSets::LoadBuiltIn() {
  std::ifstream probe(std::string(BuildDataDir()) + "/" + kRegionCodesFile);
  return LoadDefault(probe.good() ? BuildDataDir() : SourceDataDir());
}

const char* SourceDataDir() { return RENKEI_PROFILES_SOURCE_DATA_DIR; }
const char* BuildDataDir() { return RENKEI_PROFILES_BUILD_DATA_DIR; }

}  // namespace renkei::profiles
