// Loading and validating the TOML config. Validation is total: every problem
// is reported (not just the first), each with its position, and a config with
// any error is never returned, so callers cannot half-apply one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conf/config.h"
#include "conf/probe_kind_reader.h"

namespace rsagent::conf {

struct ConfigError {
  std::string file;
  int line = 0;    // 1-based; 0 when the error has no position (unreadable file)
  int column = 0;
  std::string message;  // names the key and what was expected

  std::string ToString() const;  // "FILE:LINE:COL: message"
};

// A Config, or every error found in it; never both.
class LoadResult {
 public:
  LoadResult(Config config) : config_(std::move(config)) {}  // NOLINT: implicit by design
  LoadResult(std::vector<ConfigError> errors) : errors_(std::move(errors)) {}  // NOLINT

  bool ok() const { return config_.has_value(); }
  const Config& config() const&;  // aborts when !ok()
  Config&& config() &&;
  const std::vector<ConfigError>& errors() const { return errors_; }
  std::vector<std::string> ErrorLines() const;  // ToString() of each error

 private:
  std::optional<Config> config_;
  std::vector<ConfigError> errors_;
};

// `kinds` are the probe kinds [probe.NAME] may name: probes::ProbeKindReaders().
LoadResult LoadConfigFile(const std::string& path, ProbeKindReaders kinds);
// `source_name` is used in errors and Config::source.
LoadResult LoadConfigString(std::string_view toml_text, const std::string& source_name,
                            ProbeKindReaders kinds);

// The embedded default for a plain nginx box (used by `run` when the default
// path does not exist).
std::string_view DefaultConfigText();
inline constexpr const char* kDefaultConfigPath = "/etc/rsagent/rsagent.toml";
inline constexpr const char* kEmbeddedSourceName = "<embedded default>";

}  // namespace rsagent::conf
