#include "probes/mysql_credentials.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sstream>

namespace rsagent::probes {

namespace {

std::string Trim(const std::string& s) {
  const char* space = " \t\r";
  size_t begin = s.find_first_not_of(space);
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(space) - begin + 1);
}

std::string Unquote(const std::string& value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front()) {
    return value.substr(1, value.size() - 2);
  }
  return value;
}

std::string Octal(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

}  // namespace

Result<MysqlCredentials> ParseMysqlOptionFile(const std::string& text) {
  MysqlCredentials credentials;
  bool in_client = false, has_user = false;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    line = Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      in_client = Trim(line.substr(1, line.find(']') - 1)) == "client";
      continue;
    }
    if (!in_client) continue;
    size_t eq = line.find('=');
    std::string key = Trim(line.substr(0, eq));
    for (char& c : key) c = c == '-' ? '_' : c;
    std::string value = eq == std::string::npos ? "" : Unquote(Trim(line.substr(eq + 1)));
    if (key == "user") {
      credentials.user = value;
      has_user = true;
    } else if (key == "password") {
      credentials.password = value;
    }
  }
  if (!has_user || credentials.user.empty()) return Error{"no user= in its [client] group"};
  return credentials;
}

Result<MysqlCredentials> LoadMysqlCredentials(const std::string& path, uid_t agent_uid) {
  // O_NOFOLLOW + fstat: the checks apply to the file we then read.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
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
