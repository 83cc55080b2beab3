#include "health/cpu_pressure.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

namespace rsagent::agent {

namespace {

// The value after `key` on `line`, up to the next space; empty when absent.
std::string Field(std::string_view line, std::string_view key) {
  const size_t at = line.find(key);
  if (at == std::string_view::npos || (at > 0 && line[at - 1] != ' ')) return "";
  const std::string_view rest = line.substr(at + key.size());
  return std::string(rest.substr(0, rest.find(' ')));
}

}  // namespace

std::optional<CpuPressure> ParseCpuPressure(std::string_view text) {
  if (text.rfind("some ", 0) != 0) return std::nullopt;
  const std::string_view line = text.substr(0, text.find('\n'));
  const std::string avg10 = Field(line, "avg10=");
  const std::string total = Field(line, "total=");
  if (avg10.empty() || total.empty() || total[0] == '-') return std::nullopt;
  char* end = nullptr;
  CpuPressure out;
  out.avg10_percent = std::strtod(avg10.c_str(), &end);
  // Written so that NaN fails too.
  if (*end != '\0' || !(out.avg10_percent >= 0 && out.avg10_percent <= 100)) return std::nullopt;
  out.total_us = std::strtoull(total.c_str(), &end, 10);
  if (*end != '\0') return std::nullopt;
  return out;
}

std::optional<CpuPressure> ReadCpuPressure(const std::string& path) {
  // A procfs file: one read returns it whole and never blocks.
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buf[256];
  const ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  if (n <= 0) return std::nullopt;
  return ParseCpuPressure(std::string_view(buf, static_cast<size_t>(n)));
}

}  // namespace rsagent::agent
