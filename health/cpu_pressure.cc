#include "health/cpu_pressure.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>

namespace rsagent::agent {

std::optional<double> ParseCpuPressure(const std::string& text) {
  // "some avg10=1.23 avg60=0.50 avg300=0.10 total=12345\n" (then a "full" line)
  if (text.rfind("some ", 0) != 0) return std::nullopt;
  const size_t at = text.find("avg10=");
  const size_t eol = text.find('\n');
  if (at == std::string::npos || (eol != std::string::npos && at > eol)) return std::nullopt;
  const char* begin = text.c_str() + at + 6;
  char* end = nullptr;
  const double value = std::strtod(begin, &end);
  if (end == begin || (*end != ' ' && *end != '\n' && *end != '\0')) return std::nullopt;
  if (value < 0 || value > 100) return std::nullopt;
  return value;
}

std::optional<double> ReadCpuPressure() {
  // A procfs file: one read returns it whole and never blocks.
  const int fd = open("/proc/pressure/cpu", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  char buf[256];
  const ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return std::nullopt;
  return ParseCpuPressure(std::string(buf, static_cast<size_t>(n)));
}

}  // namespace rsagent::agent
