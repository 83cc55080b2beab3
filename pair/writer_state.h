// This node's standing in its MySQL pair, as it survives agent restarts
// (state_dir/writer.json, written atomically before any verdict shows it):
// "I am the writer" must not be lost by restarting the agent alone, and
// must not outlive the mysqld incarnation it was earned on.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"
#include "pair/writer_report.h"

namespace rsagent::pair {

struct WriterState {
  WriterRole role = WriterRole::kStandby;  // never kCandidate on disk
  uint64_t term = 0;                       // the highest term seen
  uint64_t writer_term = 0;                // the term of our last writer role
  // The local mysqld start (unix seconds) the writer role was taken on; a
  // different start means mysqld restarted under the role: prove again.
  int64_t mysqld_started = 0;
  bool fenced = false;  // this agent set read_only=ON, and lifts it on becoming writer
  std::string note;     // the last admin action: "promoted by admin at ..."
  friend bool operator==(const WriterState&, const WriterState&) = default;
};

std::string SerializeWriterState(const WriterState& state);
Result<WriterState> ParseWriterState(const std::string& text);

class WriterStateStore {
 public:
  explicit WriterStateStore(std::string state_dir);
  // A fresh standby state when the file does not exist; an error when it
  // exists but is unreadable or corrupt (the agent then refuses to start
  // rather than forget it was the writer).
  Result<WriterState> Load() const;
  Status Save(const WriterState& state) const;
  const std::string& path() const { return path_; }

 private:
  std::string dir_;
  std::string path_;
};

}  // namespace rsagent::pair
