#include "conf/config_loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "conf/config_sections.h"
#include "conf/toml_reader.h"

namespace rsagent::conf {
namespace {

// Far above any real config; stops a wrong path (a log, a device) early.
constexpr off_t kMaxFileSize = 1 << 20;

// toml++ says "Error while parsing table header: cannot redefine existing
// table 'probe.x'"; keep its facts, in our words.
std::string DescribeParseError(const toml::parse_error& error) {
  std::string_view description = error.description();
  constexpr std::string_view kPrefix = "Error while parsing ";
  std::string message = "invalid TOML";
  const size_t colon = description.find(": ");
  if (description.starts_with(kPrefix) && colon != std::string_view::npos) {
    message += " in " + std::string(description.substr(kPrefix.size(), colon - kPrefix.size()));
    description.remove_prefix(colon);
  } else {
    message += ": ";
  }
  message += description;
  if (message.find("cannot redefine") != std::string::npos) {
    message +=
        " (every table and key may be defined once; probe and service names must be "
        "unique)";
  }
  return message;
}

void ReadSections(const toml::table& root, ProbeKindReaders kinds, ErrorList* errors,
                  Config* config) {
  TableReader reader(root, "", "", errors);
  if (const toml::node* node = reader.Node("agent")) {
    if (const toml::table* table = node->as_table()) {
      TableReader agent(*table, "agent", "agent", errors);
      ReadAgentSection(agent, &config->agent);
    } else {
      reader.ErrorAt(node->source(), "agent",
                     "expected a table [agent], got " + std::string(DescribeType(node->type())));
    }
  }

  ServiceReferences references{.kinds = kinds};
  bool vip_ok = true;
  if (const toml::node* node = reader.Node("vip")) {
    if (const toml::table* table = node->as_table()) {
      TableReader vip(*table, "vip", "vip", errors);
      const size_t before = errors->size();
      ReadVipSection(vip, &config->vip);
      vip_ok = errors->size() == before;
    } else {
      reader.ErrorAt(node->source(), "vip",
                     "expected a table [vip], got " + std::string(DescribeType(node->type())));
      vip_ok = false;
    }
  }
  if (vip_ok) references.vips = &config->vip.addresses;

  for (TableReader& table : reader.NamedTables("probe")) {
    const ProbeKindReader* kind = nullptr;
    std::optional<ProbeConfig> probe = ReadProbeSection(table, kinds, &kind);
    references.probe_kinds[table.name()] = probe ? kind : nullptr;
    if (probe) config->probes.push_back(std::move(*probe));
  }

  const size_t before_services = errors->size();
  std::vector<TableReader> service_tables = reader.NamedTables("service");
  for (TableReader& table : service_tables) {
    config->services.push_back(ReadServiceSection(table, references));
  }
  if (const toml::node* node = reader.Node("pair")) {
    if (const toml::table* table = node->as_table()) {
      TableReader pair(*table, "pair", "pair", errors);
      config->pair = ReadPairSection(pair, *config, references);
    } else {
      reader.ErrorAt(node->source(), "pair",
                     "expected a table [pair], got " + std::string(DescribeType(node->type())));
    }
  }
  for (TableReader& table : reader.NamedTables("peer")) {
    config->peers.push_back(ReadPeerSection(table));
  }
  for (size_t i = 0; i < service_tables.size(); ++i) {
    CheckMaxDown(service_tables[i], config->services[i], config->peers.size());
  }
  if (const toml::node* node = reader.Node("second_chance")) {
    if (const toml::table* table = node->as_table()) {
      TableReader sc(*table, "second_chance", "second_chance", errors);
      config->second_chance = ReadSecondChanceSection(sc, *config);
    } else {
      reader.ErrorAt(node->source(), "second_chance",
                     "expected a table [second_chance], got " +
                         std::string(DescribeType(node->type())));
    }
  }
  if (config->services.empty() && errors->size() == before_services) {
    errors->AddUnpositioned(
        "no [service.NAME] table: a config must define at least one service (its port and the "
        "probes that decide it)");
  }
  reader.ReportUnknownKeys();
}

}  // namespace

const Config& LoadResult::config() const& {
  if (!config_) {
    std::fprintf(stderr, "rsagent: fatal: LoadResult::config() of a config with errors\n");
    std::abort();
  }
  return *config_;
}

Config&& LoadResult::config() && { return std::move(const_cast<Config&>(config())); }

std::vector<std::string> LoadResult::ErrorLines() const {
  std::vector<std::string> lines;
  for (const ConfigError& error : errors_) lines.push_back(error.ToString());
  return lines;
}

std::string ConfigError::ToString() const {
  if (line == 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

LoadResult LoadConfigString(std::string_view toml_text, const std::string& source_name,
                            ProbeKindReaders kinds) {
  ErrorList errors(source_name);
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& error) {
    errors.Add(error.source(), DescribeParseError(error));
    return std::move(errors).Take();
  }
  Config config;
  config.source = source_name;
  ReadSections(root, kinds, &errors, &config);
  if (errors.size() > 0) return std::move(errors).Take();
  return config;
}

LoadResult LoadConfigFile(const std::string& path, ProbeKindReaders kinds) {
  auto unreadable = [&](const std::string& why) {
    return std::vector<ConfigError>{{path, 0, 0, "cannot read config: " + why}};
  };
  // O_NONBLOCK: opening a FIFO by mistake must not hang the agent.
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return unreadable(std::strerror(errno));
  struct stat st {};
  std::string text;
  std::string problem;
  if (fstat(fd, &st) != 0) {
    problem = std::strerror(errno);
  } else if (S_ISDIR(st.st_mode)) {
    problem = std::strerror(EISDIR);
  } else if (!S_ISREG(st.st_mode)) {
    problem = "not a regular file";
  } else if (st.st_size > kMaxFileSize) {
    problem = "larger than " + std::to_string(kMaxFileSize) + " bytes";
  } else {
    text.resize(static_cast<size_t>(st.st_size));
    size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = read(fd, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (n < 0) problem = std::strerror(errno);
        break;
      }
      done += static_cast<size_t>(n);
    }
    text.resize(done);  // the file may have shrunk meanwhile
  }
  close(fd);
  if (!problem.empty()) return unreadable(problem);
  return LoadConfigString(text, path, kinds);
}

}  // namespace rsagent::conf
