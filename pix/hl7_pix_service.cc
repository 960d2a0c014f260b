// ITI-8 / ITI-9 over HL7 v2 (see hl7_pix_service.h).
#include "pix/hl7_pix_service.h"

#include <set>

#include "audit/transaction_events.h"
#include "common/log.h"
#include "common/utc_time.h"
#include "pix/pix_query.h"

namespace renkei::pix {

namespace {

bool SupportedVersion(const std::string& v) {
  return v.size() >= 3 && v[0] == '2' && v[1] == '.' && v[2] >= '3' && v[2] <= '9';
}

// The HL7 error code for a parse failure (Table 0357).
std::string ParseErrorCode(const Status& st) {
  if (st.detail() == "hl7.charset") return "103";  // MSH-18 names no supported set
  if (st.detail() == "hl7.bytes") return "102";
  if (st.location() == "MSH-2") return "102";
  return "100";
}

// The segment `id` as the message carried it (its bytes up to the segment's CR), or "".
std::string RawSegment(const std::string& bytes, const std::string& id) {
  size_t at = 0;
  while (at < bytes.size()) {
    size_t end = bytes.find_first_of("\r\n", at);
    if (end == std::string::npos) end = bytes.size();
    if (end - at > id.size() && bytes.compare(at, id.size(), id) == 0) {
      return bytes.substr(at, end - at);
    }
    at = end + 1;
  }
  return "";
}

AckError ToAckError(const Status& st) {
  return AckError{st.detail(), st.location(), st.message()};
}

}  // namespace

Hl7PixService::Hl7PixService(IdentityStore& store, Domains domains, std::string application,
                             std::string facility)
    : store_(store), domains_(std::move(domains)), application_(std::move(application)),
      facility_(std::move(facility)) {
  for (const auto& [ns, oid] : domains_.namespace_to_oid) oid_to_namespace_[oid] = ns;
}

Hl7PixService::Hl7PixService(IdentityStore& store, Domains domains, std::string application,
                             std::string facility, Hl7AuditOptions audit)
    : Hl7PixService(store, std::move(domains), std::move(application), std::move(facility)) {
  audit_ = std::move(audit);
}

void Hl7PixService::Record(const hl7::Message& m, const AuditNote& note, bool query,
                           const Peer& peer) const {
  if (audit_.audit == nullptr) return;
  const hl7::Segment* msh = m.Find("MSH");
  audit::Exchange x;
  if (msh != nullptr) {
    const std::string app = msh->Value(3, 1, 1);
    const std::string ns = msh->Value(4, 1, 1);
    const std::string universal = msh->Value(4, 1, 2);
    x.requester_user_id = app + "|" + ns;
    x.requesting_facility = universal.empty() ? ns : universal;
  }
  if (peer.source == Peer::Source::kCertificate) x.requesting_facility = peer.facility_oid;
  x.requester_address = peer.address.substr(0, peer.address.rfind(':'));
  x.responder_user_id = application_ + "|" + facility_;
  x.audit_source_id = audit_.audit_source_id;
  x.audit_site = audit_.audit_site;
  x.outcome = note.outcome;
  x.outcome_description = note.problem;
  const std::string msh10 = msh != nullptr ? msh->Value(10, 1, 1) : "";
  if (query) {
    audit_.audit->Record(audit::PixQuery(x, note.patient_cx, note.qpd, msh10));
  } else {
    const std::string event = m.TriggerEvent();
    const char* action = event == "A08" || event == "A40" ? "U" : "C";
    audit_.audit->Record(audit::PatientIdentityFeed(x, note.patient_cx, action, msh10));
  }
}

AckContext Hl7PixService::Context() {
  AckContext c;
  c.application = application_;
  c.facility = facility_;
  c.control_id = "RENKEI" + std::to_string(next_control_++);
  c.timestamp = UtcNow(kHl7DtmUtc);
  return c;
}

bool Hl7PixService::Resolve(Cx* cx, const std::string& sending_facility) const {
  if (!cx->oid.empty()) {
    // An OID and a namespace that names another OID: the sender contradicts itself.
    auto it = domains_.namespace_to_oid.find(cx->namespace_id);
    return cx->namespace_id.empty() || it == domains_.namespace_to_oid.end() ||
           it->second == cx->oid;
  }
  if (!cx->namespace_id.empty()) {
    auto it = domains_.namespace_to_oid.find(cx->namespace_id);
    if (it == domains_.namespace_to_oid.end()) return false;
    cx->oid = it->second;
    return true;
  }
  auto it = domains_.facility_default_oid.find(sending_facility);
  if (it == domains_.facility_default_oid.end()) return false;
  cx->oid = it->second;
  return true;
}

bool Hl7PixService::Known(const std::string& oid) const {
  for (const auto& [ns, configured] : domains_.namespace_to_oid) {
    if (configured == oid) return true;
  }
  for (const auto& [facility, configured] : domains_.facility_default_oid) {
    if (configured == oid) return true;
  }
  auto seen = store_.KnowsDomain(oid);
  return seen.ok() && *seen;
}

std::string Hl7PixService::Encoded(const hl7::Message& m) {
  auto bytes = hl7::Encode(m);
  if (bytes.ok()) return *bytes;
  // A reply text not representable in the sender's character set: answer in UTF-8.
  hl7::Message copy = m;
  copy.set_charset(hl7::Charset::kUtf8);
  auto utf8 = hl7::Encode(copy);
  return utf8.ok() ? *utf8 : std::string();
}

std::string Hl7PixService::Handle(const std::string& bytes, const Peer& peer) {
  auto parsed = hl7::Parse(bytes);
  if (!parsed.ok()) {
    LogInfo("pix: unparsable HL7 message: " + parsed.status().ToString());
    AckError e{ParseErrorCode(parsed.status()), parsed.status().location(),
               parsed.status().message()};
    if (e.location.rfind("MSH-", 0) == 0) e.location = "MSH^1^" + e.location.substr(4);
    if (e.location.rfind("segment ", 0) == 0) e.location.clear();
    return Encoded(MakeRejectForUnparsable(bytes, e, Context()));
  }
  const hl7::Message& m = *parsed;
  if (!SupportedVersion(m.Version())) {
    return Encoded(MakeAck(m, AckCode::kReject,
                           {{"203", "MSH^1^12", "unsupported HL7 version '" + m.Version() + "'"}},
                           Context()));
  }
  const std::string type = m.MessageCode();
  const std::string event = m.TriggerEvent();
  if (type == "ADT") {
    static const std::set<std::string> kFeedEvents = {"A01", "A04", "A05", "A08", "A40"};
    if (kFeedEvents.count(event) == 0) {
      return Encoded(MakeAck(m, AckCode::kReject,
                             {{"201", "MSH^1^9^1^2",
                               "ADT^" + event + " is not a Patient Identity Feed event (A01, A04, "
                                                "A05, A08, A40)"}},
                             Context()));
    }
    AuditNote note;
    std::string reply = Feed(m, &note);
    Record(m, note, false, peer);
    return reply;
  }
  if (type == "QBP" && event == "Q23") {
    AuditNote note;
    note.qpd = RawSegment(bytes, "QPD");
    std::string reply = Query(m, &note);
    Record(m, note, true, peer);
    return reply;
  }
  if (type == "QBP") {
    return Encoded(MakeAck(m, AckCode::kReject,
                           {{"201", "MSH^1^9^1^2", "QBP^" + event + " is not supported (QBP^Q23 is)"}},
                           Context()));
  }
  return Encoded(MakeAck(m, AckCode::kReject,
                         {{"200", "MSH^1^9^1^1", "message type '" + type + "' is not supported"}},
                         Context()));
}

std::string Hl7PixService::Feed(const hl7::Message& m, AuditNote* note) {
  auto fail = [&](const std::vector<AckError>& errors) {
    note->outcome = 8;
    if (!errors.empty()) note->problem = errors.front().code + " " + errors.front().text;
    return Encoded(MakeAck(m, AckCode::kError, errors, Context()));
  };
  auto decoded = DecodePatientFeed(m);
  if (!decoded.ok()) return fail({ToAckError(decoded.status())});
  PatientFeed feed = std::move(decoded.value());
  if (!feed.identifiers.empty()) note->patient_cx = FormatCx(feed.identifiers.front());
  const std::string sender = m.Find("MSH")->Value(4, 1, 1);
  std::vector<AckError> errors;
  for (size_t i = 0; i < feed.identifiers.size(); ++i) {
    if (!Resolve(&feed.identifiers[i], sender)) {
      errors.push_back({"204", "PID^1^3^" + std::to_string(i + 1) + "^4",
                        "unknown assigning authority for identifier " + feed.identifiers[i].id});
    }
  }
  for (size_t i = 0; i < feed.merged.size(); ++i) {
    if (!Resolve(&feed.merged[i], sender)) {
      errors.push_back({"204", "MRG^1^1^" + std::to_string(i + 1) + "^4",
                        "unknown assigning authority for identifier " + feed.merged[i].id});
    }
  }
  if (!errors.empty()) return fail(errors);
  note->patient_cx = FormatCx(feed.identifiers.front());
  auto result = feed.event == "A40" ? store_.Merge(feed) : store_.Feed(feed);
  if (!result.ok()) {
    const Status& st = result.status();
    if (st.code() == StatusCode::kInternal || st.code() == StatusCode::kUnavailable) {
      LogError("pix: identity store: " + st.ToString());
      return fail({{"207", "", "internal error; retry later"}});
    }
    return fail({ToAckError(st)});
  }
  return Encoded(MakeAck(m, AckCode::kAccept, {}, Context()));
}

std::string Hl7PixService::Query(const hl7::Message& m, AuditNote* note) {
  auto decoded = DecodePixQuery(m);
  if (!decoded.ok()) {
    note->outcome = 8;
    note->problem = decoded.status().message();
    return Encoded(MakeAck(m, AckCode::kError, {ToAckError(decoded.status())}, Context()));
  }
  PixQuery q = std::move(decoded.value());
  note->patient_cx = FormatCx(q.person);
  const std::string sender = m.Find("MSH")->Value(4, 1, 1);
  PixAnswer answer;
  answer.status = PixQueryStatus::kError;
  if (!Resolve(&q.person, sender)) {
    answer.errors.push_back({"204", "QPD^1^3^1^4", "unknown assigning authority of QPD-3"});
  }
  for (size_t i = 0; i < q.wanted_domains.size(); ++i) {
    if (!Resolve(&q.wanted_domains[i], "") || !Known(q.wanted_domains[i].oid)) {
      answer.errors.push_back({"204", "QPD^1^4^" + std::to_string(i + 1),
                               "unknown domain in QPD-4 repetition " + std::to_string(i + 1)});
    }
  }
  if (answer.errors.empty()) {
    auto linked = store_.CrossReference(q.person);
    if (!linked.ok()) {
      answer.errors.push_back({"204", "QPD^1^3^1^1", "unknown patient identifier " + q.person.id});
    } else {
      answer.status = PixQueryStatus::kNotFound;
      for (const Cx& id : *linked) {
        bool wanted = false;
        if (q.wanted_domains.empty()) {
          wanted = id.oid != q.person.oid;  // every other domain
        } else {
          for (const Cx& d : q.wanted_domains) wanted = wanted || d.oid == id.oid;
        }
        if (!wanted) continue;
        Cx out = id;
        auto ns = oid_to_namespace_.find(id.oid);
        if (ns != oid_to_namespace_.end()) out.namespace_id = ns->second;
        answer.identifiers.push_back(std::move(out));
      }
      if (!answer.identifiers.empty()) answer.status = PixQueryStatus::kOk;
    }
  }
  if (answer.status == PixQueryStatus::kError) {
    note->outcome = 8;
    if (!answer.errors.empty()) {
      note->problem = answer.errors.front().code + " " + answer.errors.front().text;
    }
  }
  if (!q.person.oid.empty()) note->patient_cx = FormatCx(q.person);
  return Encoded(MakePixResponse(m, q, answer, Context()));
}

}  // namespace renkei::pix
