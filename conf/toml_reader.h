// Reading typed values out of toml++ tables with precise, collected errors.
// Internal to conf/: nothing outside the loader sees TOML.
#pragma once

#include "conf/toml.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "conf/config.h"
#include "conf/config_loader.h"

namespace rsagent::conf {

// Every problem found in one file, each with its position.
class ErrorList {
 public:
  explicit ErrorList(std::string file) : file_(std::move(file)) {}

  void Add(const toml::source_region& where, std::string message);
  void AddUnpositioned(std::string message);
  size_t size() const { return errors_.size(); }
  // In file order, so the output reads top to bottom like the file.
  std::vector<ConfigError> Take() &&;

 private:
  std::string file_;
  std::vector<ConfigError> errors_;
};

// A string value with its dotted path and position, for checks made later
// (a service naming a missing probe points at the list element).
struct LocatedString {
  std::string text;
  std::string path;  // "service.web.probes[1]"
  toml::source_region where;
};

class TableReader {
 public:
  // `path` is the table's dotted name ("probe.nginx"), "" for the root.
  TableReader(const toml::table& table, std::string path, std::string name, ErrorList* errors);

  const std::string& path() const { return path_; }
  const std::string& name() const { return name_; }  // the last part of path
  std::string KeyPath(std::string_view key) const;
  bool Has(std::string_view key) const { return table_->contains(key); }
  size_t error_count() const { return errors_->size(); }

  // Each getter marks `key` as known and returns nullopt when it is absent
  // or invalid. Invalid values are reported at the value; absence is not.
  std::optional<bool> Bool(std::string_view key);
  std::optional<int64_t> Integer(std::string_view key, int64_t min, int64_t max);
  std::optional<std::string> String(std::string_view key);
  std::optional<Millis> Duration(std::string_view key, Millis min, Millis max);
  std::optional<std::vector<LocatedString>> StringList(std::string_view key);
  // Untyped, for keys that take several shapes; the caller reports.
  const toml::node* Node(std::string_view key);

  // A string turned into T by `parse` (a Result<T>(std::string_view)).
  template <typename T, typename Parse>
  std::optional<T> Parsed(std::string_view key, Parse parse);
  // Same for each element of a string list; duplicates are errors.
  template <typename T, typename Parse>
  std::optional<std::vector<T>> ParsedList(std::string_view key, Parse parse);

  // The sub-tables of `key` ([probe.NAME]), in file order, each name
  // checked against [A-Za-z0-9_-]+.
  std::vector<TableReader> NamedTables(std::string_view key);

  // Reports `key` missing, at the table header; false when it is.
  bool Require(std::string_view key, std::string_view expected);
  void ErrorAt(const toml::source_region& where, const std::string& path, std::string_view message);
  void ErrorAtTable(std::string_view message) { ErrorAt(table_->source(), path_, message); }
  // Every key no getter asked for, with the closest known key as a hint.
  // `context` qualifies the message, e.g. "for a tcp probe".
  void ReportUnknownKeys(std::string_view context = {});

 private:
  const toml::node* Find(std::string_view key);
  void WrongType(const toml::node& node, std::string_view key, std::string_view expected);

  const toml::table* table_;
  std::string path_;
  std::string name_;
  ErrorList* errors_;
  std::vector<std::string> known_;
};

// "an integer", "a string", ... for messages.
std::string_view DescribeType(toml::node_type type);

template <typename T, typename Parse>
std::optional<T> TableReader::Parsed(std::string_view key, Parse parse) {
  const toml::node* node = Find(key);
  std::optional<std::string> text = String(key);
  if (!text) return std::nullopt;
  Result<T> value = parse(*text);
  if (!value) {
    ErrorAt(node->source(), KeyPath(key), value.error());
    return std::nullopt;
  }
  return std::move(value).value();
}

template <typename T, typename Parse>
std::optional<std::vector<T>> TableReader::ParsedList(std::string_view key, Parse parse) {
  std::optional<std::vector<LocatedString>> texts = StringList(key);
  if (!texts) return std::nullopt;
  std::vector<T> values;
  std::vector<size_t> indexes;  // of each value in `texts`, for duplicate messages
  bool ok = true;
  for (size_t i = 0; i < texts->size(); ++i) {
    const LocatedString& text = (*texts)[i];
    Result<T> value = parse(text.text);
    if (!value) {
      ErrorAt(text.where, text.path, value.error());
      ok = false;
      continue;
    }
    for (size_t j = 0; j < values.size(); ++j) {
      if (values[j] == *value) {
        ErrorAt(text.where, text.path, "duplicate of " + (*texts)[indexes[j]].path);
        ok = false;
      }
    }
    values.push_back(std::move(value).value());
    indexes.push_back(i);
  }
  if (!ok) return std::nullopt;
  return values;
}

}  // namespace rsagent::conf
