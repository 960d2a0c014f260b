// The DICOMweb endpoint's pieces (dicomweb_endpoint.h), shared by the files that answer its
// routes: dicomweb_answers.cc (plain answers, URLs, Accept checks), dicomweb_stow.cc
// (STOW-RS) and dicomweb_pixels.cc (frames, bulk data, rendered images). Not a public
// interface: the endpoint's routing is in dicomweb_endpoint.cc.
//
// Thread-safety: free functions; DicomStore is thread-safe.
#ifndef RENKEI_DICOMWEB_DICOMWEB_HANDLERS_H_
#define RENKEI_DICOMWEB_DICOMWEB_HANDLERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "dicomweb/dicom_store.h"

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace renkei::dicomweb {

inline constexpr char kDicomJson[] = "application/dicom+json";
inline constexpr char kExplicitLittleEndian[] = "1.2.840.10008.1.2.1";

// ---- answers (dicomweb_answers.cc) ----

// `message` as text/plain with `status` (PS3.18 §8.6.3 error answers).
void Text(Poco::Net::HTTPServerResponse& response, int status, const std::string& message);
// A store or decoder failure as HTTP: 404 for what does not exist, 406 for what cannot be
// served in the form asked (InvalidArgument of the decoders), 500 otherwise.
void Failed(Poco::Net::HTTPServerResponse& response, const Status& status);

// The endpoint's base URL as the request reached it ("http(s)://host/dicomweb"), and the
// resources under it.
std::string BaseUrl(const Poco::Net::HTTPServerRequest& request);
std::string StudyUrl(const std::string& base, const std::string& study);
std::string SeriesUrl(const std::string& base, const std::string& study, const std::string& s);
std::string InstanceUrl(const std::string& base, const StoredFile& f);

// A frame number: 1 to 999,999,999, digits only.
std::optional<int64_t> FrameNumber(const std::string& s);
// Whether an Accept header takes JSON (absent, */*, application/dicom+json or
// application/json among its media ranges).
bool AcceptsJson(const Poco::Net::HTTPServerRequest& request);
// Whether an Accept header takes multipart/related parts of `type` (absent and */* do).
bool Accepts(const std::string& accept, const std::string& type);

// ---- STOW-RS (dicomweb_stow.cc) ----

// POST /studies[/{study}] (`study` empty for the first): the instances of a multipart body of
// at most `max_parts` parts, stored and answered with the PS3.18 response data set.
void StowRs(DicomStore& store, int max_parts, Poco::Net::HTTPServerRequest& request,
            Poco::Net::HTTPServerResponse& response, const std::string& study);

// ---- pixel data (dicomweb_pixels.cc) ----

// …/instances/{sop}/frames/{list}
void Frames(DicomStore& store, Poco::Net::HTTPServerRequest& request,
            Poco::Net::HTTPServerResponse& response, const std::string& study,
            const std::string& series, const std::string& sop, const std::string& list);
// …/instances/{sop}/bulkdata/{tag}
void BulkData(DicomStore& store, Poco::Net::HTTPServerRequest& request,
              Poco::Net::HTTPServerResponse& response, const std::string& study,
              const std::string& series, const std::string& sop, const std::string& tag_hex);
// …/rendered and …/thumbnail at every level; `seg` the path after /dicomweb/ in segments.
void Rendered(DicomStore& store, Poco::Net::HTTPServerRequest& request,
              Poco::Net::HTTPServerResponse& response, const std::vector<std::string>& seg);

}  // namespace renkei::dicomweb

#endif  // RENKEI_DICOMWEB_DICOMWEB_HANDLERS_H_
