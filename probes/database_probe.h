// The frame every cluster database probe kind shares (galera,
// group_replication): one kept session (mysql_session.h) that heals itself;
// per attempt SELECT 1, then the kind's statements until the first that
// fails (its error is the facts' error, and a refusal for lack of a privilege
// says the state is unknown and names the grant); then the kind's verdicts
// and report, and the connects. A kind is its facts (deriving
// DatabaseFacts), its spec, its statements (Read), its verdicts (Judge) and
// its report; its constructors are the frame's.
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "conf/probe_kind_reader.h"
#include "probes/database_facts.h"
#include "probes/mysql_session.h"
#include "probes/probe.h"
#include "probes/probe_outcome.h"

namespace rsagent::probes {

struct DatabaseVerdicts {
  Outcome member;  // the probe's own outcome, for a service without a role
  Outcome writer;
  Outcome reader;
};

// The statements of one attempt, all bounded by its deadline.
class DatabaseStatements {
 public:
  DatabaseStatements(MysqlSession& session, Clock::time_point deadline)
      : session_(session), deadline_(deadline) {}

  Result<std::vector<MysqlRow>> Run(std::string_view sql);
  // The same; a refusal for lack of a privilege is "`state` unknown: ..."
  // naming `grant` (e.g. "SELECT ON performance_schema.t"), never a state.
  Result<std::vector<MysqlRow>> RunNeeding(std::string_view sql, std::string_view state,
                                           std::string_view grant);

 private:
  MysqlSession& session_;
  const Clock::time_point deadline_;
};

// Why `what` failed, never empty: the verdicts read an empty error as "no
// failure", and a server (or the client library) may give no message.
std::string FailureText(const std::string& error, std::string_view what);

// Every one of `names` has a value in `variables` (SHOW GLOBAL VARIABLES'
// reply), else "NAME unknown: ...": a missing or empty read_only must never
// read as OFF (writable).
Status RequireVariables(const NameValueMap& variables, std::initializer_list<const char*> names);

// SELECT 1 (connecting when needed), then `read`, the kind's statements, into
// `facts`; an error with no text still reads as one ("... failed (no error
// message)"): the verdicts take an empty error for success.
void GatherDatabaseFacts(MysqlSession& session, Clock::time_point deadline, DatabaseFacts* facts,
                         const std::function<Status(DatabaseStatements&)>& read);

// rsagent_mysql_up, and the error and version details. True when the kind's
// facts were read, so its own report follows; after a failure it reports
// nothing more (no stale or default values).
bool ReportDatabaseFacts(const DatabaseFacts& facts, ProbeResult* result);

// A session on a real server (the mysql probe's reconnect backoff).
std::unique_ptr<MysqlSession> MakeDatabaseSession(const conf::MysqlServer& server);

// Reads a kind's `socket` / `address` (exactly one) and `credentials`.
void ReadDatabaseServer(conf::TableReader& table, conf::MysqlServer* server);

// Spec: the kind's [probe.NAME] keys, a conf::MysqlServer (its server) and more.
template <typename Facts, typename Spec>
class DatabaseProbe : public Probe {
 public:
  explicit DatabaseProbe(Spec spec) : DatabaseProbe(spec, MakeDatabaseSession(spec)) {}
  DatabaseProbe(Spec spec, std::unique_ptr<MysqlSession> session)
      : spec_(std::move(spec)), session_(std::move(session)) {}

  ProbeResult Attempt(Clock::time_point deadline) final;

 protected:
  const Spec& spec() const { return spec_; }

 private:
  // Fills the kind's part of `facts`; the first error ends the attempt's reading.
  virtual Status Read(DatabaseStatements& statements, Facts* facts) = 0;
  virtual DatabaseVerdicts Judge(const Facts& facts) const = 0;
  virtual void Report(const Facts& facts, ProbeResult* result) const = 0;  // after the common part

  const Spec spec_;
  std::unique_ptr<MysqlSession> session_;
};

template <typename Facts, typename Spec>
ProbeResult DatabaseProbe<Facts, Spec>::Attempt(Clock::time_point deadline) {
  const Clock::time_point start = Clock::now();
  Facts facts;
  GatherDatabaseFacts(*session_, deadline, &facts,
                      [&](DatabaseStatements& statements) { return Read(statements, &facts); });
  const DatabaseVerdicts verdicts = Judge(facts);
  ProbeResult result = verdicts.member.ok ? Passed(start, verdicts.member.reason)
                                          : Failed(start, verdicts.member.reason);
  result.roles["writer"] = verdicts.writer;
  result.roles["reader"] = verdicts.reader;
  if (ReportDatabaseFacts(facts, &result)) Report(facts, &result);
  result.details["connects"] = std::to_string(session_->connects());
  return result;
}

}  // namespace rsagent::probes
