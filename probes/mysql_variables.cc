#include "probes/mysql_variables.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace rsagent::probes {

namespace {

std::string Upper(std::string_view value) {
  std::string text(value);
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

}  // namespace

bool IsOn(std::string_view value) {
  const std::string text = Upper(value);
  return text == "ON" || text == "1" || text == "YES" || text == "TRUE";
}

bool IsOff(std::string_view value) {
  const std::string text = Upper(value);
  return text == "OFF" || text == "0";
}

bool IsReadOnly(std::string_view value) { return !value.empty() && !IsOff(value); }

}  // namespace rsagent::probes
