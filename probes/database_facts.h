// What every database probe kind's facts begin with (mysql_facts.h and the
// cluster kinds of database_probe.h derive from it).
#pragma once

#include <string>

namespace rsagent::probes {

struct DatabaseFacts {
  bool answers = false;  // SELECT 1 came back
  std::string error;     // why not, or why a later statement failed
  std::string version;
};

}  // namespace rsagent::probes
