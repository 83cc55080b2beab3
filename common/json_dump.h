// JSON to text without exceptions. nlohmann::json::dump throws type_error 316
// on a string that is not valid UTF-8; text from outside is made safe where it
// enters (common/safe_text.h), and this is the defence in depth: every dump in
// the agent goes through here, and an invalid byte that slipped through
// becomes U+FFFD instead of killing the process.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace rsagent {

// As json.dump(indent): -1 is compact, 2 is pretty.
inline std::string DumpJson(const nlohmann::json& json, int indent = -1) {
  return json.dump(indent, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

}  // namespace rsagent
