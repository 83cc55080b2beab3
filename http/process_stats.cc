#include "http/process_stats.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace rsagent::agent {

namespace {

// The kernel writes plain numbers; anything else reads as 0, never throws.
double Num(const std::string& text) { return std::strtod(text.c_str(), nullptr); }

// Seconds since the epoch at boot, from /proc/stat's btime.
std::optional<double> BootTime() {
  std::ifstream in("/proc/stat");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime" && (in >> value)) return value;
    in.ignore(1 << 16, '\n');
  }
  return std::nullopt;
}

std::optional<double> OpenFds() {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return std::nullopt;
  double n = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++n;
  }
  closedir(dir);
  return n - 1;  // the directory's own descriptor
}

}  // namespace

std::optional<ProcessStats> ReadProcessStats() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  // comm may hold spaces and parentheses: fields start after the last ')'.
  const size_t close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(close + 2));
  std::string f[22];  // fields 3 .. 24 of proc(5)
  for (auto& field : f) {
    if (!(fields >> field)) return std::nullopt;
  }
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  const double page = static_cast<double>(sysconf(_SC_PAGESIZE));
  const auto boot = BootTime();
  const auto fds = OpenFds();
  rlimit limit{};
  if (!boot || !fds || ticks <= 0 || getrlimit(RLIMIT_NOFILE, &limit) != 0) return std::nullopt;
  ProcessStats s;
  s.cpu_seconds = (Num(f[11]) + Num(f[12])) / ticks;  // utime, stime
  s.start_time_seconds = *boot + Num(f[19]) / ticks;  // starttime
  s.virtual_bytes = Num(f[20]);                       // vsize
  s.resident_bytes = Num(f[21]) * page;               // rss, pages
  s.open_fds = *fds;
  s.max_fds = static_cast<double>(limit.rlim_cur);
  return s;
}

}  // namespace rsagent::agent
