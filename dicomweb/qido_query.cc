// QIDO-RS query parameters (PS3.18 §8.3.4) → QidoQuery.
#include "dicomweb/qido_query.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "dicomweb/dicom_instance.h"
#include "dicomweb/split.h"

namespace renkei::dicomweb {
namespace {

Status Bad(const std::string& name, const std::string& message) {
  return Status::InvalidArgument("qido", "query parameter '" + name + "': " + message, name);
}

bool IsDigits(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<int64_t> NonNegative(const std::string& name, const std::string& value) {
  if (value.empty() || value.size() > 12 || !IsDigits(value)) {
    return Bad(name, "must be a non-negative integer, not '" + value + "'");
  }
  return std::strtoll(value.c_str(), nullptr, 10);
}

bool IsRangeVr(const char* vr) {
  const std::string v = vr;
  return v == "DA" || v == "TM" || v == "DT";
}

}  // namespace

const std::vector<AttrDef>& IndexedAttributes() {
  static const std::vector<AttrDef> kAttrs = {
      {0x00080016, "SOPClassUID", "UI", Level::kInstance, "i.sop_class"},
      {0x00080018, "SOPInstanceUID", "UI", Level::kInstance, "i.sop_uid"},
      {0x00080020, "StudyDate", "DA", Level::kStudy, "st.study_date"},
      {0x00080030, "StudyTime", "TM", Level::kStudy, "st.study_time"},
      {0x00080050, "AccessionNumber", "SH", Level::kStudy, "st.accession"},
      {0x00080060, "Modality", "CS", Level::kSeries, "se.modality"},
      {0x00080061, "ModalitiesInStudy", "CS", Level::kStudy, nullptr},
      {0x00080090, "ReferringPhysicianName", "PN", Level::kStudy, "st.referring"},
      {0x00081030, "StudyDescription", "LO", Level::kStudy, "st.description"},
      {0x0008103E, "SeriesDescription", "LO", Level::kSeries, "se.description"},
      {0x00081190, "RetrieveURL", "UR", Level::kStudy, nullptr},
      {0x00100010, "PatientName", "PN", Level::kStudy, "st.patient_name"},
      {0x00100020, "PatientID", "LO", Level::kStudy, "st.patient_id"},
      {0x00100021, "IssuerOfPatientID", "LO", Level::kStudy, "st.issuer"},
      {0x00100030, "PatientBirthDate", "DA", Level::kStudy, "st.birth_date"},
      {0x00100040, "PatientSex", "CS", Level::kStudy, "st.sex"},
      // The regional patient ID the PIX Manager linked the study's patient to (returned as
      // an item with PatientID and IssuerOfPatientID; dicom_store.h).
      {0x00101002, "OtherPatientIDsSequence", "SQ", Level::kStudy, "st.regional_id"},
      {0x0020000D, "StudyInstanceUID", "UI", Level::kStudy, "st.study_uid"},
      {0x0020000E, "SeriesInstanceUID", "UI", Level::kSeries, "se.series_uid"},
      {0x00200010, "StudyID", "SH", Level::kStudy, "st.study_id"},
      {0x00200011, "SeriesNumber", "IS", Level::kSeries, "se.series_number"},
      {0x00200013, "InstanceNumber", "IS", Level::kInstance, "i.instance_number"},
      {0x00201206, "NumberOfStudyRelatedSeries", "IS", Level::kStudy, nullptr},
      {0x00201208, "NumberOfStudyRelatedInstances", "IS", Level::kStudy, nullptr},
      {0x00201209, "NumberOfSeriesRelatedInstances", "IS", Level::kSeries, nullptr},
      {0x00280008, "NumberOfFrames", "IS", Level::kInstance, "i.frames"},
      {0x00280010, "Rows", "US", Level::kInstance, "i.rows"},
      {0x00280011, "Columns", "US", Level::kInstance, "i.columns"},
      {0x00400244, "PerformedProcedureStepStartDate", "DA", Level::kSeries, "se.pps_date"},
      {0x00400245, "PerformedProcedureStepStartTime", "TM", Level::kSeries, "se.pps_time"},
  };
  return kAttrs;
}

const AttrDef* FindAttribute(std::string_view name) {
  uint32_t tag = 0;
  bool is_tag = name.size() == 8;
  for (char c : name) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) is_tag = false;
  }
  if (is_tag) tag = static_cast<uint32_t>(std::strtoul(std::string(name).c_str(), nullptr, 16));
  for (const AttrDef& a : IndexedAttributes()) {
    if (is_tag ? a.tag == tag : name == a.keyword) return &a;
  }
  return nullptr;
}

