// Minimal process log on stderr (one line per event, UTC timestamp, level). stdout is
// reserved for the `ready …` line and command output.
// Thread-safety: safe from any thread.
#ifndef RENKEI_COMMON_LOG_H_
#define RENKEI_COMMON_LOG_H_

#include <string>

namespace renkei {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

void SetLogLevel(LogLevel level);
// Parses "debug" | "info" | "warning" | "error"; false when unknown.
bool ParseLogLevel(const std::string& text, LogLevel* out);
void Log(LogLevel level, const std::string& message);
inline void LogInfo(const std::string& m) { Log(LogLevel::kInfo, m); }
inline void LogWarning(const std::string& m) { Log(LogLevel::kWarning, m); }
inline void LogError(const std::string& m) { Log(LogLevel::kError, m); }

}  // namespace renkei

#endif  // RENKEI_COMMON_LOG_H_
