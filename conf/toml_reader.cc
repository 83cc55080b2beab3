#include "conf/toml_reader.h"

#include <algorithm>

#include "common/safe_text.h"
#include "conf/duration.h"
#include "conf/spelling.h"

namespace rsagent::conf {
namespace {

// Bounds for what an error quotes from the file.
constexpr size_t kMaxPathInError = 160;
constexpr size_t kMaxMessage = 1024;

int ToInt(toml::source_index index) { return static_cast<int>(index); }

bool IsValidName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

bool Before(const toml::source_position& a, const toml::source_position& b) {
  return a.line != b.line ? a.line < b.line : a.column < b.column;
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const std::string& word : words) out += (out.empty() ? "" : ", ") + word;
  return out;
}

}  // namespace

// Every message may quote the file (keys, values, toml++'s descriptions):
// made safe for the terminal and bounded here, once.
void ErrorList::Add(const toml::source_region& where, std::string message) {
  errors_.push_back({file_, ToInt(where.begin.line), ToInt(where.begin.column),
                     SafeText(message, kMaxMessage)});
}

void ErrorList::AddUnpositioned(std::string message) {
  errors_.push_back({file_, 0, 0, SafeText(message, kMaxMessage)});
}

std::vector<ConfigError> ErrorList::Take() && {
  std::stable_sort(errors_.begin(), errors_.end(), [](const ConfigError& a, const ConfigError& b) {
    return a.line != b.line ? a.line < b.line : a.column < b.column;
  });
  return std::move(errors_);
}

std::string_view DescribeType(toml::node_type type) {
  switch (type) {
    case toml::node_type::none:
      return "nothing";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
  }
  return "an unknown type";
}

TableReader::TableReader(const toml::table& table, std::string path, std::string name,
                         ErrorList* errors)
    : table_(&table), path_(std::move(path)), name_(std::move(name)), errors_(errors) {}

std::string TableReader::KeyPath(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const toml::node* TableReader::Find(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
  return table_->get(key);
}

const toml::node* TableReader::Node(std::string_view key) { return Find(key); }

void TableReader::ErrorAt(const toml::source_region& where, const std::string& path,
                          std::string_view message) {
  // A key may be a megabyte long: the path is cut short enough to leave
  // room for the message (ErrorList makes both safe).
  errors_->Add(where, SafeText(path, kMaxPathInError) + ": " + std::string(message));
}

void TableReader::WrongType(const toml::node& node, std::string_view key,
                            std::string_view expected) {
  ErrorAt(node.source(), KeyPath(key),
          "expected " + std::string(expected) + ", got " + std::string(DescribeType(node.type())));
}

std::optional<bool> TableReader::Bool(std::string_view key) {
  const toml::node* node = Find(key);
  if (node == nullptr) return std::nullopt;
  if (!node->is_boolean()) {
    WrongType(*node, key, "true or false");
    return std::nullopt;
  }
  return node->as_boolean()->get();
}

std::optional<int64_t> TableReader::Integer(std::string_view key, int64_t min, int64_t max) {
  const toml::node* node = Find(key);
  if (node == nullptr) return std::nullopt;
  if (!node->is_integer()) {
    WrongType(*node, key, "an integer");
    return std::nullopt;
  }
  const int64_t value = node->as_integer()->get();
  if (value < min || value > max) {
    ErrorAt(node->source(), KeyPath(key),
            std::to_string(value) + " is out of range (expected " + std::to_string(min) + ".." +
                std::to_string(max) + ")");
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> TableReader::String(std::string_view key) {
  const toml::node* node = Find(key);
  if (node == nullptr) return std::nullopt;
  if (!node->is_string()) {
    WrongType(*node, key, "a string");
    return std::nullopt;
  }
  return node->as_string()->get();
}

std::optional<Millis> TableReader::Duration(std::string_view key, Millis min, Millis max) {
  const toml::node* node = Find(key);
  if (node == nullptr) return std::nullopt;
  if (!node->is_string()) {
    WrongType(*node, key, "a duration string with a unit, like \"500ms\" or \"2s\"");
    return std::nullopt;
  }
  auto value = ParseDuration(node->as_string()->get());
  if (!value) {
    ErrorAt(node->source(), KeyPath(key), value.error());
    return std::nullopt;
  }
  if (*value < min || *value > max) {
    ErrorAt(node->source(), KeyPath(key),
            FormatDuration(*value) + " is out of range (expected " + FormatDuration(min) + ".." +
                FormatDuration(max) + ")");
    return std::nullopt;
  }
  return *value;
}

std::optional<std::vector<LocatedString>> TableReader::StringList(std::string_view key) {
  const toml::node* node = Find(key);
  if (node == nullptr) return std::nullopt;
  if (!node->is_array()) {
    WrongType(*node, key, "an array of strings");
    return std::nullopt;
  }
  std::vector<LocatedString> out;
  bool ok = true;
  const toml::array& array = *node->as_array();
  for (size_t i = 0; i < array.size(); ++i) {
    const toml::node& element = array[i];
    std::string path = KeyPath(key) + "[" + std::to_string(i) + "]";
    if (!element.is_string()) {
      ErrorAt(element.source(), path,
              "expected a string, got " + std::string(DescribeType(element.type())));
      ok = false;
      continue;
    }
    out.push_back({element.as_string()->get(), std::move(path), element.source()});
  }
  if (!ok) return std::nullopt;
  return out;
}

std::vector<TableReader> TableReader::NamedTables(std::string_view key) {
  std::vector<TableReader> out;
  const toml::node* node = Find(key);
  if (node == nullptr) return out;
  const std::string path = KeyPath(key);
  if (!node->is_table()) {
    WrongType(*node, key, "tables [" + path + ".NAME]");
    return out;
  }
  for (const auto& [name_key, value] : *node->as_table()) {
    const std::string name(name_key.str());
    const std::string child_path = path + "." + name;
    if (!IsValidName(name)) {
      ErrorAt(name_key.source(), path + ".\"" + name + "\"",
              "invalid name (use letters, digits, '_' and '-')");
    } else if (!value.is_table()) {
      ErrorAt(
          value.source(), child_path,
          "expected a table [" + child_path + "], got " + std::string(DescribeType(value.type())));
    } else {
      out.emplace_back(*value.as_table(), child_path, name, errors_);
    }
  }
  // toml++ keeps keys sorted; the config model promises file order.
  std::stable_sort(out.begin(), out.end(), [](const TableReader& a, const TableReader& b) {
    return Before(a.table_->source().begin, b.table_->source().begin);
  });
  return out;
}

bool TableReader::Require(std::string_view key, std::string_view expected) {
  if (Has(key)) return true;
  ErrorAtTable("missing required key `" + std::string(key) + "` (" + std::string(expected) + ")");
  return false;
}

void TableReader::ReportUnknownKeys(std::string_view context) {
  for (const auto& [key, value] : *table_) {
    if (std::find(known_.begin(), known_.end(), key.str()) != known_.end()) continue;
    std::string message = "unknown key";
    if (!context.empty()) message += " " + std::string(context);
    const std::string suggestion = ClosestSpelling(key.str(), known_);
    if (!suggestion.empty()) {
      message += "; did you mean `" + suggestion + "`?";
    } else {
      message += " (expected one of: " + Join(known_) + ")";
    }
    ErrorAt(key.source(), KeyPath(key.str()), message);
  }
}

}  // namespace rsagent::conf
