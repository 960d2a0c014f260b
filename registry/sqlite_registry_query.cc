// ITI-18 Registry Stored Query storage side: the SQL of SqliteRegistryStore Find /
// FindAssociations / Get. Plans: see registry/sqlite_registry_internal.h.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "registry/leaf_codec.h"
#include "registry/sqlite_registry_internal.h"
#include "xds/xds_errors.h"

namespace renkei::registry::sqlite_internal {

// The fragment of the object row `o`: a primary-key lookup in the patient's cluster.
#define RENKEI_LEAF_OF_O                                                                     \
  "(SELECT l.xml FROM leaves l WHERE l.cluster=renkei_cluster(o.patient_id) AND l.kind=o.kind" \
  " AND l.seq=o.seq)"

const char kObjectColumns[] =
    "o.id, o.lid, o.version, o.kind, o.status, o.object_type, o.unique_id, o.patient_id, "
    "o.home, o.submitter, o.hash, o.size, o.repository_unique_id, o.source_id, o.assoc_type, "
    "o.source, o.target, o.attrs, " RENKEI_LEAF_OF_O ", o.seq";
// The same columns without reading leaf_xml (ObjectRef answers).
const char kObjectColumnsNoLeaf[] =
    "o.id, o.lid, o.version, o.kind, o.status, o.object_type, o.unique_id, o.patient_id, "
    "o.home, o.submitter, o.hash, o.size, o.repository_unique_id, o.source_id, o.assoc_type, "
    "o.source, o.target, o.attrs, NULL, o.seq";

// Column of o.seq in kObjectColumns / kObjectColumnsNoLeaf.
constexpr int kSeqColumn = 19;

// What a Find reads of each row.
enum class Columns { kAll, kIdsOnly, kAnswerOnly };
// The columns of ObjectFilter::answer_only, o.seq last.
const char kAnswerColumns[] =
    "o.id, o.kind, o.status, o.patient_id, " RENKEI_LEAF_OF_O ", o.seq";

namespace {
// Decodes the stored fragment in column `col` (NULL: none read) into o->leaf_xml.
Status ReadLeaf(const Stmt& s, int col, StoredObject* o) {
  const void* leaf = sqlite3_column_blob(s.raw(), col);
  if (leaf == nullptr) return Status::Ok();
  Status st = DecodeLeaf(leaf, static_cast<size_t>(sqlite3_column_bytes(s.raw(), col)),
                         &o->leaf_xml);
  if (!st.ok()) return xds::XdsStatus(xds::XdsError::kRegistryError, st.message(), o->id);
  return Status::Ok();
}
}  // namespace

Result<StoredObject> ReadObjectRow(const Stmt& s) {
  StoredObject o;
  o.id = s.Text(0);
  o.lid = s.Text(1);
  if (o.lid.empty()) o.lid = o.id;  // stored NULL when lid = id
  o.version = s.Int(2);
  o.kind = static_cast<EntryKind>(s.Int(3));
  o.status = DecodeStatus(s, 4);
  o.object_type = DecodeObjectType(s, 5);
  o.unique_id = s.Text(6);
  o.patient_id = s.Text(7);
  o.home = s.Text(8);
  o.submitter = s.Text(9);
  o.hash = s.Text(10);
  o.size = s.Text(11);
  o.repository_unique_id = s.Text(12);
  o.source_id = s.Text(13);
  o.assoc_type = DecodeAssocType(s, 14);
  o.source = s.Text(15);
  o.target = s.Text(16);
  if (!DecodeAttrs(sqlite3_column_blob(s.raw(), 17), sqlite3_column_bytes(s.raw(), 17), &o)) {
    return xds::XdsStatus(xds::XdsError::kRegistryError, "corrupt attrs column", o.id);
  }
  RENKEI_RETURN_IF_ERROR(ReadLeaf(s, 18, &o));
  return o;
}

namespace {

// A WHERE clause under construction: SQL text with '?' placeholders and their values.
struct Query {
  std::string sql;
  std::vector<Value> params;