bool WildcardMatch(std::string_view p, std::string_view v) {
  size_t pi = 0, vi = 0, star = std::string_view::npos, mark = 0;
  while (vi < v.size()) {
    if (pi < p.size() && (p[pi] == '?' || p[pi] == v[vi])) {
      ++pi;
      ++vi;
    } else if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = vi;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      vi = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

Status ParseQidoParams(const std::vector<std::pair<std::string, std::string>>& params,
                       QidoQuery* q, std::vector<std::string>* ignored) {
  for (const auto& [name, value] : params) {
    if (name == "limit") {
      RENKEI_ASSIGN_OR_RETURN(q->limit, NonNegative(name, value));
      continue;
    }
    if (name == "offset") {
      RENKEI_ASSIGN_OR_RETURN(q->offset, NonNegative(name, value));
      continue;
    }
    if (name == "fuzzymatching") {
      if (value != "true" && value != "false") return Bad(name, "must be true or false");
      q->fuzzy = value == "true";
      continue;
    }
    if (name == "includefield") {
      for (const std::string& field : Split(value, ',')) {
        if (field == "all") {
          q->include_all = true;
        } else if (const AttrDef* a = FindAttribute(field)) {
          q->includes.push_back(a);
        } else if (!field.empty()) {
          if (ignored != nullptr) ignored->push_back(field);
        }
      }
      continue;
    }
    const AttrDef* attr = FindAttribute(name);
    if (attr == nullptr) return Bad(name, "not an attribute this server matches on");
    if (std::string(attr->vr) == "SQ") return Bad(name, "sequence matching is not supported");
    if (attr->column == nullptr && std::string(attr->keyword) != "ModalitiesInStudy") {
      return Bad(name, "a computed attribute: it can be returned, not matched");
    }
    if (static_cast<int>(attr->level) > static_cast<int>(q->level)) {
      return Bad(name, "an attribute of a lower level than the one searched");
    }
    Match m;
    m.attr = attr;
    const std::string vr = attr->vr;
    if ((vr == "UI" || vr == "CS") &&
        (value.find(',') != std::string::npos || value.find('\\') != std::string::npos)) {
      m.kind = MatchKind::kValueList;
      for (std::string v : Split(value, value.find(',') != std::string::npos ? ',' : '\\')) {
        if (vr == "UI" && !IsValidUid(v)) return Bad(name, "'" + v + "' is not a UID");
        if (v.empty()) return Bad(name, "an empty value in the list '" + value + "'");
        m.values.push_back(std::move(v));
      }
    } else if (IsRangeVr(attr->vr) && value.find('-') != std::string::npos) {
      const size_t dash = value.find('-');
      m.kind = MatchKind::kRange;
      m.from = value.substr(0, dash);
      m.to = value.substr(dash + 1);
      if ((m.from.empty() && m.to.empty()) || m.to.find('-') != std::string::npos ||
          !IsDigits(m.from.substr(0, m.from.find('.'))) ||
          !IsDigits(m.to.substr(0, m.to.find('.')))) {
        return Bad(name, "a range is FROM-TO, FROM- or -TO, not '" + value + "'");
      }
    } else if (value.find_first_of("*?") != std::string::npos &&
               std::string(attr->vr) != "UI" && std::string(attr->vr) != "DA" &&
               std::string(attr->vr) != "TM") {
      m.kind = MatchKind::kWildcard;
      m.value = value;
    } else {
      if (std::string(attr->vr) == "UI" && !IsValidUid(value)) {
        return Bad(name, "'" + value + "' is not a UID");
      }
      m.value = value;
    }
    q->matches.push_back(std::move(m));
  }
  return Status::Ok();
}

}  // namespace renkei::dicomweb
