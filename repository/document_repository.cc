// ITI-41 / ITI-43 of the node's Document Repository (repository/document_repository.h).
#include "repository/document_repository.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <strings.h>

#include "common/log.h"
#include "common/utc_time.h"
#include "xds/metadata.h"
#include "xds/xds_constants.h"

namespace renkei::repository {
namespace {

xds::RegistryError Error(xds::XdsError code, std::string context, std::string location) {
  return xds::RegistryError{xds::XdsErrorCode(code), std::move(context), std::move(location),
                            xds::Severity::kError};
}

void SetSlot(xds::RegistryObject& o, const char* name, const std::string& value) {
  for (xds::Slot& s : o.slots) {
    if (s.name == name) {
      s.values = {value};
      return;
    }
  }
  o.slots.push_back({name, "", {value}});
}

bool HasErrors(const xds::RegistryErrorList& errors) {
  return std::any_of(errors.begin(), errors.end(),
                     [](const xds::RegistryError& e) { return e.severity == xds::Severity::kError; });
}

}  // namespace

DocumentRepository::DocumentRepository(DocumentStore& store, RegistryClient& registry,
                                       RepositoryOptions options)
    : store_(store), registry_(registry), options_(std::move(options)) {}

Result<std::vector<StageEntry>> DocumentRepository::Prepare(
    xds::ProvideAndRegisterRequest& request, ReceivedParts& parts,
    std::vector<std::unique_ptr<Upload>>* inline_uploads, xds::RegistryErrorList* errors) {
  std::map<std::string, const xds::ProvidedDocument*> documents;
  for (const xds::ProvidedDocument& d : request.documents) {
    if (!documents.emplace(d.id, &d).second) {
      errors->push_back(Error(xds::XdsError::kRepositoryMetadataError,
                              "two xdsb:Document elements have the id " + d.id, d.id));
    }
  }
  std::vector<xds::RegistryObject*> entries;
  for (xds::RegistryObject& o : request.submission.objects) {
    if (o.kind != xds::ObjectKind::kExtrinsicObject) continue;
    entries.push_back(&o);
    if (!documents.count(o.id)) {
      errors->push_back(Error(xds::XdsError::kMissingDocument,
                              "DocumentEntry " + o.id + " has no xdsb:Document with its id", o.id));
    }
  }
  for (const auto& [id, doc] : documents) {
    const bool described = std::any_of(entries.begin(), entries.end(),
                                       [&](const xds::RegistryObject* o) { return o->id == id; });
    if (!described) {
      errors->push_back(Error(xds::XdsError::kMissingDocumentMetadata,
                              "xdsb:Document " + id + " has no DocumentEntry (ExtrinsicObject)",
                              id));
    }
  }
  if (HasErrors(*errors)) return std::vector<StageEntry>{};

  std::vector<StageEntry> staged;
  std::set<std::string> used_cids, unique_ids;
  for (xds::RegistryObject* o : entries) {
    const xds::ProvidedDocument& doc = *documents.at(o->id);
    Upload* upload = nullptr;
    if (!doc.include_cid.empty()) {
      auto part = parts.find(doc.include_cid);
      if (part == parts.end()) {
        errors->push_back(Error(xds::XdsError::kMissingDocument,
                                "xdsb:Document " + o->id + " includes cid:" + doc.include_cid +
                                    " but the message has no MIME part with that Content-ID",
                                o->id));
        continue;
      }
      if (!used_cids.insert(doc.include_cid).second) {
        errors->push_back(Error(xds::XdsError::kRepositoryMetadataError,
                                "two documents include the same MIME part cid:" + doc.include_cid,
                                o->id));
        continue;
      }
      upload = part->second.get();
    } else {
      auto u = store_.BeginUpload();
      if (!u.ok()) return u.status();
      RENKEI_RETURN_IF_ERROR((*u)->Write(doc.inline_bytes.data(), doc.inline_bytes.size()));
      upload = u->get();
      inline_uploads->push_back(std::move(u.value()));
    }
    RENKEI_RETURN_IF_ERROR(upload->Finish());

    const xds::DocumentEntry de = xds::ReadDocumentEntry(*o);
    const std::string size = std::to_string(upload->size());
    if (de.unique_id.empty()) {
      errors->push_back(Error(xds::XdsError::kRepositoryMetadataError,
                              "DocumentEntry " + o->id + " has no uniqueId", o->id));
    } else if (!unique_ids.insert(de.unique_id).second) {
      errors->push_back(Error(xds::XdsError::kRegistryDuplicateUniqueIdInMessage,
                              "two DocumentEntries have the uniqueId " + de.unique_id, o->id));
    }
    if (!de.size.empty() && de.size != size) {
      errors->push_back(Error(xds::XdsError::kRepositoryMetadataError,
                              "DocumentEntry " + o->id + ": size is " + de.size +
                                  " in the metadata but the document has " + size + " bytes",
                              o->id));
    }
    if (!de.hash.empty() && strcasecmp(de.hash.c_str(), upload->sha1_hex().c_str()) != 0) {
      errors->push_back(Error(xds::XdsError::kRepositoryMetadataError,
                              "DocumentEntry " + o->id + ": hash is " + de.hash +
                                  " in the metadata but the document's SHA-1 is " +
                                  upload->sha1_hex(),
                              o->id));
    }
    if (!de.repository_unique_id.empty() &&
        de.repository_unique_id != options_.repository_unique_id) {
      errors->push_back(Error(xds::XdsError::kRepositoryMetadataError,
                              "DocumentEntry " + o->id + ": repositoryUniqueId " +
                                  de.repository_unique_id + " is not this repository (" +
                                  options_.repository_unique_id + ")",
                              o->id));
    }
    SetSlot(*o, xds::kSlotSize, size);
    SetSlot(*o, xds::kSlotHash, upload->sha1_hex());
    SetSlot(*o, xds::kSlotRepositoryUniqueId, options_.repository_unique_id);
    staged.push_back({de.unique_id,
                      o->mime_type.empty() ? "application/octet-stream" : o->mime_type, upload,
                      de.patient_id});
  }
  return staged;
}

xds::RegistryErrorList DocumentRepository::ProvideAndRegister(xds::ProvideAndRegisterRequest request,
                                                              ReceivedParts parts) {
  xds::RegistryErrorList errors;
  std::vector<std::unique_ptr<Upload>> inline_uploads;
  Result<std::vector<StageEntry>> entries = Prepare(request, parts, &inline_uploads, &errors);
  if (!entries.ok()) return {xds::ToRegistryError(entries.status())};
  if (HasErrors(errors)) return errors;
  if (Status s = store_.Stage(*entries); !s.ok()) return {xds::ToRegistryError(s)};

  std::vector<std::string> ids;
  for (const StageEntry& e : *entries) ids.push_back(e.unique_id);
  {
    std::lock_guard<std::mutex> lock(mu_);
    in_flight_.insert(ids.begin(), ids.end());
  }
  Result<xds::RegistryResponse> response = registry_.Register(request.submission);
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::string& id : ids) in_flight_.erase(in_flight_.find(id));
  }
  if (!response.ok()) {
    // Unknown outcome: the bytes stay pending until the registry can say (Reconcile).
    LogWarning("repository: ITI-42 outcome unknown, " + std::to_string(ids.size()) +
               " document(s) left pending: " + response.status().message());
    return {xds::ToRegistryError(response.status())};
  }
  if (!response->success() || HasErrors(response->errors)) {
    if (Status s = store_.Discard(ids); !s.ok()) {
      LogError("repository: cannot discard refused documents: " + s.ToString());
    }
    if (response->errors.empty()) {
      response->errors.push_back(Error(xds::XdsError::kRegistryError,
                                       "the registry answered " + response->status +
                                           " without an error",
                                       ""));
    }
    return response->errors;
  }
  if (Status s = store_.MarkRegistered(ids); !s.ok()) {
    // Durable and registered: Reconcile will find them registered and serve them.
    LogError("repository: cannot mark documents registered (Reconcile will): " + s.ToString());
  }
  return response->errors;  // warnings only
}

