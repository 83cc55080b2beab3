// Drain and maintenance overrides on disk (docs/design.md §6): one JSON file in
// state_dir, replaced atomically (temp file, fsync, rename, fsync of the
// directory) so a crash or kill -9 leaves either the old or the new file.
//
// A file that exists but cannot be read or parsed is an error, not "no
// overrides": starting without them would put a node under maintenance back
// into rotation. The daemon refuses to start and names the file.
//
// The store writes only through the running agent's claim on state_dir
// (state_dir.h), so a second `rsagent run` cannot rewrite the file; nothing
// is opened through a symbolic link (common/atomic_file.h).
#pragma once

#include <map>
#include <string>

#include "common/result.h"
#include "control/state_dir.h"
#include "health/snapshot.h"

namespace rsagent::agent {

using Overrides = std::map<std::string, AdminOverride>;  // service -> override

class OverrideStore {
 public:
  explicit OverrideStore(StateDir dir);

  // Empty when the file does not exist yet.
  Result<Overrides> Load() const;
  // Entries with kNone are not written.
  Status Save(const Overrides& overrides) const;

  const std::string& path() const { return path_; }

 private:
  StateDir dir_;
  std::string path_;
};

// The file's content, separate from I/O for tests.
std::string SerializeOverrides(const Overrides& overrides);
Result<Overrides> ParseOverrides(const std::string& text);

}  // namespace rsagent::agent