  void In(const char* column, const std::vector<std::string>& values) {
    sql += column;
    sql += " IN (";
    for (size_t i = 0; i < values.size(); ++i) {
      sql += i ? ",?" : "?";
      params.push_back(values[i]);
    }
    sql += ")";
  }
  // +column = ? OR +column = ? …: a residual filter on the rows an index seek found. The
  // unary + keeps the column from being a seek key: SQLite turns OR-ed equalities on an
  // index column into an IN list, and an IN list of more than two values into an ephemeral
  // table built at every run (ObjectRef profile: ~4 % of the centre's CPU).
  void AnyEqual(const char* column, const std::vector<std::string>& values) {
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) sql += " OR ";
      sql += '+';
      sql += column;
      sql += "=?";
      params.push_back(values[i]);
    }
  }
  void InValues(const char* column, const std::vector<Value>& values) {
    sql += column;
    sql += " IN (";
    for (size_t i = 0; i < values.size(); ++i) {
      sql += i ? ",?" : "?";
      params.push_back(values[i]);
    }
    sql += ")";
  }
};

std::vector<Value> Encoded(const std::vector<std::string>& urns,
                           Value (*encode)(const std::string&)) {
  std::vector<Value> out;
  out.reserve(urns.size());
  for (const std::string& u : urns) out.push_back(encode(u));
  return out;
}

Query BuildFind(const ObjectFilter& f) {
  Query q;
  q.sql = std::string("SELECT ") +
          (f.ids_only        ? "o.id, o.seq"
           : f.answer_only   ? kAnswerColumns
           : f.with_leaf_xml ? kObjectColumns
                             : kObjectColumnsNoLeaf) +
          " FROM objects o WHERE o.kind=?";
  q.params.push_back(static_cast<int64_t>(f.kind));
  if (!f.patient_id.empty()) {
    q.sql += " AND o.patient_id=?";
    q.params.push_back(f.patient_id);
  }
  if (!f.statuses.empty()) {
    q.sql += " AND ";
    q.InValues("o.status", Encoded(f.statuses, &EncodeStatus));
  }
  if (!f.object_types.empty()) {
    q.sql += " AND ";
    q.InValues("o.object_type", Encoded(f.object_types, &EncodeObjectType));
  }
  // Plain text columns matched against a value list.
  const std::pair<const char*, const std::vector<std::string>*> in_lists[] = {
      {"o.id", &f.ids},
      {"o.unique_id", &f.unique_ids},
      {"o.source_id", &f.source_ids},
      {"o.home", &f.homes}};
  for (const auto& [column, values] : in_lists) {
    if (values->empty()) continue;
    q.sql += " AND ";
    q.In(column, *values);
  }
  if (!f.submitters.empty()) {
    // An empty submitter is stored as NULL (TextOrNull).
    std::vector<std::string> named;
    bool with_null = false;
    for (const std::string& s : f.submitters) {
      if (s.empty()) {
        with_null = true;
      } else {
        named.push_back(s);
      }
    }
    q.sql += " AND (";
    if (!named.empty()) q.AnyEqual("o.submitter", named);
    if (!named.empty() && with_null) q.sql += " OR ";
    if (with_null) q.sql += "o.submitter IS NULL";
    q.sql += ")";
  }
  if (!f.lids.empty()) {
    // A first version stores lid = id as NULL (no objects_lid entry): match it by id.
    q.sql += " AND (";
    q.In("o.lid", f.lids);
    q.sql += " OR (o.lid IS NULL AND ";
    q.In("o.id", f.lids);
    q.sql += "))";
  }
  if (!f.reference_ids.empty()) {
    q.sql += " AND EXISTS(SELECT 1 FROM refids r WHERE r.seq=o.seq AND ";
    q.In("r.value", f.reference_ids);
    q.sql += ")";
  }
  if (!f.author_person_patterns.empty()) {
    q.sql += " AND EXISTS(SELECT 1 FROM authors a WHERE a.seq=o.seq AND (";
    for (size_t i = 0; i < f.author_person_patterns.size(); ++i) {
      q.sql += i ? " OR xds_like(a.person, ?)" : "xds_like(a.person, ?)";
      q.params.push_back(f.author_person_patterns[i]);
    }
    q.sql += "))";
  }
  // One EXISTS per CodeFilter (AND), its codes OR-ed (ITI TF-2 3.18.4.1.2.3.5).
  for (const CodeFilter& cf : f.codes) {
    if (cf.any_of.empty()) continue;
    q.sql += " AND EXISTS(SELECT 1 FROM codes c WHERE c.seq=o.seq AND c.attr=? AND (";
    q.params.push_back(static_cast<int64_t>(cf.attr));
    for (size_t i = 0; i < cf.any_of.size(); ++i) {
      if (i) q.sql += " OR ";
      if (cf.any_of[i].second.empty()) {
        q.sql += "c.code=?";
        q.params.push_back(cf.any_of[i].first);
      } else {
        q.sql += "(c.code=? AND c.scheme=?)";
        q.params.push_back(cf.any_of[i].first);
        q.params.push_back(cf.any_of[i].second);
      }
    }
    q.sql += "))";
  }
  // ITI TF-2 3.18.4.1.2.3.6.3: from inclusive, to exclusive, on normalised DTM values.
  for (const TimeFilter& tf : f.times) {
    if (tf.from.empty() && tf.to.empty()) continue;
    q.sql += " AND EXISTS(SELECT 1 FROM times t WHERE t.seq=o.seq AND t.attr=?";
    q.params.push_back(static_cast<int64_t>(tf.attr));
    if (!tf.from.empty()) {
      q.sql += " AND t.value>=?";
      q.params.push_back(NormalizeDtm(tf.from));
    }
    if (!tf.to.empty()) {
      q.sql += " AND t.value<?";
      q.params.push_back(NormalizeDtm(tf.to));
    }
    q.sql += ")";
  }
  if (f.latest_version_only) {
    // Later versions always carry their lid (it differs from their id).
    q.sql += " AND NOT EXISTS(SELECT 1 FROM objects o2 WHERE o2.lid=COALESCE(o.lid, o.id) "
             "AND o2.version>o.version)";
  }
  // No ORDER BY: SQLite would sort whole result rows (fragments included) in a temporary
  // B-tree; Run sorts the few rows by seq instead. LIMIT only bounds the work: a caller
  // that gets `limit` rows treats the query as too large (stored_query.cc).
  if (f.limit > 0) {
    q.sql += " LIMIT ?";
    q.params.push_back(f.limit);
  }
  return q;
}

