// How servers spell a boolean setting. One place, because they disagree:
// "ON"/"1" everywhere, and MariaDB 12 widened read_only to an enum whose
// NO_LOCK and NO_LOCK_NO_ADMIN forbid writes just like ON.
#pragma once

#include <string_view>

namespace rsagent::probes {

// ON, 1, YES, TRUE (any case) for a boolean variable.
bool IsOn(std::string_view value);

// OFF or 0 (any case). super_read_only is ON unless it is this: a value we
// cannot read must not let writes through.
bool IsOff(std::string_view value);

// read_only: anything but OFF/0 forbids ordinary writes (ON, NO_LOCK,
// NO_LOCK_NO_ADMIN on MariaDB 12+). Empty (the variable was not read) is OFF.
bool IsReadOnly(std::string_view value);

}  // namespace rsagent::probes
