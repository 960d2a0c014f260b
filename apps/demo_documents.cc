// Synthetic document bytes for `renkei demo` (apps/demo_documents.h).
#include "apps/demo_documents.h"

#include <cstdio>
#include <vector>

namespace renkei::apps {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// A minimal CDA R2 document (HL7 CDA R2 header and a narrative body).
std::string Cda(const profiles::DocumentKind& kind, const DemoPatient& p, const DemoHospital& h,
                const std::string& uid, const std::string& text) {
  const std::string id_root = uid.substr(0, uid.rfind('.'));
  const std::string id_ext = uid.substr(uid.rfind('.') + 1);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\n"
         "  <typeId root=\"2.16.840.1.113883.1.3\" extension=\"POCD_HD000040\"/>\n"
         "  <id root=\"" + Escape(id_root) + "\" extension=\"" + Escape(id_ext) + "\"/>\n"
         "  <code code=\"" + kind.type_code.code + "\" codeSystem=\"" + kind.type_code.scheme +
         "\" displayName=\"" + Escape(kind.type_code.display) + "\"/>\n"
         "  <title>" + Escape(kind.title) + " (demo)</title>\n"
         "  <effectiveTime value=\"20261101083000+0900\"/>\n"
         "  <confidentialityCode code=\"N\" codeSystem=\"2.16.840.1.113883.5.25\"/>\n"
         "  <languageCode code=\"ja-JP\"/>\n"
         "  <recordTarget><patientRole><id extension=\"" + Escape(p.local_ids.front()) +
         "\"/><patient><name><family>" + Escape(p.family_kanji) + "</family><given>" +
         Escape(p.given_kanji) + "</given></name><birthTime value=\"" + p.birth_date +
         "\"/></patient></patientRole></recordTarget>\n"
         "  <custodian><assignedCustodian><representedCustodianOrganization><id root=\"" + h.oid +
         "\"/><name>" + Escape(h.name) +
         "</name></representedCustodianOrganization></assignedCustodian></custodian>\n"
         "  <component><structuredBody><component><section><title>" + Escape(kind.title) +
         "</title><text>" + Escape(text) +
         "</text></section></component></structuredBody></component>\n"
         "</ClinicalDocument>\n";
}

// A one-page PDF 1.4 with one line of Helvetica text (ASCII), its xref table computed.
std::string Pdf(const std::string& line) {
  std::string safe;
  for (char c : line) {
    if (c == '(' || c == ')' || c == '\\') safe += '\\';
    if (static_cast<unsigned char>(c) < 0x80) safe += c;
  }
  const std::string stream = "BT /F1 14 Tf 72 720 Td (" + safe + ") Tj ET";
  const std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R "
      ">> >> /Contents 5 0 R >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
      "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream"};
  std::string pdf = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    char entry[32];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", off);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

}  // namespace

std::string DemoDocumentContent(const profiles::DocumentKind& kind, const DemoPatient& patient,
                                const DemoHospital& hospital, const std::string& unique_id) {
  const std::string who = patient.family_kanji + " " + patient.given_kanji;
  const std::string text = kind.title + " / " + who + " / " + hospital.name +
                           " / 架空のデモ文書 (synthetic demo document) " + unique_id;
  if (kind.mime_type == "text/xml") return Cda(kind, patient, hospital, unique_id, text);
  if (kind.mime_type == "application/pdf") {
    return Pdf("Surgery record (synthetic demo document) " + unique_id);
  }
  return text + "\n";
}

}  // namespace renkei::apps
