#include "health/hysteresis.h"

namespace rsagent::agent {

bool Hysteresis::Observe(bool ok) {
  if (ok == up_) {
    pending_ = 0;
    return false;
  }
  ++pending_;
  if (pending_ < (up_ ? fall_ : rise_)) return false;
  up_ = ok;
  pending_ = 0;
  return true;
}

bool Hysteresis::ForceDown() {
  pending_ = 0;
  if (!up_) return false;
  up_ = false;
  return true;
}

}  // namespace rsagent::agent
