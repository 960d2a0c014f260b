// QIDO-RS searches as SQL over the DICOM index's tables (dicomweb/dicom_store.cc).
#include "dicomweb/qido_sql.h"

namespace renkei::dicomweb {
namespace {

const char* LevelFrom(Level level) {
  switch (level) {
    case Level::kStudy:
      return " FROM studies st";
    case Level::kSeries:
      return " FROM series se JOIN studies st ON st.study_uid = se.study_uid";
    case Level::kInstance:
      return " FROM instances i JOIN series se ON se.series_uid = i.series_uid"
             " JOIN studies st ON st.study_uid = i.study_uid";
  }
  return "";
}

const char* LevelOrder(Level level) {
  switch (level) {
    case Level::kStudy:
      return " ORDER BY st.rowid";
    case Level::kSeries:
      return " ORDER BY se.study_uid, CAST(se.series_number AS INTEGER), se.rowid";
    case Level::kInstance:
      return " ORDER BY i.series_uid, CAST(i.instance_number AS INTEGER), i.rowid";
  }
  return "";
}

// The SQL of a computed attribute (qido_query.h), null for RetrieveURL.
const char* Computed(const AttrDef& a) {
  const std::string k = a.keyword;
  if (k == "ModalitiesInStudy") {
    return "(SELECT group_concat(DISTINCT x.modality) FROM series x "
           "WHERE x.study_uid = st.study_uid)";
  }
  if (k == "NumberOfStudyRelatedSeries") {
    return "(SELECT count(*) FROM series x WHERE x.study_uid = st.study_uid)";
  }
  if (k == "NumberOfStudyRelatedInstances") {
    return "(SELECT count(*) FROM instances x WHERE x.study_uid = st.study_uid)";
  }
  if (k == "NumberOfSeriesRelatedInstances") {
    return "(SELECT count(*) FROM instances x WHERE x.series_uid = se.series_uid)";
  }
  return nullptr;
}


// One matching key as SQL over `column`.
void AddCondition(const Match& m, const std::string& column, QidoSql* sql) {
  const bool pn = std::string(m.attr->vr) == "PN";
  switch (m.kind) {
    case MatchKind::kSingle:
      sql->text += column + (pn ? " = ? COLLATE NOCASE" : " = ?");
      sql->params.push_back(m.value);
      return;
    case MatchKind::kWildcard:
      sql->text += "dicom_match(?, " + column + ", " + (pn ? "1" : "0") + ")";
      sql->params.push_back(m.value);
      return;
    case MatchKind::kRange:
      sql->text += "(" + column + " <> ''";
      if (!m.from.empty()) {
        sql->text += " AND " + column + " >= ?";
        sql->params.push_back(m.from);
      }
      if (!m.to.empty()) {
        sql->text += " AND " + column + " <= ?";
        // A TO time "1200" includes "120000.5": compare on its length only.
        sql->params.push_back(m.to + "\x7f");
      }
      sql->text += ")";
      return;
    case MatchKind::kValueList:
      sql->text += column + " IN (";
      for (size_t i = 0; i < m.values.size(); ++i) {
        sql->text += i ? ",?" : "?";
        sql->params.push_back(m.values[i]);
      }
      sql->text += ")";
      return;
  }
}

}  // namespace

QidoSql BuildQidoSql(const QidoQuery& q, int64_t max_rows, std::vector<const AttrDef*>* columns) {
  QidoSql sql;
  sql.text = "SELECT ";
  bool first = true;
  for (const AttrDef& a : IndexedAttributes()) {
    if (static_cast<int>(a.level) > static_cast<int>(q.level)) continue;
    std::string expr;
    if (a.column != nullptr) {
      expr = a.column;
    } else if (const char* c = Computed(a)) {
      expr = c;
    } else {
      continue;  // RetrieveURL
    }
    sql.text += first ? "" : ", ";
    sql.text += expr;
    first = false;
    columns->push_back(&a);
  }
  sql.text += LevelFrom(q.level);
  sql.text += " WHERE 1";
  if (!q.study_uid.empty()) {
    sql.text += " AND st.study_uid = ?";
    sql.params.push_back(q.study_uid);
  }
  if (!q.series_uid.empty()) {
    sql.text += " AND se.series_uid = ?";
    sql.params.push_back(q.series_uid);
  }
  for (const Match& m : q.matches) {
    if (m.kind == MatchKind::kSingle && m.value.empty()) continue;  // universal: return only
    if (m.kind == MatchKind::kWildcard && m.value.find_first_not_of('*') == std::string::npos) {
      continue;
    }
    sql.text += " AND ";
    if (m.attr->column != nullptr) {
      AddCondition(m, m.attr->column, &sql);
    } else {  // ModalitiesInStudy: some series of the study
      sql.text += "EXISTS(SELECT 1 FROM series x WHERE x.study_uid = st.study_uid AND ";
      AddCondition(m, "x.modality", &sql);
      sql.text += ")";
    }
  }
  sql.text += LevelOrder(q.level);
  sql.text += " LIMIT ? OFFSET ?";
  sql.params.push_back(q.limit > 0 && q.limit < max_rows ? q.limit : max_rows);
  sql.params.push_back(q.offset);
  return sql;
}

}  // namespace renkei::dicomweb
