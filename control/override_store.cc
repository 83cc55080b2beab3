#include "control/override_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/socket.h"

namespace rsagent::agent {

namespace {

constexpr const char* kFileName = "overrides.json";
constexpr int kFormatVersion = 1;

Result<AdminState> ParseState(const std::string& name) {
  if (name == "drain") return AdminState::kDrain;
  if (name == "maint") return AdminState::kMaint;
  return Error{"unknown state \"" + name + "\" (expected drain or maint)"};
}

Status WriteFully(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error{ErrnoText(errno)};
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status FsyncPath(const std::string& path, int flags) {
  UniqueFd fd(open(path.c_str(), flags | O_CLOEXEC));
  if (!fd.valid()) return Error{"open " + path + ": " + ErrnoText(errno)};
  if (fsync(fd.get()) != 0) return Error{"fsync " + path + ": " + ErrnoText(errno)};
  return Status::Ok();
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
  return doc.dump(2) + "\n";
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

OverrideStore::OverrideStore(std::string state_dir)
    : dir_(std::move(state_dir)), path_(dir_ + "/" + kFileName) {}

Result<Overrides> OverrideStore::Load() const {
  if (access(path_.c_str(), F_OK) != 0 && errno == ENOENT) return Overrides{};
  std::ifstream in(path_);
  if (!in) return Error{path_ + ": cannot be read"};
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = ParseOverrides(text.str());
  if (!parsed) return Error{path_ + ": " + parsed.error()};
  return parsed;
}

Status OverrideStore::Save(const Overrides& overrides) const {
  if (mkdir(dir_.c_str(), 0750) != 0 && errno != EEXIST) {
    return Error{"mkdir " + dir_ + ": " + ErrnoText(errno)};
  }
  const std::string temp = path_ + ".tmp";
  {
    UniqueFd fd(open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640));
    if (!fd.valid()) return Error{"open " + temp + ": " + ErrnoText(errno)};
    if (Status s = WriteFully(fd.get(), SerializeOverrides(overrides)); !s) {
      return Error{"write " + temp + ": " + s.error()};
    }
    if (fsync(fd.get()) != 0) return Error{"fsync " + temp + ": " + ErrnoText(errno)};
  }
  if (rename(temp.c_str(), path_.c_str()) != 0) {
    return Error{"rename " + temp + ": " + ErrnoText(errno)};
  }
  // The rename is durable only once the directory entry is.
  return FsyncPath(dir_, O_RDONLY | O_DIRECTORY);
}

}  // namespace rsagent::agent
