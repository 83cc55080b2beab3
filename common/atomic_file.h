// Small state files that must survive a crash whole: written to a temp file,
// fsynced, renamed over the old one, then the directory fsynced, so a kill -9
// at any instant leaves either the old or the new content, never a mix.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "common/result.h"

namespace rsagent {

// Neither function follows a symbolic link: `path` and its temporary
// `path.tmp` are opened O_NOFOLLOW, the temporary O_CREAT|O_EXCL after a
// stale one is unlinked. Errors name the path and the errno.

// Larger files are refused by ReadFileIfExists (state files are small).
inline constexpr size_t kMaxStateFile = 1 << 20;

// Creates `dir` (0750) when missing; `path` must be inside it.
Status ReplaceFileAtomically(const std::string& dir, const std::string& path,
                             const std::string& content, mode_t mode);

// nullopt when the file does not exist; an error when it exists but cannot
// be read, is not a regular file (FIFOs are refused without blocking) or is
// larger than kMaxStateFile.
Result<std::optional<std::string>> ReadFileIfExists(const std::string& path);

}  // namespace rsagent
