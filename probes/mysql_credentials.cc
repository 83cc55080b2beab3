#include "probes/mysql_credentials.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace rsagent::probes {

namespace {

constexpr const char* kSpace = " \t\r\n\v\f";

std::string Trim(const std::string& s) {
  size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// mysys's remove_end_comment: '#' outside quotes ends the line (';' does not).
std::string RemoveEndComment(const std::string& line) {
  char quote = 0;
  bool escape = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if ((c == '\'' || c == '"') && !escape) {
      if (!quote) {
        quote = c;
      } else if (quote == c) {
        quote = 0;
      }
    }
    if (!quote && c == '#') return line.substr(0, i);
    escape = quote && c == '\\' && !escape;
  }
  return line;
}

// One pair of matching outer quotes goes, then the escapes mysys knows.
std::string Value(const std::string& raw) {
  std::string value = Trim(raw);
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    value = value.substr(1, value.size() - 2);
  }
  std::string out;
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '\\' || i + 1 == value.size()) {
      out += value[i];
      continue;
    }
    switch (const char c = value[++i]) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 's':
        out += ' ';
        break;
      case '"':
      case '\'':
      case '\\':
        out += c;
        break;
      default:
        out += '\\';
        out += c;  // unknown: the backslash stays
    }
  }
  return out;
}

// The groups a client library reads (libmariadb's defaults for a program
// that names none of its own), case-insensitively as mysys compares them.
bool ClientGroup(const std::string& name) {
  const std::string lower = Lower(name);
  return lower == "client" || lower == "client-server" || lower == "client-mariadb";
}

std::string Octal(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// A directive's name as an error quotes it, bounded: the line may be
// anything (fuzz.credentials found a 4 KiB one quoted whole).
std::string DirectiveName(const std::string& line) {
  constexpr size_t kShown = 40;
  std::string name = line.substr(0, line.find_first_of(kSpace));
  if (name.size() > kShown) name = name.substr(0, kShown) + "...";
  return name;
}

}  // namespace

Result<MysqlCredentials> ParseMysqlOptionFile(const std::string& text) {
  MysqlCredentials credentials;
  bool in_client = false, has_user = false;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    line = Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    const std::string where = "line " + std::to_string(number) + ": ";
    if (line[0] == '!') {
      // mysys reads the named files; following them here would need the
      // same ownership and mode checks for each, so it is refused instead.
      if (line.starts_with("!include")) {
        return Error{where + DirectiveName(line) +
                     " is not supported in a credentials file: put user= and password= in "
                     "this file"};
      }
      return Error{where + "unknown directive " + DirectiveName(line)};
    }
    if (line[0] == '[') {
      const size_t end = line.find(']');
      if (end == std::string::npos) return Error{where + "group without a closing ]"};
      in_client = ClientGroup(Trim(line.substr(1, end - 1)));
      continue;
    }
    if (!in_client) continue;
    line = RemoveEndComment(line);
    const size_t eq = line.find('=');
    std::string key = Lower(Trim(line.substr(0, eq)));
    for (char& c : key) c = c == '-' ? '_' : c;
    const std::string value = eq == std::string::npos ? "" : Value(line.substr(eq + 1));
    // Later lines win, as they do for the client (options apply in order).
    if (key == "user") {
      credentials.user = value;
      has_user = true;
    } else if (key == "password") {
      credentials.password = value;
    }
  }
  if (!has_user || credentials.user.empty()) {
    return Error{"no user= in its [client] (or [client-server], [client-mariadb]) group"};
  }
  return credentials;
}

Result<MysqlCredentials> LoadMysqlCredentials(const std::string& path, uid_t agent_uid) {
  // O_NOFOLLOW + fstat: the checks apply to the file we then read.
  // O_NONBLOCK: a FIFO in its place must not hang the probe (refused below).
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return Error{"mysql credentials " + path + ": " + std::strerror(errno)};
  struct stat st {};
  std::string text;
  std::string problem;
  if (fstat(fd, &st) != 0) {
    problem = std::strerror(errno);
  } else if (!S_ISREG(st.st_mode)) {
    problem = "not a regular file";
  } else if (st.st_uid != 0 && st.st_uid != agent_uid) {
    problem = "owned by uid " + std::to_string(st.st_uid) + ", not root or the agent's uid " +
              std::to_string(agent_uid) + " (chown root " + path + ")";
  } else if ((st.st_mode & 077) != 0) {
    problem =
        "mode " + Octal(st.st_mode) + " lets group or others access it (chmod 600 " + path + ")";
  } else {
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0 && text.size() < (1 << 16)) text.append(buf, n);
    if (n < 0) problem = std::strerror(errno);
  }
  close(fd);
  if (!problem.empty()) return Error{"mysql credentials " + path + ": " + problem};
  auto credentials = ParseMysqlOptionFile(text);
  if (!credentials.ok()) return Error{"mysql credentials " + path + ": " + credentials.error()};
  return credentials;
}

}  // namespace rsagent::probes
