// The current UTC time as text, for logs, history rows and message timestamps, and as Unix
// milliseconds.
// Thread-safety: safe from any thread.
#ifndef RENKEI_COMMON_UTC_TIME_H_
#define RENKEI_COMMON_UTC_TIME_H_

#include <cstdint>
#include <string>

namespace renkei {

// strftime(`format`) of the current UTC time, e.g. "%Y-%m-%dT%H:%M:%SZ" (ISO 8601) or
// "%Y%m%d%H%M%S+0000" (HL7 DTM).
std::string UtcNow(const char* format);

// Now as Unix time in milliseconds (the system clock): for timestamps stored in indexes.
int64_t UnixMillisNow();

inline constexpr char kIso8601Utc[] = "%Y-%m-%dT%H:%M:%SZ";
inline constexpr char kHl7DtmUtc[] = "%Y%m%d%H%M%S+0000";

}  // namespace renkei

#endif  // RENKEI_COMMON_UTC_TIME_H_
