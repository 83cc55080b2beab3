#include "health/snapshot.h"

namespace rsagent::agent {

const char* AdminStateName(AdminState state) {
  switch (state) {
    case AdminState::kNone: return "none";
    case AdminState::kDrain: return "drain";
    case AdminState::kMaint: return "maint";
  }
  return "none";
}

const CheckView* ProbeView::Find(const std::string& role) const {
  for (const auto& check : checks) {
    if (check.role == role) return &check;
  }
  return nullptr;
}

const ServiceView* Snapshot::FindService(const std::string& name) const {
  for (const auto& service : services) {
    if (service.name == name) return &service;
  }
  return nullptr;
}

}  // namespace rsagent::agent
