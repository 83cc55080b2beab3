#include "pair/gtid_position.h"

#include <charconv>

namespace rsagent::pair {

namespace {

std::string_view Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

template <typename T>
bool ParseNumber(std::string_view text, T* out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size();
}

std::string Format(uint32_t domain, const Gtid& gtid) {
  return std::to_string(domain) + "-" + std::to_string(gtid.server_id) + "-" +
         std::to_string(gtid.seq);
}

}  // namespace

Result<GtidPosition> GtidPosition::Parse(std::string_view text) {
  GtidPosition position;
  text = Trim(text);
  while (!text.empty()) {
    const size_t comma = text.find(',');
    const std::string_view entry = Trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    const size_t d1 = entry.find('-');
    const size_t d2 = d1 == std::string_view::npos ? d1 : entry.find('-', d1 + 1);
    uint32_t domain = 0;
    Gtid gtid;
    if (d2 == std::string_view::npos || !ParseNumber(entry.substr(0, d1), &domain) ||
        !ParseNumber(entry.substr(d1 + 1, d2 - d1 - 1), &gtid.server_id) ||
        !ParseNumber(entry.substr(d2 + 1), &gtid.seq)) {
      return Error{"\"" + std::string(entry) + "\" is not a GTID (domain-server-sequence)"};
    }
    if (!position.domains_.emplace(domain, gtid).second) {
      return Error{"domain " + std::to_string(domain) + " appears twice"};
    }
  }
  return position;
}

bool GtidPosition::Contains(const GtidPosition& other) const {
  return DescribeMissing(other).empty();
}

std::string GtidPosition::DescribeMissing(const GtidPosition& other) const {
  for (const auto& [domain, theirs] : other.domains_) {
    auto mine = domains_.find(domain);
    if (mine == domains_.end()) {
      return "domain " + std::to_string(domain) + ": have nothing, peer has " +
             Format(domain, theirs);
    }
    const bool diverged =
        mine->second.seq == theirs.seq && mine->second.server_id != theirs.server_id;
    if (mine->second.seq < theirs.seq || diverged) {
      return "domain " + std::to_string(domain) + ": have " + Format(domain, mine->second) +
             ", peer has " + Format(domain, theirs);
    }
  }
  return "";
}

std::string GtidPosition::ToString() const {
  std::string text;
  for (const auto& [domain, gtid] : domains_) {
    if (!text.empty()) text += ",";
    text += Format(domain, gtid);
  }
  return text;
}

}  // namespace rsagent::pair
