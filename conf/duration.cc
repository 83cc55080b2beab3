#include "conf/duration.h"

#include <charconv>
#include <cstdint>
#include <limits>

namespace rsagent::conf {
namespace {

struct Unit {
  std::string_view suffix;
  int64_t millis;
};

// Longest suffix first so "ms" is not read as "m" followed by garbage.
constexpr Unit kUnits[] = {{"ms", 1}, {"h", 3'600'000}, {"m", 60'000}, {"s", 1000}};

Error Invalid(std::string_view text, std::string_view why) {
  return Error{"\"" + std::string(text) + "\" is not a duration (" + std::string(why) +
               "; write e.g. \"250ms\", \"1.5s\", \"2m\", \"1h\")"};
}

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  const Unit* unit = nullptr;
  for (const Unit& u : kUnits) {
    if (text.ends_with(u.suffix)) {
      unit = &u;
      break;
    }
  }
  if (unit == nullptr) return Invalid(text, "missing unit ms, s, m or h");
  const std::string_view number = text.substr(0, text.size() - unit->suffix.size());
  if (number.starts_with('-')) return Invalid(text, "negative");

  const size_t dot = number.find('.');
  const std::string_view whole = number.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : number.substr(dot + 1);
  if (!AllDigits(whole) || (dot != std::string_view::npos && !AllDigits(fraction))) {
    return Invalid(text, "expected a number followed by a unit");
  }

  // Integer arithmetic throughout: "0.1s" must be exactly 100ms.
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t whole_value = 0;
  auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), whole_value);
  int64_t millis = 0;
  if (ec != std::errc() || __builtin_mul_overflow(whole_value, unit->millis, &millis)) {
    return Invalid(text, "too large");
  }
  // More fraction digits than this cannot be a whole number of milliseconds
  // for any unit, and would overflow the scale below.
  if (fraction.size() > 7) return Invalid(text, "finer than a millisecond");
  int64_t scale = 1;
  int64_t fraction_value = 0;
  for (char c : fraction) {
    scale *= 10;
    fraction_value = fraction_value * 10 + (c - '0');
  }
  const int64_t fraction_scaled = fraction_value * unit->millis;
  if (fraction_scaled % scale != 0) return Invalid(text, "finer than a millisecond");
  if (millis > kMax - fraction_scaled / scale) return Invalid(text, "too large");
  return std::chrono::milliseconds(millis + fraction_scaled / scale);
}

std::string FormatDuration(std::chrono::milliseconds d) {
  const int64_t ms = d.count();
  if (ms == 0) return "0s";
  for (const Unit& u : {kUnits[1], kUnits[2], kUnits[3]}) {
    if (ms % u.millis == 0) return std::to_string(ms / u.millis) + std::string(u.suffix);
  }
  return std::to_string(ms) + "ms";
}

}  // namespace rsagent::conf
