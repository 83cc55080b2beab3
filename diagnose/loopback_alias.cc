#include "diagnose/loopback_alias.h"

#include <arpa/inet.h>

#include <map>
#include <sstream>

namespace rsagent::agent::diagnose {

namespace {

std::string Trim(std::string s) {
  const auto begin = s.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const auto end = s.find_last_not_of(" \t\r");
  return s.substr(begin, end - begin + 1);
}

std::string Unquote(std::string s) {
  s = Trim(s);
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    s = s.substr(1, s.size() - 2);
  }
  return s;
}

std::vector<std::string> Words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// "/sbin/ifconfig" -> "ifconfig".
std::string Command(const std::string& word) { return word.substr(word.rfind('/') + 1); }

bool IsLoopbackAddress(const std::string& address) {
  return address.rfind("127.", 0) == 0 || address == "::1";
}

bool IsLoDevice(const std::string& device) {
  return device == "lo" || device.rfind("lo:", 0) == 0;
}

// "192.168.1.100/32" -> address and prefix; "192.168.1.100" -> prefix -1.
void SplitCidr(const std::string& text, std::string* address, int* prefix) {
  const auto slash = text.find('/');
  *address = text.substr(0, slash);
  *prefix = slash == std::string::npos ? -1 : std::atoi(text.c_str() + slash + 1);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

int NetmaskPrefix(const std::string& netmask) {
  in_addr mask{};
  if (inet_pton(AF_INET, netmask.c_str(), &mask) != 1) return -1;
  const uint32_t bits = ntohl(mask.s_addr);
  int prefix = 0;
  while (prefix < 32 && (bits & (0x80000000u >> prefix))) ++prefix;
  const uint32_t expected = prefix == 0 ? 0 : ~0u << (32 - prefix);
  return bits == expected ? prefix : -1;
}

// KEY=value; IPADDR/NETMASK/PREFIX, also numbered (IPADDR1, PREFIX1, ...).
std::vector<LoopbackAlias> ParseIfcfg(const std::string& file, const std::string& text) {
  std::map<std::string, std::pair<std::string, int>> values;  // key -> value, line
  const auto lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string line = Trim(lines[i]);
    const auto eq = line.find('=');
    if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
    values[Trim(line.substr(0, eq))] = {Unquote(line.substr(eq + 1)), static_cast<int>(i) + 1};
  }
  auto get = [&](const std::string& key) {
    auto it = values.find(key);
    return it == values.end() ? std::string{} : it->second.first;
  };
  std::string device = get("DEVICE");
  if (device.empty()) {
    const auto slash = file.rfind('/');
    const std::string base = file.substr(slash == std::string::npos ? 0 : slash + 1);
    if (base.rfind("ifcfg-", 0) == 0) device = base.substr(6);
  }
  if (!IsLoDevice(device)) return {};
  std::vector<LoopbackAlias> out;
  for (const std::string suffix : {"", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}) {
    auto ip = values.find("IPADDR" + suffix);
    if (ip == values.end() || ip->second.first.empty()) continue;
    if (IsLoopbackAddress(ip->second.first)) continue;
    int prefix = -1;
    if (std::string p = get("PREFIX" + suffix); !p.empty()) prefix = std::atoi(p.c_str());
    if (std::string m = get("NETMASK" + suffix); prefix < 0 && !m.empty()) prefix = NetmaskPrefix(m);
    out.push_back({AliasSource::kIfcfg, file, ip->second.second, device, ip->second.first, prefix});
  }
  return out;
}

// [connection] interface-name=lo ... [ipv4] address1=ADDR/PREFIX[,GATEWAY].
std::vector<LoopbackAlias> ParseNmKeyfile(const std::string& file, const std::string& text) {
  std::string section, interface;
  std::vector<LoopbackAlias> candidates;
  const auto lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string line = Trim(lines[i]);
    if (line.empty() || line[0] == '#') continue;
    if (line.front() == '[' && line.back() == ']') {
      section = line.substr(1, line.size() - 2);
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = Trim(line.substr(0, eq)), value = Trim(line.substr(eq + 1));
    if (section == "connection" && key == "interface-name") interface = value;
    if ((section == "ipv4" || section == "ipv6") && key.rfind("address", 0) == 0) {
      LoopbackAlias alias{AliasSource::kNetworkManager, file, static_cast<int>(i) + 1, "lo"};
      SplitCidr(value.substr(0, value.find(',')), &alias.address, &alias.prefix);
      if (!IsLoopbackAddress(alias.address)) candidates.push_back(alias);
    }
  }
  return IsLoDevice(interface) ? candidates : std::vector<LoopbackAlias>{};
}

// `iface lo:0 inet static` + `address X[/N]` [+ `netmask M`], and inside any
// stanza `up|post-up ip addr add X/N dev lo [label lo:0]` or
// `up ifconfig lo:0 X netmask M`.
std::vector<LoopbackAlias> ParseInterfaces(const std::string& file, const std::string& text) {
  std::vector<LoopbackAlias> out;
  std::string stanza;       // the iface of the current stanza, "" outside
  int pending = -1;         // index of the stanza's address, for a later netmask
  const auto lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto w = Words(lines[i]);
    const int n = static_cast<int>(i) + 1;
    if (w.empty() || w[0][0] == '#') continue;
    if (w[0] == "iface" || w[0] == "auto" || w[0] == "allow-hotplug" || w[0] == "mapping" ||
        w[0] == "source" || w[0] == "source-directory") {
      pending = -1;
      stanza = w[0] == "iface" && w.size() > 1 ? w[1] : "";
      continue;
    }
    if (w[0] == "address" && w.size() > 1 && IsLoDevice(stanza)) {
      LoopbackAlias alias{AliasSource::kIfupdown, file, n, stanza};
      SplitCidr(w[1], &alias.address, &alias.prefix);
      if (IsLoopbackAddress(alias.address)) continue;
      out.push_back(alias);
      pending = static_cast<int>(out.size()) - 1;
    } else if (w[0] == "netmask" && w.size() > 1 && pending >= 0 && out[pending].prefix < 0) {
      out[pending].prefix = NetmaskPrefix(w[1]);
    } else if (w[0] == "up" || w[0] == "post-up" || w[0] == "pre-up") {
      // ip addr add X/N dev lo [label L]
      for (size_t k = 1; k + 3 < w.size(); ++k) {
        if (Command(w[k]) != "ip" || (w[k + 1] != "addr" && w[k + 1] != "address" && w[k + 1] != "a") ||
            w[k + 2] != "add")
          continue;
        LoopbackAlias alias{AliasSource::kIfupdown, file, n, ""};
        SplitCidr(w[k + 3], &alias.address, &alias.prefix);
        for (size_t j = k + 4; j + 1 < w.size(); ++j) {
          if (w[j] == "dev") alias.label = alias.label.empty() ? w[j + 1] : alias.label;
          if (w[j] == "label") alias.label = w[j + 1];
        }
        if (IsLoDevice(alias.label) && !IsLoopbackAddress(alias.address)) out.push_back(alias);
      }
      // ifconfig lo:0 X [netmask M]
      for (size_t k = 1; k + 2 < w.size(); ++k) {
        if (Command(w[k]) != "ifconfig" || !IsLoDevice(w[k + 1])) continue;
        LoopbackAlias alias{AliasSource::kIfupdown, file, n, w[k + 1]};
        SplitCidr(w[k + 2], &alias.address, &alias.prefix);
        for (size_t j = k + 3; j + 1 < w.size(); ++j) {
          if (w[j] == "netmask") alias.prefix = NetmaskPrefix(w[j + 1]);
        }
        if (!IsLoopbackAddress(alias.address)) out.push_back(alias);
      }
    }
  }
  return out;
}

