// The probe user's credentials, from a MySQL option file's [client] group
// (user=, password=). The file must be private: a password that group or
// others can read, or that someone else could rewrite, is refused. The
// password never leaves this struct except into mysql_real_connect.
#pragma once

#include <sys/types.h>

#include <string>

#include "common/result.h"

namespace rsagent::probes {

struct MysqlCredentials {
  std::string user;
  std::string password;  // never logged
};

// Refuses a file that is not a regular file, is owned by neither root nor
// `agent_uid`, or has any group/other permission bit; errors name the file
// and the fix ("chmod 600 /etc/rsagent/mysql.cnf"), never its content.
Result<MysqlCredentials> LoadMysqlCredentials(const std::string& path, uid_t agent_uid);

// The user/password of an option file's text, read as the mysql/mariadb
// client reads it (mysys my_default.c, checked against my_print_defaults in
// the tests): groups [client], [client-server], [client-mariadb], names
// case-insensitive; keys case-insensitive with `-` = `_`; `#`/`;` comment
// lines, a `#` outside quotes ends a line (`;` does not); one pair of outer
// quotes removed; \n \t \r \b \s \" \' \\ escapes; the last occurrence
// wins. `!include`/`!includedir` are refused by name (the included files
// would escape the permission checks).
Result<MysqlCredentials> ParseMysqlOptionFile(const std::string& text);

}  // namespace rsagent::probes
