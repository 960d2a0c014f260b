// Role configuration (architecture §9): a JSON file (comments allowed) plus `--set
// KEY=VALUE` overrides by dotted path, checked against a schema of known keys.
// Unknown keys and values of the wrong type are errors that name the key.
//
// Thread-safety: a loaded Config is immutable and may be read from any thread.
#ifndef RENKEI_COMMON_CONFIG_H_
#define RENKEI_COMMON_CONFIG_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace renkei {

enum class ConfigType { kString, kInt, kBool, kStringList };

// One known key: dotted path, type, default (a JSON literal), and a one-line explanation
// printed by `renkei config example`.
struct ConfigKey {
  std::string path;
  ConfigType type;
  std::string default_json;
  std::string help;
};

class Config {
 public:
  // Reads `file` (skipped when empty), then applies `overrides` ("a.b=value"; the value is
  // a JSON literal when it parses as one, a string otherwise), then fills defaults.
  // InvalidArgument naming the key for: unreadable/malformed file, unknown key, wrong type,
  // malformed override.
  static Result<Config> Load(const std::vector<ConfigKey>& schema, const std::string& file,
                             const std::vector<std::string>& overrides);

  // REQUIRES: `path` is in the schema with the matching type.
  const std::string& GetString(const std::string& path) const;
  int64_t GetInt(const std::string& path) const;
  bool GetBool(const std::string& path) const;
  const std::vector<std::string>& GetStringList(const std::string& path) const;

  // A complete, loadable example: nested JSON with a `//` comment explaining each key.
  static std::string Example(const std::vector<ConfigKey>& schema, const std::string& title);

 private:
  struct Value {
    ConfigType type;
    std::string s;
    int64_t i = 0;
    bool b = false;
    std::vector<std::string> list;
  };
  std::map<std::string, Value> values_;
};

// Splits "host:port" (port may be 0 = any free port). InvalidArgument naming `key`.
Status ParseHostPort(const std::string& key, const std::string& value, std::string* host,
                     int* port);

}  // namespace renkei

#endif  // RENKEI_COMMON_CONFIG_H_