// network: ethernets: lo: addresses: [A/N, ...] or a "- A/N" list below it.
// Indentation-based, enough for what netplan files hold.
std::vector<LoopbackAlias> ParseNetplan(const std::string& file, const std::string& text) {
  std::vector<LoopbackAlias> out;
  int lo_indent = -1, addresses_indent = -1;
  const auto lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& raw = lines[i];
    const std::string line = Trim(raw.substr(0, raw.find('#')));
    if (line.empty()) continue;
    const int indent = static_cast<int>(raw.find_first_not_of(' '));
    if (lo_indent >= 0 && indent <= lo_indent) lo_indent = -1;
    if (addresses_indent >= 0 && indent <= addresses_indent && line[0] != '-') {
      addresses_indent = -1;
    }
    if (line == "lo:") {
      lo_indent = indent;
      continue;
    }
    auto add = [&](std::string item) {
      item = Unquote(item);
      LoopbackAlias alias{AliasSource::kNetplan, file, static_cast<int>(i) + 1, "lo"};
      SplitCidr(item, &alias.address, &alias.prefix);
      if (!alias.address.empty() && !IsLoopbackAddress(alias.address)) out.push_back(alias);
    };
    if (lo_indent < 0) continue;
    if (line.rfind("addresses:", 0) == 0) {
      std::string rest = Trim(line.substr(10));
      if (rest.empty()) {
        addresses_indent = indent;
        continue;
      }
      if (rest.front() == '[') rest = rest.substr(1, rest.find(']') - 1);
      std::istringstream items(rest);
      for (std::string item; std::getline(items, item, ',');) add(item);
    } else if (addresses_indent >= 0 && line[0] == '-') {
      add(line.substr(1));
    }
  }
  return out;
}

}  // namespace rsagent::agent::diagnose
