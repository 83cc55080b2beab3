// The config `rsagent run` uses when /etc/rsagent/rsagent.toml does not exist.
#include "conf/config_loader.h"

namespace rsagent::conf {
namespace {

// A plain nginx box. It binds no VIP because it cannot know one; a real
// deployment writes its own file (see conf/examples/).
constexpr std::string_view kDefaultConfig = R"toml(# rsagent embedded default: a plain nginx box.
# Write /etc/rsagent/rsagent.toml to configure VIPs and more services.
# The directors' HTTP_GET checkers ask GET /health/web on the default
# agent.listen port.

# nginx answers on its default site.
[probe.nginx]
type = "http"
url = "http://127.0.0.1/"

# nginx accepts connections on port 80.
[probe.port80]
type = "tcp"
targets = ["127.0.0.1:80"]

[service.web]
port = 80
probes = ["nginx", "port80"]
)toml";

}  // namespace

std::string_view DefaultConfigText() { return kDefaultConfig; }

}  // namespace rsagent::conf
