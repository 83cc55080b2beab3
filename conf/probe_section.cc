// [probe.NAME]: the keys every probe has, then the keys of its type.
#include <chrono>

#include "conf/config_sections.h"
#include "conf/duration.h"
#include "conf/http_url.h"

namespace rsagent::conf {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

Result<std::string> ParseUrl(std::string_view text) {
  auto url = HttpUrl::Parse(text);
  if (!url) return Error{url.error()};
  return std::string(text);
}

Result<std::string> ParseHostHeader(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return Error{"\"" + std::string(text) +
                   "\" is not a host name (no spaces or control characters)"};
    }
  }
  if (text.empty()) return Error{"must not be empty; omit it to send the URL's host"};
  return std::string(text);
}

// The heartbeat table is put into SQL, so only plain identifiers pass.
// "" (the default) turns the heartbeat off.
Result<std::string> ParseTableName(std::string_view text) {
  if (text.empty()) return std::string();
  auto is_identifier = [](std::string_view part) {
    return !part.empty() && part.find_first_not_of(
                                "abcdefghijklmnopqrstuvwxyz"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$") == std::string_view::npos;
  };
  const size_t dot = text.find('.');
  if (dot == std::string_view::npos || !is_identifier(text.substr(0, dot)) ||
      !is_identifier(text.substr(dot + 1))) {
    return Error{"\"" + std::string(text) +
                 "\" is not DATABASE.TABLE (letters, digits, '_' and '$' only)"};
  }
  return std::string(text);
}

Result<StatusRange> ParseStatusRange(std::string_view text) {
  auto number = [](std::string_view digits, int* out) {
    if (digits.size() != 3 || digits.find_first_not_of("0123456789") != std::string_view::npos) {
      return false;
    }
    *out = std::stoi(std::string(digits));
    return *out >= 100 && *out <= 599;
  };
  const size_t dash = text.find('-');
  StatusRange range;
  const bool ok =
      dash == std::string_view::npos
          ? number(text, &range.low) && number(text, &range.high)
          : number(text.substr(0, dash), &range.low) && number(text.substr(dash + 1), &range.high);
  if (!ok || range.low > range.high) {
    return Error{"\"" + std::string(text) +
                 "\" is not a status or range of statuses like \"200-299\" (within 100..599)"};
  }
  return range;
}

void ReadExpectStatus(TableReader& table, HttpProbeSpec* spec) {
  const toml::node* node = table.Node("expect_status");
  if (node == nullptr) return;
  const std::string path = table.KeyPath("expect_status");
  if (!node->is_array() || node->as_array()->empty()) {
    table.ErrorAt(node->source(), path,
                  "expected a non-empty array of statuses (200) or ranges (\"200-299\")");
    return;
  }
  std::vector<StatusRange> ranges;
  const toml::array& array = *node->as_array();
  for (size_t i = 0; i < array.size(); ++i) {
    const toml::node& element = array[i];
    const std::string element_path = path + "[" + std::to_string(i) + "]";
    if (const auto* code = element.as_integer()) {
      if (code->get() < 100 || code->get() > 599) {
        table.ErrorAt(element.source(), element_path,
                      std::to_string(code->get()) + " is not an HTTP status (100..599)");
        continue;
      }
      ranges.push_back({static_cast<int>(code->get()), static_cast<int>(code->get())});
    } else if (const auto* text = element.as_string()) {
      auto range = ParseStatusRange(text->get());
      if (!range) {
        table.ErrorAt(element.source(), element_path, range.error());
        continue;
      }
      ranges.push_back(*range);
    } else {
      table.ErrorAt(element.source(), element_path,
                    "expected a status (200) or a range (\"200-299\"), got " +
                        std::string(DescribeType(element.type())));
    }
  }
  spec->expect_status = ranges;
}

TcpProbeSpec ReadTcp(TableReader& table) {
  TcpProbeSpec spec;
  table.Require("targets", "a list of \"IP:PORT\" that must all accept a connection");
  if (auto v = table.ParsedList<Endpoint>("targets", Endpoint::Parse)) {
    if (v->empty()) {
      table.ErrorAt(table.Node("targets")->source(), table.KeyPath("targets"),
                    "must list at least one \"IP:PORT\"");
    }
    spec.targets = *v;
  }
  return spec;
}

HttpProbeSpec ReadHttp(TableReader& table) {
  HttpProbeSpec spec;
  table.Require("url", "e.g. \"http://127.0.0.1/\"");
  if (auto v = table.Parsed<std::string>("url", ParseUrl)) spec.url = *v;
  ReadExpectStatus(table, &spec);
  if (auto v = table.String("expect_body")) spec.expect_body = *v;
  if (auto v = table.Parsed<std::string>("host", ParseHostHeader)) spec.host_header = *v;
  if (auto v = table.Bool("tls_verify")) {
    spec.tls_verify = *v;
    if (*v && spec.url.starts_with("http://")) {
      table.ErrorAt(table.Node("tls_verify")->source(), table.KeyPath("tls_verify"),
                    "applies only to https:// URLs, and the url is http://");
    }
  }
  return spec;
}

// argv without a shell, or one string for /bin/sh -c with shell = true;
// the other two combinations are mistakes, and the message says which fix.
ExecProbeSpec ReadExec(TableReader& table) {
  ExecProbeSpec spec;
  if (auto v = table.Bool("shell")) spec.shell = *v;
  const toml::node* node = table.Node("command");
  const std::string path = table.KeyPath("command");
  if (node == nullptr) {
    table.Require("command",
                  spec.shell ? "a string for /bin/sh -c" : "the argv, an array of strings");
  } else if (const auto* text = node->as_string()) {
    if (!spec.shell) {
      table.ErrorAt(node->source(), path,
                    "a single string needs `shell = true` (it then runs via /bin/sh -c); "
                    "without a shell write the argv as an array, e.g. [\"/usr/local/bin/check\", "
                    "\"--quiet\"]");
    } else if (text->get().empty()) {
      table.ErrorAt(node->source(), path, "must not be empty");
    }
    spec.command = {text->get()};
  } else if (node->is_array()) {
    if (spec.shell) {
      table.ErrorAt(node->source(), path,
                    "with `shell = true` the command is one string for /bin/sh -c; "
                    "remove `shell` to run this array as argv without a shell");
    }
    if (auto argv = table.StringList("command")) {
      for (const LocatedString& arg : *argv) spec.command.push_back(arg.text);
      if (argv->empty() || argv->front().text.empty()) {
        table.ErrorAt(node->source(), path, "argv[0], the program to run, must not be empty");
      }
    }
  } else {
    table.ErrorAt(node->source(), path,
                  "expected an array of strings (argv) or, with `shell = true`, a string; got " +
                      std::string(DescribeType(node->type())));
  }
  return spec;
}

// socket/address/credentials, shared by the database probe kinds.
void ReadMysqlConnection(TableReader& table, std::string* socket, std::optional<Endpoint>* address,
                         std::string* credentials) {
  const bool has_socket = table.Has("socket");
  const bool has_address = table.Has("address");
  if (auto v = table.Parsed<std::string>("socket", ParseAbsolutePath)) *socket = *v;
  if (auto v = table.Parsed<Endpoint>("address", Endpoint::Parse)) *address = *v;
  if (has_socket && has_address) {
    table.ErrorAt(table.Node("address")->source(), table.KeyPath("address"),
                  "`socket` is set too; set exactly one of `socket` (a unix socket path) or "
                  "`address` (\"IP:PORT\")");
  } else if (!has_socket && !has_address) {
    table.ErrorAtTable(
        "missing `socket` (a unix socket path) or `address` (\"IP:PORT\"); exactly one is "
        "required");
  }
  if (auto v = table.Parsed<std::string>("credentials", ParseAbsolutePath)) *credentials = *v;
}

MysqlProbeSpec ReadMysql(TableReader& table) {
  MysqlProbeSpec spec;
  ReadMysqlConnection(table, &spec.socket, &spec.address, &spec.credentials);
  if (auto v = table.Duration("max_lag", milliseconds(0), hours(1))) spec.max_lag = *v;
  if (auto v = table.Parsed<std::string>("heartbeat_table", ParseTableName)) {
    spec.heartbeat_table = *v;
  }
  if (auto v = table.Bool("semi_sync_fatal")) spec.semi_sync_fatal = *v;
  if (auto v = table.Bool("replication_required")) spec.replication_required = *v;
  return spec;
}

GaleraProbeSpec ReadGalera(TableReader& table) {
  GaleraProbeSpec spec;
  ReadMysqlConnection(table, &spec.socket, &spec.address, &spec.credentials);
  if (auto v = table.Bool("available_when_donor")) spec.available_when_donor = *v;
  return spec;
}

// A probe must finish before the next attempt is due.
void CheckTimeoutFitsInterval(TableReader& table, const ProbeConfig& probe) {
  if (probe.timeout <= probe.interval) return;
  const bool timeout_set = table.Has("timeout");
  const std::string_view key = timeout_set ? "timeout" : "interval";
  table.ErrorAt(table.Node(key)->source(), table.KeyPath(key),
                std::string(timeout_set ? "" : "the default ") + "timeout " +
                    FormatDuration(probe.timeout) + " exceeds interval " +
                    FormatDuration(probe.interval) + " (timeout must not exceed interval)");
}

}  // namespace

