// DICOM JSON (PS3.18 Annex F) written with RapidJSON.
#include "dicomweb/dicom_json.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <cstdlib>

#include "dicomweb/split.h"

namespace renkei::dicomweb {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

std::string TagKey(uint32_t tag) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08X", tag);
  return buf;
}

void Str(Writer& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// One attribute: {"vr": VR, "Value": [...]} per F.2.2 (numbers for IS/DS/US/UL…, PN as
// {"Alphabetic", "Ideographic", "Phonetic"}).
void Attribute(Writer& w, uint32_t tag, const std::string& vr, const std::string& value,
               char sep = '\\') {
  w.Key(TagKey(tag).c_str());
  w.StartObject();
  w.Key("vr");
  Str(w, vr);
  w.Key("Value");
  w.StartArray();
  for (const std::string& v : Split(value, sep)) {
    if (vr == "IS" || vr == "US" || vr == "UL" || vr == "SS" || vr == "SL") {
      char* end = nullptr;
      const long long n = std::strtoll(v.c_str(), &end, 10);
      if (end != v.c_str() && *end == '\0') {
        w.Int64(n);
      } else {
        w.Null();
      }
    } else if (vr == "PN") {
      const std::vector<std::string> groups = Split(v, '=');
      w.StartObject();
      const char* names[] = {"Alphabetic", "Ideographic", "Phonetic"};
      for (size_t g = 0; g < groups.size() && g < 3; ++g) {
        if (groups[g].empty()) continue;
        w.Key(names[g]);
        Str(w, groups[g]);
      }
      w.EndObject();
    } else {
      Str(w, v);
    }
  }
  w.EndArray();
  w.EndObject();
}

// OtherPatientIDsSequence from a regional CX "id^^^&oid&ISO": one item with the ID and its
// issuer (the OID).
void RegionalIds(Writer& w, uint32_t tag, const std::string& cx) {
  const std::string id = cx.substr(0, cx.find('^'));
  std::string oid;
  const size_t amp = cx.find('&');
  if (amp != std::string::npos) oid = cx.substr(amp + 1, cx.find('&', amp + 1) - amp - 1);
  w.Key(TagKey(tag).c_str());
  w.StartObject();
  w.Key("vr");
  w.String("SQ");
  w.Key("Value");
  w.StartArray();
  w.StartObject();
  Attribute(w, 0x00100020, "LO", id);
  if (!oid.empty()) Attribute(w, 0x00100021, "LO", oid);
  w.EndObject();
  w.EndArray();
  w.EndObject();
}

}  // namespace

void AppendQidoObject(const QidoRow& row, const std::string& retrieve_url, std::string* out) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  bool url_written = false;
  for (const auto& [attr, value] : row.values) {
    if (!url_written && attr->tag > 0x00081190) {
      Attribute(w, 0x00081190, "UR", retrieve_url);
      url_written = true;
    }
    if (std::string(attr->vr) == "SQ") {
      RegionalIds(w, attr->tag, value);
      continue;
    }
    // ModalitiesInStudy comes from group_concat: comma-separated.
    Attribute(w, attr->tag, attr->vr, value, attr->tag == 0x00080061 ? ',' : '\\');
  }
  if (!url_written) Attribute(w, 0x00081190, "UR", retrieve_url);
  w.EndObject();
  out->append(buf.GetString(), buf.GetSize());
}

std::string StowResponse(const std::string& study_retrieve_url,
                         const std::vector<StowOutcome>& outcomes) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  if (!study_retrieve_url.empty()) Attribute(w, 0x00081190, "UR", study_retrieve_url);
  for (const bool failed : {true, false}) {
    bool any = false;
    for (const StowOutcome& o : outcomes) any = any || ((o.failure_reason != 0) == failed);
    if (!any) continue;
    w.Key(failed ? "00081198" : "00081199");
    w.StartObject();
    w.Key("vr");
    w.String("SQ");
    w.Key("Value");
    w.StartArray();
    for (const StowOutcome& o : outcomes) {
      if ((o.failure_reason != 0) != failed) continue;
      w.StartObject();
      if (!o.sop_class_uid.empty()) Attribute(w, 0x00081150, "UI", o.sop_class_uid);
      if (!o.sop_instance_uid.empty()) Attribute(w, 0x00081155, "UI", o.sop_instance_uid);
      if (failed) {
        Attribute(w, 0x00081197, "US", std::to_string(o.failure_reason));
      } else {
        Attribute(w, 0x00081190, "UR", o.retrieve_url);
      }
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace renkei::dicomweb
