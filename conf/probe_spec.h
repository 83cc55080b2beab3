// A probe kind's own settings, whatever the kind: each kind's reader
// (probes/probe_kinds.cc) stores its spec struct here, and its factory takes
// it back out, so conf/ needs no list of kinds. Compared by value, so a
// reload can tell a changed probe from an unchanged one.
#pragma once

#include <any>
#include <concepts>
#include <type_traits>
#include <utility>

namespace rsagent::conf {

class ProbeSpec {
 public:
  ProbeSpec() = default;
  template <typename Spec>
  requires(!std::same_as<std::decay_t<Spec>, ProbeSpec>)
      ProbeSpec(Spec spec)  // NOLINT: implicit, `probe.spec = TcpProbeSpec{...}` reads well
      : value_(std::move(spec)), equal_(&EqualAs<std::decay_t<Spec>>) {}

  // The spec when it is a `Spec`, else null.
  template <typename Spec>
  const Spec* As() const {
    return std::any_cast<Spec>(&value_);
  }
  bool empty() const { return !value_.has_value(); }

  friend bool operator==(const ProbeSpec& a, const ProbeSpec& b) {
    if (a.equal_ != b.equal_) return false;  // empty, or specs of different kinds
    return a.equal_ == nullptr || a.equal_(a.value_, b.value_);
  }

 private:
  template <typename Spec>
  static bool EqualAs(const std::any& a, const std::any& b) {
    return *std::any_cast<Spec>(&a) == *std::any_cast<Spec>(&b);
  }

  std::any value_;
  bool (*equal_)(const std::any&, const std::any&) = nullptr;
};

}  // namespace rsagent::conf
