// HL7 v2 ACK building (see hl7_ack.h).
#include "pix/hl7_ack.h"

#include <utility>

namespace renkei::pix {

namespace {

struct ErrorText {
  const char* code;
  const char* text;
};
constexpr ErrorText kTable0357[] = {
    {"0", "Message accepted"},           {"100", "Segment sequence error"},
    {"101", "Required field missing"},   {"102", "Data type error"},
    {"103", "Table value not found"},    {"200", "Unsupported message type"},
    {"201", "Unsupported event code"},   {"202", "Unsupported processing id"},
    {"203", "Unsupported version id"},   {"204", "Unknown key identifier"},
    {"205", "Duplicate key identifier"}, {"206", "Application record locked"},
    {"207", "Application internal error"},
};

std::vector<std::string> SplitCaret(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t end = s.find('^', start);
    out.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

bool IsV23(const std::string& version) { return version.rfind("2.3", 0) == 0 || version.rfind("2.2", 0) == 0; }

void AddErrors(hl7::Message& ack, const std::vector<AckError>& errors, const std::string& version) {
  for (const AckError& e : errors) {
    hl7::Segment& err = ack.Add("ERR");
    const std::vector<std::string> loc = e.location.empty() ? std::vector<std::string>()
                                                            : SplitCaret(e.location);
    if (IsV23(version)) {
      for (size_t i = 0; i < loc.size() && i < 3; ++i) err.Set(1, 1, static_cast<int>(i + 1), 1, loc[i]);
      err.Set(1, 1, 4, 1, e.code);
      err.Set(1, 1, 4, 2, Hl7ErrorText(e.code));
      err.Set(1, 1, 4, 3, "HL70357");
      continue;
    }
    for (size_t i = 0; i < loc.size(); ++i) err.Set(2, 1, static_cast<int>(i + 1), 1, loc[i]);
    err.Set(3, 1, 1, 1, e.code);
    err.Set(3, 1, 2, 1, Hl7ErrorText(e.code));
    err.Set(3, 1, 3, 1, "HL70357");
    err.Set(4, "E");
    if (!e.text.empty()) err.Set(8, e.text);
  }
}

}  // namespace

const char* AckCodeText(AckCode code) {
  switch (code) {
    case AckCode::kAccept:
      return "AA";
    case AckCode::kError:
      return "AE";
    case AckCode::kReject:
      return "AR";
  }
  return "AR";
}

const char* Hl7ErrorText(const std::string& code) {
  for (const ErrorText& e : kTable0357) {
    if (code == e.code) return e.text;
  }
  return "";
}

hl7::Message MakeAck(const hl7::Message& request, AckCode code,
                     const std::vector<AckError>& errors, const AckContext& ctx) {
  hl7::Message ack = request.WithoutSegments();
  const hl7::Segment* in = request.Find("MSH");
  hl7::Segment& msh = ack.Add("MSH");
  const std::string version = in ? in->Value(12) : "2.5";
  if (in) {
    msh.SetField(3, in->GetField(5) ? *in->GetField(5) : hl7::Field());
    msh.SetField(4, in->GetField(6) ? *in->GetField(6) : hl7::Field());
    msh.SetField(5, in->GetField(3) ? *in->GetField(3) : hl7::Field());
    msh.SetField(6, in->GetField(4) ? *in->GetField(4) : hl7::Field());
    if (in->GetField(18)) msh.SetField(18, *in->GetField(18));
  }
  // The acknowledger is us, whatever the request named as its receiver.
  msh.Set(3, 1, 1, 1, ctx.application);
  if (!ctx.facility.empty()) msh.Set(4, 1, 1, 1, ctx.facility);
  msh.Set(7, ctx.timestamp);
  msh.Set(9, 1, 1, 1, "ACK");
  if (in && !in->Value(9, 1, 2).empty()) msh.Set(9, 1, 2, 1, in->Value(9, 1, 2));
  msh.Set(9, 1, 3, 1, "ACK");
  msh.Set(10, ctx.control_id);
  msh.Set(11, in && !in->Value(11).empty() ? in->Value(11) : "P");
  msh.Set(12, version);
  hl7::Segment& msa = ack.Add("MSA");
  msa.Set(1, AckCodeText(code));
  msa.Set(2, in ? in->Value(10) : "");
  if (!errors.empty() && !errors.front().text.empty()) msa.Set(3, errors.front().text);
  AddErrors(ack, errors, version);
  return ack;
}

hl7::Message MakeRejectForUnparsable(std::string_view raw, const AckError& error,
                                     const AckContext& ctx) {
  hl7::Message ack;
  hl7::Segment& msh = ack.Add("MSH");
  msh.Set(3, ctx.application);
  if (!ctx.facility.empty()) msh.Set(4, ctx.facility);
  msh.Set(7, ctx.timestamp);
  msh.Set(9, 1, 1, 1, "ACK");
  msh.Set(10, ctx.control_id);
  msh.Set(11, "P");
  msh.Set(12, "2.5");
  // MSH-10 of what was sent, if the first line shows '|'-separated fields.
  std::string control;
  const std::string_view first = raw.substr(0, raw.find_first_of("\r\n"));
  if (first.size() > 8 && first.substr(0, 3) == "MSH") {
    const char sep = first[3];
    // The separator at index 3 precedes MSH-2; the 9th precedes MSH-10.
    size_t pos = 3;
    for (int k = 0; k < 8 && pos != std::string_view::npos; ++k) pos = first.find(sep, pos + 1);
    if (pos != std::string_view::npos) {
      const size_t end = first.find(sep, pos + 1);
      control = std::string(first.substr(pos + 1, end == std::string_view::npos ? end : end - pos - 1));
      if (control.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._-") !=
          std::string::npos) {
        control.clear();  // not a plain id: do not echo what could not be parsed
      }
    }
  }
  hl7::Segment& msa = ack.Add("MSA");
  msa.Set(1, "AR");
  msa.Set(2, control);
  msa.Set(3, error.text);
  AddErrors(ack, {error}, "2.5");
  return ack;
}

}  // namespace renkei::pix
