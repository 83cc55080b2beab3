#include "conf/config.h"

#include <algorithm>

namespace rsagent::conf {
namespace {

template <typename T>
const T* FindByName(const std::vector<T>& items, const std::string& name) {
  auto it =
      std::find_if(items.begin(), items.end(), [&](const T& item) { return item.name == name; });
  return it == items.end() ? nullptr : &*it;
}

}  // namespace

const ProbeConfig* Config::FindProbe(const std::string& name) const {
  return FindByName(probes, name);
}

const ServiceConfig* Config::FindService(const std::string& name) const {
  return FindByName(services, name);
}

const char* RoleName(Role role) {
  switch (role) {
    case Role::kNone:
      return "";
    case Role::kWriter:
      return "writer";
    case Role::kReader:
      return "reader";
  }
  return "";
}

const char* WeightByName(WeightBy by) {
  switch (by) {
    case WeightBy::kNone:
      return "";
    case WeightBy::kConnections:
      return "connections";
    case WeightBy::kCpu:
      return "cpu";
  }
  return "";
}

}  // namespace rsagent::conf
