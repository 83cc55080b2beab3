#include "pair/writer_state.h"

#include <nlohmann/json.hpp>

#include "common/atomic_file.h"
#include "common/json_dump.h"

namespace rsagent::pair {

namespace {

constexpr int kFormatVersion = 1;

}  // namespace

std::string SerializeWriterState(const WriterState& s) {
  const WriterRole stored = s.role == WriterRole::kCandidate ? WriterRole::kStandby : s.role;
  nlohmann::json doc{{"version", kFormatVersion},
                     {"role", WriterRoleName(stored)},
                     {"term", s.term},
                     {"writer_term", s.writer_term},
                     {"mysqld_started", s.mysqld_started},
                     {"fenced", s.fenced},
                     {"note", s.note}};
  return DumpJson(doc, 2) + "\n";
}

Result<WriterState> ParseWriterState(const std::string& text) {
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || doc.value("version", 0) != kFormatVersion) {
    return Error{"expected a JSON object with \"version\": " + std::to_string(kFormatVersion)};
  }
  auto field = [&](const char* key) -> const nlohmann::json* {
    auto it = doc.find(key);
    return it == doc.end() ? nullptr : &*it;
  };
  const auto* role = field("role");
  const auto* term = field("term");
  const auto* writer_term = field("writer_term");
  const auto* started = field("mysqld_started");
  const auto* fenced = field("fenced");
  const auto* note = field("note");
  if (!role || !role->is_string() || !term || !term->is_number_unsigned() || !writer_term ||
      !writer_term->is_number_unsigned() || !started || !started->is_number_integer() || !fenced ||
      !fenced->is_boolean() || !note || !note->is_string()) {
    return Error{"expected role, term, writer_term, mysqld_started, fenced and note"};
  }
  WriterState s;
  const std::string name = role->get<std::string>();
  if (name == "standby") {
    s.role = WriterRole::kStandby;
  } else if (name == "writer") {
    s.role = WriterRole::kWriter;
  } else if (name == "handover") {
    s.role = WriterRole::kHandover;
  } else {
    return Error{"role \"" + name + "\" (expected standby, writer or handover)"};
  }
  s.term = term->get<uint64_t>();
  s.writer_term = writer_term->get<uint64_t>();
  s.mysqld_started = started->get<int64_t>();
  s.fenced = fenced->get<bool>();
  s.note = note->get<std::string>();
  return s;
}

WriterStateStore::WriterStateStore(std::string state_dir)
    : dir_(std::move(state_dir)), path_(dir_ + "/writer.json") {}

Result<WriterState> WriterStateStore::Load() const {
  ASSIGN_OR_RETURN(auto text, ReadFileIfExists(path_));
  if (!text.has_value()) return WriterState{};
  auto state = ParseWriterState(*text);
  if (!state.ok()) return Error{path_ + ": " + state.error()};
  return state;
}

Status WriterStateStore::Save(const WriterState& state) const {
  return ReplaceFileAtomically(dir_, path_, SerializeWriterState(state), 0640);
}

}  // namespace rsagent::pair
