#include "pair/writer_report.h"

#include <gtest/gtest.h>

#include "common/safe_text.h"

namespace rsagent::pair {
namespace {

WriterReport Sample() {
  WriterReport r;
  r.service = "db-writer";
  r.role = WriterRole::kWriter;
  r.term = 7;
  r.writer_term = 7;
  r.server_id = 2;
  r.mysqld = Mysqld::kDead;
  r.ready = true;
  r.eligible = true;
  r.vouch = true;
  r.last_gtid = "1-1-20,2-2-9";
  r.reason = "writer (term 7)";
  return r;
}

TEST(WriterReport, RoundTrips) {
  auto parsed = ParseWriterReport(ToJson(Sample()).dump());
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_EQ(*parsed, Sample());
}

TEST(WriterReport, RejectsWhatIsNotAReport) {
  EXPECT_EQ(ParseWriterReport("UP\n").error(), "not a JSON object");
  EXPECT_EQ(ParseWriterReport("{}").error(), "not writer protocol 1");
  nlohmann::json doc = ToJson(Sample());
  doc.erase("term");
  EXPECT_EQ(ParseWriterReport(doc.dump()).error(), "field \"term\" missing or of the wrong type");
  doc = ToJson(Sample());
  doc["role"] = "leader";
  EXPECT_EQ(ParseWriterReport(doc.dump()).error(), "unknown role \"leader\"");
  doc = ToJson(Sample());
  doc["term"] = -1;
  EXPECT_FALSE(ParseWriterReport(doc.dump()).ok());
}

TEST(WriterReport, ThePeersTextComesOutSafe) {
  // The peer agent's report is outside input: its words reach our logs,
  // /status and the status table.
  nlohmann::json doc = ToJson(Sample());
  doc["reason"] = "ok\n\u001b[2J\r\nX-Injected: yes";
  doc["service"] = "db\u0007";
  doc["last_gtid"] = "1-1-1\u0000";
  auto parsed = ParseWriterReport(doc.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.error();
  EXPECT_TRUE(IsSafeText(parsed->reason)) << parsed->reason;
  EXPECT_TRUE(IsSafeText(parsed->service)) << parsed->service;
  EXPECT_TRUE(IsSafeText(parsed->last_gtid)) << parsed->last_gtid;
  doc = ToJson(Sample());
  doc["role"] = "writer\n\u001b]0;owned\u0007";
  EXPECT_TRUE(IsSafeText(ParseWriterReport(doc.dump()).error()));
}

}  // namespace
}  // namespace rsagent::pair