std::optional<ProbeConfig> ReadProbeSection(TableReader& table) {
  ProbeConfig probe;
  probe.name = table.name();
  const size_t errors_before = table.error_count();
  if (auto v = table.Duration("interval", milliseconds(100), hours(1))) probe.interval = *v;
  if (auto v = table.Duration("timeout", milliseconds(10), hours(1))) probe.timeout = *v;
  if (table.error_count() == errors_before) CheckTimeoutFitsInterval(table, probe);
  if (auto v = table.Integer("rise", 1, 100)) probe.rise = static_cast<int>(*v);
  if (auto v = table.Integer("fall", 1, 100)) probe.fall = static_cast<int>(*v);

  if (!table.Require("type", "one of tcp, http, exec, mysql, galera")) return std::nullopt;
  const std::optional<std::string> type = table.String("type");
  if (!type) return std::nullopt;
  if (*type == "tcp") {
    probe.spec = ReadTcp(table);
  } else if (*type == "http") {
    probe.spec = ReadHttp(table);
  } else if (*type == "exec") {
    probe.spec = ReadExec(table);
  } else if (*type == "mysql") {
    probe.spec = ReadMysql(table);
  } else if (*type == "galera") {
    probe.spec = ReadGalera(table);
  } else {
    table.ErrorAt(table.Node("type")->source(), table.KeyPath("type"),
                  "\"" + *type + "\" is not a probe type (one of tcp, http, exec, mysql, galera)");
    return std::nullopt;
  }
  table.ReportUnknownKeys("for " + std::string(*type == "http" ? "an " : "a ") + *type + " probe");
  return probe;
}

}  // namespace rsagent::conf
