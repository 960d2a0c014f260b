// ITI-8 ADT -> PatientFeed (see patient_feed.h).
#include "pix/patient_feed.h"

namespace renkei::pix {

namespace {

std::vector<Cx> ReadCxList(const hl7::Segment& seg, int field, std::vector<Cx>* removed) {
  std::vector<Cx> out;
  for (int r = 1; r <= seg.Repetitions(field); ++r) {
    Cx cx;
    cx.id = seg.Value(field, r, 1);
    cx.namespace_id = seg.Value(field, r, 4, 1);
    if (seg.Value(field, r, 4, 3) == "ISO" || !seg.Value(field, r, 4, 2).empty()) {
      cx.oid = seg.Value(field, r, 4, 2);
    }
    cx.type_code = seg.Value(field, r, 5);
    if (hl7::IsNull(cx.id)) {
      cx.id.clear();
      if (removed) removed->push_back(std::move(cx));
      continue;
    }
    if (cx.id.empty()) continue;
    out.push_back(std::move(cx));
  }
  return out;
}

std::string Phone(const hl7::Segment& seg, int field, int r) {
  if (!seg.Value(field, r, 1).empty()) return seg.Value(field, r, 1);
  if (!seg.Value(field, r, 12).empty()) return seg.Value(field, r, 12);
  const std::string& area = seg.Value(field, r, 6);
  const std::string& local = seg.Value(field, r, 7);
  if (local.empty()) return "";
  return area.empty() ? local : area + "-" + local;
}

Status FeedError(const char* code, const std::string& message, const std::string& location) {
  return Status::InvalidArgument(code, message, location);
}

}  // namespace

std::string FormatCx(const Cx& cx) {
  if (!cx.oid.empty()) return cx.id + "^^^&" + cx.oid + "&ISO";
  return cx.id + "^^^" + cx.namespace_id;
}

Result<PatientFeed> DecodePatientFeed(const hl7::Message& m) {
  PatientFeed feed;
  feed.event = m.TriggerEvent();
  if (const hl7::Segment* evn = m.Find("EVN"); feed.event.empty() && evn) {
    feed.event = evn->Value(1);
  }
  const hl7::Segment* pid = m.Find("PID");
  if (pid == nullptr) return FeedError("100", "the message has no PID segment", "PID");
  feed.identifiers = ReadCxList(*pid, 3, &feed.removed_domains);
  if (feed.identifiers.empty()) {
    return FeedError("101", "PID-3 carries no patient identifier", "PID^1^3");
  }
  for (int r = 1; r <= pid->Repetitions(5); ++r) {
    PersonName n;
    n.family = pid->Value(5, r, 1);
    n.given = pid->Value(5, r, 2);
    n.middle = pid->Value(5, r, 3);
    n.type = pid->Value(5, r, 7);
    n.representation = pid->Value(5, r, 8);
    // A single space (ITI-10 senders) or the null is no name.
    if ((n.family.empty() || n.family == " " || hl7::IsNull(n.family)) && n.given.empty()) continue;
    feed.names.push_back(std::move(n));
  }
  feed.birth_date = pid->Value(7);
  feed.sex = pid->Value(8);
  for (int r = 1; r <= pid->Repetitions(11); ++r) {
    Address a;
    a.street = pid->Value(11, r, 1);
    a.other = pid->Value(11, r, 2);
    if (a.street.empty() && a.other.empty()) a.other = pid->Value(11, r, 8);
    a.city = pid->Value(11, r, 3);
    a.state = pid->Value(11, r, 4);
    a.postal_code = pid->Value(11, r, 5);
    a.country = pid->Value(11, r, 6);
    a.type = pid->Value(11, r, 7);
    if (a.street.empty() && a.other.empty() && a.city.empty() && a.postal_code.empty()) continue;
    feed.addresses.push_back(std::move(a));
  }
  for (int field : {13, 14}) {
    for (int r = 1; r <= pid->Repetitions(field); ++r) {
      std::string p = Phone(*pid, field, r);
      if (!p.empty()) feed.phones.push_back(std::move(p));
    }
  }
  if (feed.event == "A40") {
    const hl7::Segment* mrg = m.Find("MRG");
    if (mrg == nullptr) return FeedError("100", "an A40 merge has no MRG segment", "MRG");
    feed.merged = ReadCxList(*mrg, 1, nullptr);
    if (feed.merged.empty()) {
      return FeedError("101", "MRG-1 carries no identifier to merge", "MRG^1^1");
    }
  }
  return feed;
}

}  // namespace renkei::pix