Query BuildFindAssocs(const AssociationFilter& f) {
  Query q;
  q.sql = std::string("SELECT ") + (f.with_leaf_xml ? kObjectColumns : kObjectColumnsNoLeaf) +
          " FROM objects o WHERE o.kind=?";
  q.params.push_back(static_cast<int64_t>(EntryKind::kAssociation));
  if (f.source_or_target) {
    // Each side is its own index lookup (objects_source / objects_target, MULTI-INDEX OR).
    q.sql += " AND (";
    if (!f.sources.empty()) q.In("o.source", f.sources);
    if (!f.sources.empty() && !f.targets.empty()) q.sql += " OR ";
    if (!f.targets.empty()) q.In("o.target", f.targets);
    if (f.sources.empty() && f.targets.empty()) q.sql += "0";
    q.sql += ")";
  } else {
    if (!f.sources.empty()) {
      q.sql += " AND ";
      q.In("o.source", f.sources);
    }
    if (!f.targets.empty()) {
      q.sql += " AND ";
      q.In("o.target", f.targets);
    }
  }
  if (!f.types.empty()) {
    q.sql += " AND ";
    q.InValues("o.assoc_type", Encoded(f.types, &EncodeAssocType));
  }
  if (!f.statuses.empty()) {
    q.sql += " AND ";
    q.InValues("o.status", Encoded(f.statuses, &EncodeStatus));
  }
  return q;
}

Result<StoredObject> ReadAnswerRow(const Stmt& s) {
  StoredObject o;
  o.id = s.Text(0);
  o.kind = static_cast<EntryKind>(s.Int(1));
  o.status = DecodeStatus(s, 2);
  o.patient_id = s.Text(3);
  RENKEI_RETURN_IF_ERROR(ReadLeaf(s, 4, &o));
  return o;
}

