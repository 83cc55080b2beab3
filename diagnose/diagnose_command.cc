#include "diagnose/diagnose_command.h"

#include <nlohmann/json.hpp>
#include <ostream>

#include "common/json_dump.h"
#include "conf/config_loader.h"
#include "probes/probe_kinds.h"

namespace rsagent::agent::diagnose {

namespace {

const char* Colour(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "\033[32m";
    case Verdict::kWarn:
      return "\033[33m";
    case Verdict::kFail:
      return "\033[31m";
  }
  return "";
}

// The config check: without a valid config no other check can run.
std::variant<conf::Config, Finding> CheckConfig(const std::string& path) {
  conf::LoadResult loaded = conf::LoadConfigFile(path, probes::ProbeKindReaders());
  if (!loaded.ok()) {
    std::string fix;
    for (const std::string& line : loaded.ErrorLines()) fix += (fix.empty() ? "" : "; ") + line;
    return Finding{
        "config", Verdict::kFail,
        path + ": " + std::to_string(loaded.errors().size()) + " error(s)",
        "edit the file: " + fix + "   (check with: rsagent check-config -c " + path + ")"};
  }
  return std::move(loaded).config();
}

}  // namespace

std::string FormatFindings(const std::vector<Finding>& findings, bool colour) {
  size_t width = 0;
  for (const auto& f : findings) width = std::max(width, f.check.size());
  std::string out;
  for (const auto& f : findings) {
    std::string verdict = VerdictName(f.verdict);
    if (colour) verdict = Colour(f.verdict) + verdict + "\033[0m";
    out +=
        verdict + "  " + f.check + std::string(width - f.check.size() + 2, ' ') + f.message + "\n";
    if (!f.fix.empty()) out += "      fix: " + f.fix + "\n";
  }
  return out;
}

std::string FindingsJson(const std::vector<Finding>& findings) {
  nlohmann::json checks = nlohmann::json::array();
  bool failed = false;
  for (const auto& f : findings) {
    failed = failed || f.verdict == Verdict::kFail;
    checks.push_back({{"check", f.check},
                      {"verdict", VerdictName(f.verdict)},
                      {"message", f.message},
                      {"fix", f.fix}});
  }
  return DumpJson(nlohmann::json{{"ok", !failed}, {"checks", checks}}, 2) + "\n";
}

int RunDiagnose(const DiagnoseOptions& options, Host& host, std::ostream& out) {
  std::vector<Finding> findings;
  auto config = CheckConfig(options.config_path);
  if (auto* finding = std::get_if<Finding>(&config)) {
    findings.push_back(*finding);
  } else {
    const auto& c = std::get<conf::Config>(config);
    findings.push_back({"config", Verdict::kPass,
                        c.source + ": " + std::to_string(c.probes.size()) + " probes, " +
                            std::to_string(c.services.size()) + " services",
                        ""});
    for (const auto& check : AllChecks()) {
      for (auto& f : check->Run(c, host)) findings.push_back(std::move(f));
    }
  }
  out << (options.json ? FindingsJson(findings) : FormatFindings(findings, options.colour));
  for (const auto& f : findings) {
    if (f.verdict == Verdict::kFail) return 1;
  }
  return 0;
}

}  // namespace rsagent::agent::diagnose
