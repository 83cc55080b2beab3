// Text from outside the agent — probe output, a probed server's answer, a
// database's error, the kernel — made safe once, where it enters: the result
// is valid UTF-8 (each invalid byte becomes U+FFFD), one line (control
// characters are escaped: "\n", "\r", "\t", "\x1b", "\u0085"), and at most
// `max_bytes` long (cut at a character boundary, "..." marks the cut). Such
// text can go into an HTTP header, a log line, JSON, a metric label or a
// terminal without forging anything or throwing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace rsagent {

// Enough for a reason line; details and samples use the same bound.
inline constexpr size_t kSafeTextMaxBytes = 256;

std::string SafeText(std::string_view raw, size_t max_bytes = kSafeTextMaxBytes);

// True when `text` is what SafeText produces: valid UTF-8 without control
// characters (C0, DEL, C1, U+2028/U+2029).
bool IsSafeText(std::string_view text);

}  // namespace rsagent