// Runs `q`, whose columns are those of `columns` (o.seq last); with `ids_only_kind` set
// (Columns::kIdsOnly) rows carry only id and that kind. Rows come back in registration
// order (o.seq).
Result<std::vector<StoredObject>> Run(Connection& c, const Query& q, Columns columns = Columns::kAll,
                                      std::optional<EntryKind> ids_only_kind = std::nullopt) {
  auto st = c.Prepare(q.sql);
  if (!st.ok()) return st.status();
  Stmt s = std::move(st.value());
  s.BindAll(q.params);
  // Room for a typical answer (one patient's entries) up front: a StoredObject is ~25
  // members, and regrowing the vector moves every one of them (ObjectRef profile: 8 %).
  constexpr size_t kTypicalRows = 32;
  std::vector<StoredObject> rows;
  std::vector<int64_t> seqs;
  rows.reserve(kTypicalRows);
  seqs.reserve(kTypicalRows);
  const int seq_column = columns == Columns::kIdsOnly      ? 1
                         : columns == Columns::kAnswerOnly ? 5
                                                           : kSeqColumn;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    if (columns == Columns::kIdsOnly) {
      // Built in place: moving a StoredObject (~25 members) costs more than reading the row.
      StoredObject& o = rows.emplace_back();
      o.kind = *ids_only_kind;
      o.id = s.Text(0);
      seqs.push_back(s.Int(seq_column));
      continue;
    }
    auto o = columns == Columns::kAnswerOnly ? ReadAnswerRow(s) : ReadObjectRow(s);
    if (!o.ok()) return o.status();
    rows.push_back(std::move(o.value()));
    seqs.push_back(s.Int(seq_column));
  }
  if (rc != SQLITE_DONE) return SqliteError(c.db(), rc, "query");
  if (std::is_sorted(seqs.begin(), seqs.end())) return rows;
  // Sort a permutation, not the rows: a StoredObject is ~20 strings and vectors, and
  // std::sort's moves of them cost more than the query (ObjectRef profile).
  std::vector<uint32_t> order(rows.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return seqs[a] < seqs[b]; });
  std::vector<StoredObject> out;
  out.reserve(rows.size());
  for (uint32_t i : order) out.push_back(std::move(rows[i]));
  return out;
}

}  // namespace

Result<std::vector<StoredObject>> FindObjects(Connection& c, const ObjectFilter& f) {
  if (f.ids_only) return Run(c, BuildFind(f), Columns::kIdsOnly, f.kind);
  return Run(c, BuildFind(f), f.answer_only ? Columns::kAnswerOnly : Columns::kAll);
}

Result<std::vector<StoredObject>> FindAssocs(Connection& c, const AssociationFilter& f) {
  // A filter naming no source and no target would list every association: refuse that
  // silently-expensive request by answering nothing, which is also what "source IN ()" means.
  if (f.sources.empty() && f.targets.empty()) return std::vector<StoredObject>();
  return Run(c, BuildFindAssocs(f));
}

Result<StoredObject> GetObject(Connection& c, const std::string& id) {
  Query q;
  q.sql = std::string("SELECT ") + kObjectColumns + " FROM objects o WHERE o.id=?";
  q.params.push_back(id);
  auto r = Run(c, q);
  if (!r.ok()) return r.status();
  if (r->empty()) {
    return xds::XdsStatus(xds::XdsError::kObjectNotFound, "no registry object with this id", id);
  }
  return std::move(r->front());
}

Result<std::vector<std::string>> Explain(Connection& c, const ObjectFilter* f,
                                         const AssociationFilter* af) {
  Query q = f ? BuildFind(*f) : BuildFindAssocs(*af);
  // EXPLAIN reads no table, so it would not notice a schema changed by another connection
  // (indexes dropped or built): a read of the schema table checks the schema cookie and
  // reloads a stale schema, and the EXPLAIN is prepared afresh against it, never taken from
  // the statement cache (a cached one kept its old plan: BulkLoadTest).
  {
    auto cookie = c.Prepare("SELECT 1 FROM sqlite_schema LIMIT 1");
    if (!cookie.ok()) return cookie.status();
    Stmt s = std::move(cookie.value());
    if (s.Step() != SQLITE_ROW) return SqliteError(c.db(), sqlite3_errcode(c.db()), "schema");
  }
  const std::string sql = "EXPLAIN QUERY PLAN " + q.sql;
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(c.db(), sql.c_str(), -1, &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> owned(raw, &sqlite3_finalize);
  if (rc != SQLITE_OK) return SqliteError(c.db(), rc, "prepare explain");
  std::vector<std::string> lines;
  int outstanding = 0;
  Stmt s(c.db(), raw, &outstanding, &SqliteError);
  s.BindAll(q.params);
  while ((rc = s.Step()) == SQLITE_ROW) lines.push_back(s.Text(3));
  if (rc != SQLITE_DONE) return SqliteError(c.db(), rc, "explain");
  return lines;
}

}  // namespace renkei::registry::sqlite_internal
