// ITI-9 QBP^Q23 / RSP^K23 (see pix_query.h).
#include "pix/pix_query.h"

namespace renkei::pix {

namespace {

Cx ReadCx(const hl7::Segment& seg, int field, int rep) {
  Cx cx;
  cx.id = seg.Value(field, rep, 1);
  cx.namespace_id = seg.Value(field, rep, 4, 1);
  cx.oid = seg.Value(field, rep, 4, 2);
  cx.type_code = seg.Value(field, rep, 5);
  return cx;
}

void SetCx(hl7::Segment& seg, int field, int rep, const Cx& cx) {
  seg.Set(field, rep, 1, 1, cx.id);
  if (!cx.namespace_id.empty()) seg.Set(field, rep, 4, 1, cx.namespace_id);
  if (!cx.oid.empty()) {
    seg.Set(field, rep, 4, 2, cx.oid);
    seg.Set(field, rep, 4, 3, "ISO");
  }
  if (!cx.type_code.empty()) seg.Set(field, rep, 5, 1, cx.type_code);
}

const char* QakStatus(PixQueryStatus s) {
  switch (s) {
    case PixQueryStatus::kOk:
      return "OK";
    case PixQueryStatus::kNotFound:
      return "NF";
    case PixQueryStatus::kError:
      return "AE";
  }
  return "AE";
}

}  // namespace

Result<PixQuery> DecodePixQuery(const hl7::Message& m) {
  const hl7::Segment* qpd = m.Find("QPD");
  if (qpd == nullptr) return Status::InvalidArgument("100", "the query has no QPD segment", "QPD");
  PixQuery q;
  q.query_tag = qpd->Value(2);
  q.person = ReadCx(*qpd, 3, 1);
  if (q.person.id.empty()) {
    return Status::InvalidArgument("101", "QPD-3 carries no patient identifier", "QPD^1^3^1^1");
  }
  if (q.person.namespace_id.empty() && q.person.oid.empty()) {
    return Status::InvalidArgument("101", "QPD-3 has no assigning authority", "QPD^1^3^1^4");
  }
  for (int r = 1; r <= qpd->Repetitions(4); ++r) {
    Cx d = ReadCx(*qpd, 4, r);
    if (d.namespace_id.empty() && d.oid.empty()) continue;
    d.id.clear();
    q.wanted_domains.push_back(std::move(d));
  }
  return q;
}

hl7::Message MakePixResponse(const hl7::Message& request, const PixQuery& query,
                             const PixAnswer& answer, const AckContext& ctx) {
  const bool error = answer.status == PixQueryStatus::kError;
  // MSH, MSA and ERR are the acknowledgement's; the message type is RSP^K23^RSP_K23.
  hl7::Message out = MakeAck(request, error ? AckCode::kError : AckCode::kAccept,
                             answer.errors, ctx);
  hl7::Segment* msh = out.Edit("MSH");
  msh->SetField(9, {});
  msh->Set(9, 1, 1, 1, "RSP");
  msh->Set(9, 1, 2, 1, "K23");
  msh->Set(9, 1, 3, 1, "RSP_K23");
  hl7::Segment& qak = out.Add("QAK");
  qak.Set(1, query.query_tag);
  qak.Set(2, QakStatus(answer.status));
  if (const hl7::Segment* qpd = request.Find("QPD")) {
    hl7::Segment& echo = out.Add("QPD");
    for (int f = 1; f <= qpd->field_count(); ++f) {
      if (const hl7::Field* field = qpd->GetField(f)) echo.SetField(f, *field);
    }
  }
  if (answer.status == PixQueryStatus::kOk) {
    hl7::Segment& pid = out.Add("PID");
    pid.Set(1, "1");
    for (size_t i = 0; i < answer.identifiers.size(); ++i) {
      SetCx(pid, 3, static_cast<int>(i + 1), answer.identifiers[i]);
    }
    pid.Set(5, 2, 7, 1, "S");  // "~^^^^^^S": no name given (the IHE examples)
  }
  return out;
}

}  // namespace renkei::pix
