// A QIDO-RS search (dicomweb/qido_query.h) as one SELECT over the DICOM index's tables
// (studies st, series se, instances i; dicomweb/dicom_store.cc): the path UIDs and matching
// keys as WHERE terms (wildcards through the index's dicom_match function, ModalitiesInStudy
// through the study's series), the computed attributes as subqueries, level order, LIMIT and
// OFFSET. Values are bound, never spliced into the text.
#ifndef RENKEI_DICOMWEB_QIDO_SQL_H_
#define RENKEI_DICOMWEB_QIDO_SQL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/sqlite_connection.h"
#include "dicomweb/qido_query.h"

namespace renkei::dicomweb {

struct QidoSql {
  std::string text;
  std::vector<sqlite::Value> params;
};

// The SELECT of `q`, at most `max_rows` rows (q.limit when smaller); `columns` gets the
// attribute of each result column, in order.
QidoSql BuildQidoSql(const QidoQuery& q, int64_t max_rows, std::vector<const AttrDef*>* columns);

}  // namespace renkei::dicomweb

#endif  // RENKEI_DICOMWEB_QIDO_SQL_H_
