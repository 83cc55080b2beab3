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

struct TypeName {
  const char* operator()(const TcpProbeSpec&) const { return "tcp"; }
  const char* operator()(const HttpProbeSpec&) const { return "http"; }
  const char* operator()(const ExecProbeSpec&) const { return "exec"; }
  const char* operator()(const MysqlProbeSpec&) const { return "mysql"; }
  const char* operator()(const GaleraProbeSpec&) const { return "galera"; }
};

}  // namespace

const ProbeConfig* Config::FindProbe(const std::string& name) const {
  return FindByName(probes, name);
}

const ServiceConfig* Config::FindService(const std::string& name) const {
  return FindByName(services, name);
}

const char* ProbeTypeName(const ProbeSpec& spec) { return std::visit(TypeName{}, spec); }

bool ReportsRoles(const ProbeSpec& spec) {
  return std::holds_alternative<MysqlProbeSpec>(spec) ||
         std::holds_alternative<GaleraProbeSpec>(spec);
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

}  // namespace rsagent::conf
