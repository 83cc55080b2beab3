#include "control/override_store.h"

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/json_dump.h"

namespace rsagent::agent {

namespace {

constexpr const char* kFileName = "overrides.json";
constexpr int kFormatVersion = 1;

Result<AdminState> ParseState(const std::string& name) {
  if (name == "drain") return AdminState::kDrain;
  if (name == "maint") return AdminState::kMaint;
  return Error{"unknown state \"" + name + "\" (expected drain or maint)"};
}

// Milliseconds since the epoch that a WallTime can hold: 1970 up to where
// its (finer) duration would overflow.
Result<WallTime> ParseSince(const nlohmann::json& value) {
  constexpr int64_t kMaxMs =
      std::chrono::duration_cast<std::chrono::milliseconds>(WallTime::max().time_since_epoch())
          .count();
  // JSON parses non-negative integers as unsigned, negative ones as signed.
  if (!value.is_number_unsigned() || value.get<uint64_t>() > static_cast<uint64_t>(kMaxMs)) {
    return Error{"\"since_unix_ms\" must be an integer from 0 to " + std::to_string(kMaxMs)};
  }
  return WallTime(std::chrono::duration_cast<WallTime::duration>(
      std::chrono::milliseconds(value.get<int64_t>())));
}

}  // namespace

std::string SerializeOverrides(const Overrides& overrides) {
  nlohmann::json entries = nlohmann::json::object();
  for (const auto& [service, admin] : overrides) {
    if (admin.state == AdminState::kNone) continue;
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(admin.since.time_since_epoch());
    entries[service] = {{"state", AdminStateName(admin.state)}, {"since_unix_ms", ms.count()}};
  }
  nlohmann::json doc{{"version", kFormatVersion}, {"overrides", entries}};
  return DumpJson(doc, 2) + "\n";
}

Result<Overrides> ParseOverrides(const std::string& text) {
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Error{"not valid JSON"};
  const auto version = doc.find("version");  // end() on a non-object
  if (version == doc.end() || !version->is_number_integer() ||
      version->get<int64_t>() != kFormatVersion) {
    return Error{"expected an object with \"version\": " + std::to_string(kFormatVersion)};
  }
  auto entries = doc.find("overrides");
  if (entries == doc.end() || !entries->is_object()) {
    return Error{"\"overrides\" must be an object"};
  }
  Overrides out;
  for (const auto& [service, entry] : entries->items()) {
    const auto state = entry.find("state");
    const auto since = entry.find("since_unix_ms");
    if (state == entry.end() || !state->is_string() || since == entry.end()) {
      return Error{"override \"" + service + "\": expected {\"state\", \"since_unix_ms\"}"};
    }
    auto parsed_state = ParseState(state->get<std::string>());
    if (!parsed_state) return Error{"override \"" + service + "\": " + parsed_state.error()};
    auto parsed_since = ParseSince(*since);
    if (!parsed_since) return Error{"override \"" + service + "\": " + parsed_since.error()};
    out[service] = AdminOverride{.state = *parsed_state, .since = *parsed_since};
  }
  return out;
}

OverrideStore::OverrideStore(StateDir dir)
    : dir_(std::move(dir)), path_(dir_.path() + "/" + kFileName) {}

Result<Overrides> OverrideStore::Load() const {
  ASSIGN_OR_RETURN(auto text, ReadFileIfExists(path_));
  if (!text.has_value()) return Overrides{};
  auto parsed = ParseOverrides(*text);
  if (!parsed) return Error{path_ + ": " + parsed.error()};
  return parsed;
}

Status OverrideStore::Save(const Overrides& overrides) const {
  return ReplaceFileAtomically(dir_.path(), path_, SerializeOverrides(overrides), 0640);
}

}  // namespace rsagent::agent
