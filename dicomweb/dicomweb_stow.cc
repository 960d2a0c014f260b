// STOW-RS (PS3.18 §10.5) at the node: parts streamed into the store's temp files, decoded,
// committed a batch at a time, answered with the response data set (dicomweb_handlers.h).
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <istream>
#include <memory>
#include <vector>

#include "common/http_server.h"
#include "common/log.h"
#include "common/mime.h"
#include "common/mtom.h"
#include "dicomweb/dicom_json.h"
#include "dicomweb/dicom_reader.h"
#include "dicomweb/dicomweb_handlers.h"

namespace renkei::dicomweb {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// Instances of one STOW-RS request committed together (each holds an open temp file).
constexpr size_t kStowBatch = 32;

// A received, decoded instance waiting for its commit.
struct Held {
  std::unique_ptr<Incoming> incoming;
  DicomInstance instance;
  size_t outcome;  // its index in the request's outcomes
};

// A STOW-RS part: into a temp file of the store and decoded, then held for the commit
// (its outcome filled in by it); or its failure.
StowOutcome Receive(DicomStore& store, const MimePartInfo& part, std::istream& data,
                    const std::string& study, std::vector<Held>* held, size_t outcome) {
  StowOutcome out;
  auto drain = [&] {
    char buf[65536];
    while (data.read(buf, sizeof buf) || data.gcount() > 0) {
    }
  };
  if (!part.content_type.empty() && MediaType(part.content_type) != "application/dicom") {
    drain();
    out.failure_reason = kFailureCannotUnderstand;
    return out;
  }
  auto incoming = store.Begin();
  if (!incoming.ok()) {
    drain();
    out.failure_reason = kFailureOutOfResources;
    return out;
  }
  char buf[65536];
  Status written = Status::Ok();
  while (data.read(buf, sizeof buf) || data.gcount() > 0) {
    if (written.ok()) written = (*incoming)->Write(std::string_view(buf, data.gcount()));
  }
  if (!written.ok()) {
    out.failure_reason = FailureReasonOf(written);
    return out;
  }
  Result<DicomInstance> decoded = store.Decode(**incoming, study);
  if (!decoded.ok()) {
    out.failure_reason = FailureReasonOf(decoded.status());
    LogInfo("dicomweb: STOW-RS instance refused: " + decoded.status().message());
    return out;
  }
  out.sop_class_uid = decoded->sop_class_uid;
  out.sop_instance_uid = decoded->sop_instance_uid;
  held->push_back({std::move(incoming.value()), std::move(decoded.value()), outcome});
  return out;
}

}  // namespace

void StowRs(DicomStore& store, int max_parts, HTTPServerRequest& request,
            HTTPServerResponse& response, const std::string& study) {
  const std::string content_type = request.getContentType();
  if (MediaType(content_type) != "multipart/related" ||
      MediaTypeParameter(content_type, "type") != "application/dicom") {
    return Text(response, 415,
                "STOW-RS takes multipart/related; type=\"application/dicom\" (PS3.18 §10.5)");
  }
  const std::string base = BaseUrl(request);
  std::vector<StowOutcome> outcomes;
  // Decoded instances wait here and are committed together, kStowBatch at a time: one
  // round of fsyncs per batch instead of per instance.
  std::vector<Held> held;
  auto commit = [&] {
    std::vector<DicomStore::Decoded> batch;
    for (Held& h : held) batch.push_back({h.incoming.get(), &h.instance});
    const std::vector<Status> statuses = store.Commit(batch);
    for (size_t i = 0; i < held.size(); ++i) {
      StowOutcome& o = outcomes[held[i].outcome];
      if (!statuses[i].ok()) {
        o.failure_reason = FailureReasonOf(statuses[i]);
        LogWarning("dicomweb: STOW-RS instance not stored: " + statuses[i].message());
        continue;
      }
      const DicomInstance& d = held[i].instance;
      o.retrieve_url = SeriesUrl(base, d.study_uid, d.series_uid) + "/instances/" +
                       d.sop_instance_uid;
    }
    held.clear();
  };
  Status read = ReadMultipartRelated(
      request.stream(), content_type, max_parts,
      [&](const MimePartInfo& part, std::istream& data) -> Status {
        outcomes.push_back(Receive(store, part, data, study, &held, outcomes.size()));
        if (held.size() >= kStowBatch) commit();
        return Status::Ok();
      });
  commit();
  if (!read.ok()) {
    // The parts read before the error are stored and acknowledged below; a body that is
    // not multipart at all stored nothing.
    if (outcomes.empty()) return Text(response, 400, read.message());
    outcomes.push_back(StowOutcome{"", "", "", kFailureCannotUnderstand});
    LogWarning("dicomweb: STOW-RS body ended badly: " + read.message());
  }
  if (outcomes.empty()) return Text(response, 400, "the STOW-RS body holds no instance");
  size_t failed = 0;
  for (const StowOutcome& o : outcomes) failed += o.failure_reason != 0;
  const int status = failed == 0 ? 200 : failed == outcomes.size() ? 409 : 202;
  SendResponse(response, status, kDicomJson,
               StowResponse(study.empty() ? "" : StudyUrl(base, study), outcomes));
}

}  // namespace renkei::dicomweb
