// A database server's replies written as text, so a fuzz target can feed
// arbitrary result rows to a probe and its seeds can be real servers'
// replies (`mysql -B` output, which this format extends):
//
//   version 10.11.6-MariaDB-0+deb12u1     directives first, one per line:
//   down connect: No such file            NAME REST (the target says which it reads)
//   @variables                            a reply to the statements of class "variables"
//   Variable_name<TAB>Value               its header: the column names
//   read_only<TAB>OFF                     a row; \N is NULL; a short row lacks the
//   @replica                              last columns; a second reply of a class
//   !1064 You have an error ...           answers the next statement of it; a "!"
//                                         line makes the reply an error (number, text)
//
// Values and names take mysql's escapes (\t \n \\ \0) and \*N, which repeats
// the byte before it N more times (N <= 1,000,000), so short inputs can carry
// huge strings.
#pragma once

#include <charconv>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/mysql_row.h"

namespace rsagent::fuzz {

struct DbReply {
  std::optional<unsigned> error_code;  // set: the statement failed
  std::string error_text;
  std::vector<std::string> columns;
  std::vector<probes::MysqlRow> rows;
};

struct DbReplies {
  std::map<std::string, std::string, std::less<>> directives;  // first of each name wins
  std::map<std::string, std::deque<DbReply>, std::less<>> replies;

  // The next reply to a statement of `kind`; nullopt when the script has no more.
  std::optional<DbReply> Next(std::string_view kind) {
    auto it = replies.find(kind);
    if (it == replies.end() || it->second.empty()) return std::nullopt;
    DbReply reply = std::move(it->second.front());
    it->second.pop_front();
    return reply;
  }
};

namespace db_replies_internal {

inline constexpr size_t kMaxRepeat = 1'000'000;

// One field with its escapes undone; nullopt for \N.
inline std::optional<std::string> Unescape(std::string_view field) {
  if (field == "\\N") return std::nullopt;
  std::string out;
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\' || i + 1 == field.size()) {
      out += field[i];
      continue;
    }
    const char c = field[++i];
    if (c == 'n') {
      out += '\n';
    } else if (c == 't') {
      out += '\t';
    } else if (c == '0') {
      out += '\0';
    } else if (c == '*') {
      size_t n = 0;
      const char* begin = field.data() + i + 1;
      auto [end, ec] = std::from_chars(begin, field.data() + field.size(), n);
      if (ec == std::errc()) i += static_cast<size_t>(end - begin);
      if (!out.empty() && ec == std::errc()) out.append(std::min(n, kMaxRepeat), out.back());
    } else {
      out += c;
    }
  }
  return out;
}

inline std::vector<std::string_view> Split(std::string_view line, char separator) {
  std::vector<std::string_view> parts;
  for (;;) {
    const size_t at = line.find(separator);
    parts.push_back(line.substr(0, at));
    if (at == std::string_view::npos) return parts;
    line.remove_prefix(at + 1);
  }
}

}  // namespace db_replies_internal

inline DbReplies ParseDbReplies(std::string_view text) {
  using namespace db_replies_internal;
  DbReplies script;
  DbReply* reply = nullptr;
  bool header = false;
  for (std::string_view line : Split(text, '\n')) {
    if (line.starts_with('@')) {
      reply = &script.replies[std::string(line.substr(1))].emplace_back();
      header = true;
      continue;
    }
    if (reply == nullptr) {
      const size_t space = line.find(' ');
      script.directives.emplace(std::string(line.substr(0, space)),
                                space == std::string_view::npos ? "" : line.substr(space + 1));
      continue;
    }
    if (line.starts_with('!')) {
      unsigned code = 0;
      auto [end, ec] = std::from_chars(line.data() + 1, line.data() + line.size(), code);
      reply->error_code = code;
      reply->error_text = std::string(end, line.data() + line.size());
      continue;
    }
    std::vector<std::string_view> fields = Split(line, '\t');
    if (header) {
      for (std::string_view f : fields) reply->columns.push_back(Unescape(f).value_or("NULL"));
      header = false;
      continue;
    }
    probes::MysqlRow& row = reply->rows.emplace_back();
    for (size_t i = 0; i < fields.size() && i < reply->columns.size(); ++i) {
      row[reply->columns[i]] = Unescape(fields[i]);
    }
  }
  return script;
}

}  // namespace rsagent::fuzz