RetrieveAnswer DocumentRepository::Retrieve(const std::vector<xds::DocumentRequest>& requests) {
  RetrieveAnswer answer;
  for (const xds::DocumentRequest& r : requests) {
    if (r.repository_unique_id != options_.repository_unique_id) {
      answer.errors.push_back(Error(xds::XdsError::kUnknownRepositoryId,
                                    "repository " + r.repository_unique_id +
                                        " is not this one (" + options_.repository_unique_id +
                                        "); document " + r.document_unique_id,
                                    r.repository_unique_id));
      continue;
    }
    Result<StoredDocument> d = store_.Find(r.document_unique_id);
    if (!d.ok()) {
      answer.errors.push_back(xds::ToRegistryError(d.status()));
      continue;
    }
    answer.documents.push_back(std::move(d.value()));
  }
  return answer;
}

Result<ReconcileCounts> DocumentRepository::Reconcile(int64_t min_age_ms,
                                                      const std::set<std::string>& leave_alone) {
  ReconcileCounts counts;
  Result<std::vector<StoredDocument>> pending = store_.Pending();
  if (!pending.ok()) return pending.status();
  const int64_t cutoff = UnixMillisNow() - min_age_ms;
  std::vector<std::string> candidates;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const StoredDocument& d : *pending) {
      if (d.staged_at_ms > cutoff || in_flight_.count(d.unique_id) ||
          leave_alone.count(d.unique_id)) {
        ++counts.waiting;
      } else {
        candidates.push_back(d.unique_id);
      }
    }
  }
  if (candidates.empty()) return counts;
  Result<std::set<std::string>> held = registry_.RegisteredUniqueIds(candidates);
  const std::set<std::string> asked(candidates.begin(), candidates.end());
  if (!held.ok()) return held.status();
  std::vector<std::string> registered, absent;
  for (const StoredDocument& d : *pending) {
    if (!asked.count(d.unique_id)) continue;
    if (!held->count(d.unique_id)) {
      absent.push_back(d.unique_id);
    } else if (::access(d.path.c_str(), R_OK) == 0) {
      registered.push_back(d.unique_id);
    } else {
      LogError("repository: document " + d.unique_id + " is registered but its file " + d.path +
               " is missing");
      ++counts.waiting;
    }
  }
  RENKEI_RETURN_IF_ERROR(store_.MarkRegistered(registered));
  RENKEI_RETURN_IF_ERROR(store_.Discard(absent));
  counts.registered = static_cast<int>(registered.size());
  counts.discarded = static_cast<int>(absent.size());
  if (counts.registered + counts.discarded > 0) {
    LogInfo("repository: reconciled pending documents with the registry: " +
            std::to_string(counts.registered) + " registered, " +
            std::to_string(counts.discarded) + " discarded");
  }
  return counts;
}

}  // namespace renkei::repository
