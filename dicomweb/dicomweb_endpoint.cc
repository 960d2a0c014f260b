// DICOMweb routes (PS3.18) over DicomStore: routing and access, QIDO-RS, WADO-RS instances and
// metadata, WADO-URI. STOW-RS and the pixel-data answers are in dicomweb_stow.cc and
// dicomweb_pixels.cc.
#include "dicomweb/dicomweb_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "common/log.h"
#include "common/mime.h"
#include "common/mtom.h"
#include "common/peer.h"
#include "dicomweb/dicom_json.h"
#include "dicomweb/dicom_reader.h"
#include "dicomweb/dicomweb_handlers.h"
#include "dicomweb/rendered.h"

namespace renkei::dicomweb {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;


// The path after /dicomweb/ in segments (a trailing slash ignored); false when one is empty.
bool Segments(const std::string& uri, std::vector<std::string>* out) {
  std::string path = uri.substr(0, uri.find('?')).substr(std::string(kDicomwebPrefix).size());
  if (!path.empty() && path.back() == '/') path.pop_back();
  size_t start = 0;
  for (;;) {
    const size_t slash = path.find('/', start);
    std::string seg = path.substr(start, slash == std::string::npos ? slash : slash - start);
    if (seg.empty()) return false;
    out->push_back(std::move(seg));
    if (slash == std::string::npos) return true;
    start = slash + 1;
  }
}

class Endpoint {
 public:
  Endpoint(DicomStore& store, DicomwebOptions options)
      : store_(store), options_(std::move(options)) {}

  // /wado: the same access rule, then WADO-URI.
  void HandleWado(HTTPServerRequest& request, HTTPServerResponse& response) {
    const StudyAccess access = AccessOf(request);
    if (!Refused(access, response)) Wado(request, response, access);
    Report(request, response, access, {WadoStudy(request)});
  }

  void Handle(HTTPServerRequest& request, HTTPServerResponse& response) {
    const StudyAccess access = AccessOf(request);
    std::vector<std::string> seg;
    const bool parsed = Segments(request.getURI(), &seg);
    if (!Refused(access, response)) Route(request, response, access, parsed, seg);
    if (!Reported(access)) return;
    const bool wado = seg.size() == 1 && seg[0] == "wado";
    // The studies the request named: WADO-URI's, the path's, or for QIDO those the ticket
    // covers; none for a STOW (refused: another facility stores nothing).
    Report(request, response, access,
           wado ? std::vector<std::string>{WadoStudy(request)}
           : seg.size() >= 2 && seg[0] == "studies" ? std::vector<std::string>{seg[1]}
           : request.getMethod() == "POST"           ? std::vector<std::string>{}
                                                     : access.studies);
  }

 private:
  // Whether the ATNA hook hears of a request: one not admitted to everything.
  bool Reported(const StudyAccess& access) const {
    return options_.on_other_facility && (!access.all || access.refused_status != 0);
  }
  void Report(HTTPServerRequest& request, HTTPServerResponse& response, const StudyAccess& access,
              const std::vector<std::string>& studies) const {
    if (!Reported(access)) return;
    options_.on_other_facility(request, access, studies, static_cast<int>(response.getStatus()));
  }

  static std::string WadoStudy(HTTPServerRequest& request) {
    Result<QueryParams> query = QueryParamsOf(request);
    if (!query.ok()) return "";
    for (const auto& [k, v] : *query) {
      if (k == "studyUID") return v;
    }
    return "";
  }

  // `seg`: the path in segments; `parsed` false when one was empty.
  void Route(HTTPServerRequest& request, HTTPServerResponse& response, const StudyAccess& access,
             bool parsed, const std::vector<std::string>& seg) {
    if (!parsed) {
      Text(response, 404, "no DICOMweb resource at " + request.getURI());
      return;
    }
    for (size_t i = 1; i < seg.size() && i < 6; i += 2) {
      // studies/{uid}/series/{uid}/instances/{uid}: every odd segment up to there is a UID.
      if (seg[i] != "metadata" && !IsValidUid(seg[i])) {
        Text(response, 400, "'" + seg[i] + "' is not a UID");
        return;
      }
    }
    const std::string& method = request.getMethod();
    if (seg.size() == 1 && seg[0] == "wado" && method == "GET") {
      return Wado(request, response, access);
    }
    if (!access.all && method == "POST") {
      return Text(response, 403, "STOW-RS stores images of this node's own facility only");
    }
    if (seg[0] == "studies" && seg.size() >= 2 && !access.Covers(seg[1])) {
      return NotCovered(response, seg[1]);
    }
    if (method == "POST") {
      if (seg[0] == "studies" && seg.size() <= 2) {
        return StowRs(store_, options_.max_stow_parts, request, response,
                      seg.size() == 2 ? seg[1] : "");
      }
      Text(response, 405, "STOW-RS takes POST /studies or /studies/{study}");
      return;
    }
    if (method != "GET") {
      Text(response, 405, "method " + method + " not allowed here");
      return;
    }
    Get(request, response, seg, access);
  }

  StudyAccess AccessOf(HTTPServerRequest& request) const {
    if (!options_.access) return StudyAccess::Everything();
    return options_.access(RequestPeer(request), request.get("Authorization", ""));
  }

  // Answers a refused request; false when `access` admits it.
  static bool Refused(const StudyAccess& access, HTTPServerResponse& response) {
    if (access.refused_status == 0) return false;
    if (!access.challenge.empty()) response.set("WWW-Authenticate", access.challenge);
    Text(response, access.refused_status, access.reason);
    return true;
  }

  // A study the access ticket does not cover: 403, whether or not the node holds it.
  static void NotCovered(HTTPServerResponse& response, const std::string& study) {
    response.set("WWW-Authenticate", kInsufficientScopeChallenge);
    Text(response, 403, "the access ticket does not cover study " + study);
  }

  void Get(HTTPServerRequest& request, HTTPServerResponse& response,
           const std::vector<std::string>& seg, const StudyAccess& access) {
    const size_t n = seg.size();
    const bool metadata = seg.back() == "metadata";
    const size_t m = metadata ? n - 1 : n;  // segments naming the resource
    if (seg[0] == "studies" && (seg.back() == "rendered" || seg.back() == "thumbnail")) {
      return Rendered(store_, request, response, seg);
    }
    // QIDO: a level name last (studies | series | instances).
    if (!metadata && (m % 2 == 1)) {
      QidoQuery q;
      const std::string& level = seg[m - 1];
      if (m == 1 && level == "studies") {
        q.level = Level::kStudy;
      } else if ((m == 1 || (m == 3 && seg[0] == "studies")) && level == "series") {
        q.level = Level::kSeries;
      } else if ((m == 1 || (m == 3 && seg[0] == "studies") ||
                  (m == 5 && seg[0] == "studies" && seg[2] == "series")) &&
                 level == "instances") {
        q.level = Level::kInstance;
      } else {
        Text(response, 404, "no DICOMweb resource at " + request.getURI());
        return;
      }
      if (m >= 3) q.study_uid = seg[1];
      if (m == 5) q.series_uid = seg[3];
      return Qido(request, response, &q, access);
    }
    if (n == 8 && seg[0] == "studies" && seg[2] == "series" && seg[4] == "instances" &&
        seg[6] == "frames") {
      return Frames(store_, request, response, seg[1], seg[3], seg[5], seg[7]);
    }
    if (n == 8 && seg[0] == "studies" && seg[2] == "series" && seg[4] == "instances" &&
        seg[6] == "bulkdata") {
      return BulkData(store_, request, response, seg[1], seg[3], seg[5], seg[7]);
    }
    // WADO-RS: studies/{s}[/series/{se}[/instances/{i}]][/metadata]
    if (seg[0] != "studies" || (m >= 4 && seg[2] != "series") ||
        (m >= 6 && seg[4] != "instances") || m > 6) {
      Text(response, 404, "no DICOMweb resource at " + request.getURI());
      return;
    }
    const std::string study = seg[1];
    const std::string series = m >= 4 ? seg[3] : "";
    const std::string sop = m >= 6 ? seg[5] : "";
    if (metadata) return Metadata(request, response, study, series, sop);
    Retrieve(request, response, study, series, sop);
  }

  // WADO-URI (PS3.18 §9): ?requestType=WADO&studyUID=&seriesUID=&objectUID= with
  // contentType application/dicom (the stored file, or transferSyntax
  // 1.2.840.10008.1.2.1 decoded), image/jpeg (the default) or image/png (rendered:
  // frameNumber, windowCenter/windowWidth, rows/columns, imageQuality).
  void Wado(HTTPServerRequest& request, HTTPServerResponse& response, const StudyAccess& access) {
    Result<QueryParams> query = QueryParamsOf(request);
    if (!query.ok()) return Text(response, 400, query.status().message());
    std::map<std::string, std::string> p(query->begin(), query->end());
    if (p["requestType"] != "WADO") return Text(response, 400, "requestType must be WADO");
    for (const char* uid : {"studyUID", "seriesUID", "objectUID"}) {
      if (!IsValidUid(p[uid])) return Text(response, 400, std::string(uid) + " must be a UID");
    }
    if (!access.Covers(p["studyUID"])) return NotCovered(response, p["studyUID"]);
    auto files = store_.Files(p["studyUID"], p["seriesUID"], p["objectUID"]);
    if (!files.ok()) {
      return Failed(response, files.status());
    }
    const StoredFile& f = files->front();
    const std::string type = p.count("contentType") ? p["contentType"] : "image/jpeg";
    if (type == "application/dicom") {
      const std::string ts = p["transferSyntax"];
      if (!ts.empty() && ts != f.transfer_syntax_uid) {
        if (ts != kExplicitLittleEndian) {
          return Text(response, 406, "served in " + f.transfer_syntax_uid + " or " +
                                         kExplicitLittleEndian + ", not " + ts);
        }
        auto bytes = TranscodeToExplicitLittleEndian(f.path);
        if (!bytes.ok()) return Text(response, 406, bytes.status().message());
        return SendResponse(response, 200, "application/dicom", *bytes);
      }
      response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
      response.setContentType("application/dicom");
      Status sent = SendStreamed(request, response, f.size, [&](ResponseBodyWriter& w) {
        return w.WriteFile(f.path, f.size);
      });
      if (!sent.ok()) LogWarning("dicomweb: WADO-URI answer cut short: " + sent.ToString());
      return;
    }
    if (type != "image/jpeg" && type != "image/png") {
      return Text(response, 406, "contentType is application/dicom, image/jpeg or image/png");
    }
    RenderOptions options;
    options.png = type == "image/png";
    std::vector<std::pair<std::string, std::string>> render;
    if (p.count("windowCenter") || p.count("windowWidth")) {
      render.emplace_back("window", p["windowCenter"] + "," + p["windowWidth"]);
    }
    if (p.count("columns") || p.count("rows")) {
      const std::string c = p.count("columns") ? p["columns"] : p["rows"];
      const std::string r = p.count("rows") ? p["rows"] : p["columns"];
      render.emplace_back("viewport", c + "," + r);
    }
    if (p.count("imageQuality")) render.emplace_back("quality", p["imageQuality"]);
    Status parsed = ParseRenderParams(render, &options);
    if (!parsed.ok()) return Text(response, 400, parsed.message());
    if (p.count("frameNumber")) {
      const std::optional<int64_t> n = FrameNumber(p["frameNumber"]);
      if (!n) return Text(response, 400, "frameNumber must be an integer >= 1");
      options.frame = *n;
    }
    if (options.frame > std::max<int64_t>(1, f.frames)) {
      return Text(response, 404, "no frame " + std::to_string(options.frame));
    }
    auto image = RenderImage(f.path, options);
    if (!image.ok()) {
      return Text(response, image.status().code() == StatusCode::kInvalidArgument ? 406 : 500,
                  image.status().message());
    }
    SendResponse(response, 200, type, *image);
  }

  void Qido(HTTPServerRequest& request, HTTPServerResponse& response, QidoQuery* q,
            const StudyAccess& access) {
    if (!AcceptsJson(request)) {
      Text(response, 406, "QIDO-RS answers application/dicom+json");
      return;
    }
    Result<QueryParams> params = QueryParamsOf(request);
    if (!params.ok()) return Text(response, 400, params.status().message());
    std::vector<std::string> ignored;
    Status parsed = ParseQidoParams(*params, q, &ignored);
    if (!parsed.ok()) {
      Text(response, 400, parsed.message());
      return;
    }
    if (!access.all) {  // another facility: the studies its ticket covers, and no others
      Match covered;
      covered.attr = FindAttribute("StudyInstanceUID");
      covered.kind = MatchKind::kValueList;
      covered.values = access.studies;
      q->matches.push_back(std::move(covered));
    }
    Result<std::vector<QidoRow>> rows = access.all || !access.studies.empty()
                                            ? store_.Search(*q, options_.max_qido_results)
                                            : std::vector<QidoRow>{};
    if (!rows.ok()) {
      LogError("dicomweb: QIDO-RS: " + rows.status().ToString());
      Text(response, 500, "the DICOM index failed");
      return;
    }
    if (!ignored.empty()) {
      std::string list;
      for (const std::string& f : ignored) list += (list.empty() ? "" : ", ") + f;
      response.set("Warning", "299 renkei: \"The fields " + list + " are not returned\"");
    }
    if (rows->empty()) {  // PS3.18 §10.6.3.2: no match is 204 No Content
      response.setStatus(Poco::Net::HTTPResponse::HTTP_NO_CONTENT);
      response.setContentLength(0);
      response.send();
      return;
    }
    const std::string base = BaseUrl(request);
    std::string body = "[";
    for (size_t i = 0; i < rows->size(); ++i) {
      const QidoRow& row = (*rows)[i];
      std::string study, series, sop;
      for (const auto& [attr, value] : row.values) {
        if (attr->tag == 0x0020000D) study = value;
        if (attr->tag == 0x0020000E) series = value;
        if (attr->tag == 0x00080018) sop = value;
      }
      std::string url = q->level == Level::kStudy  ? StudyUrl(base, study)
                        : q->level == Level::kSeries ? SeriesUrl(base, study, series)
                                                     : SeriesUrl(base, study, series) +
                                                           "/instances/" + sop;
      if (i) body += ",";
      AppendQidoObject(row, url, &body);
    }
    body += "]";
    SendResponse(response, 200, kDicomJson, body);
  }

  void Metadata(HTTPServerRequest& request, HTTPServerResponse& response,
                const std::string& study, const std::string& series, const std::string& sop) {
    if (!AcceptsJson(request)) return Text(response, 406, "metadata is served as application/dicom+json");
    auto rows = store_.Metadata(study, series, sop);
    if (!rows.ok()) {
      return Failed(response, rows.status());
    }
    const std::string base = BaseUrl(request);
    const std::string marker = kBulkBase;
    std::string body = "[";
    for (size_t i = 0; i < rows->size(); ++i) {
      const auto& [file, json] = (*rows)[i];
      if (i) body += ",";
      const std::string url = InstanceUrl(base, file);
      size_t at = 0;
      for (size_t hit; (hit = json.find(marker, at)) != std::string::npos;
           at = hit + marker.size()) {
        body.append(json, at, hit - at);
        body += url;
      }
      body.append(json, at, std::string::npos);
    }
    body += "]";
    SendResponse(response, 200, kDicomJson, body);
  }

  void Retrieve(HTTPServerRequest& request, HTTPServerResponse& response,
                const std::string& study, const std::string& series, const std::string& sop) {
    // Accept: multipart/related; type="application/dicom" (the default), its transfer-syntax
    // either absent, "*" or the stored one.
    const std::string accept = request.get("Accept", "");
    auto files = store_.Files(study, series, sop);
    if (!files.ok()) {
      return Failed(response, files.status());
    }
    if (!accept.empty() && accept.find("*/*") == std::string::npos) {
      if (accept.find("multipart/related") == std::string::npos ||
          accept.find("application/dicom") == std::string::npos) {
        return Text(response, 406,
                    "instances are served as multipart/related; type=\"application/dicom\"");
      }
      const std::string ts = MediaTypeParameter(accept, "transfer-syntax");
      bool transcode = false;
      for (const StoredFile& f : *files) {
        if (ts.empty() || ts == "*" || ts == f.transfer_syntax_uid) continue;
        if (ts != kExplicitLittleEndian) {
          return Text(response, 406, "instance " + f.sop_instance_uid + " is stored in " +
                                         f.transfer_syntax_uid + "; it is served in that or in " +
                                         kExplicitLittleEndian + ", not " + ts);
        }
        transcode = true;
      }
      if (transcode) return RetrieveTranscoded(request, response, *files);
    }
    const std::string boundary = NewMtomBoundary();
    std::vector<std::string> heads;
    uint64_t length = 0;
    for (const StoredFile& f : *files) {
      heads.push_back("--" + boundary + "\r\nContent-Type: application/dicom; transfer-syntax=" +
                      f.transfer_syntax_uid + "\r\nContent-Length: " + std::to_string(f.size) +
                      "\r\n\r\n");
      length += heads.back().size() + f.size + 2;
    }
    const std::string closing = "--" + boundary + "--\r\n";
    length += closing.size();
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType("multipart/related; type=\"application/dicom\"; boundary=" +
                            boundary);
    Status sent = SendStreamed(request, response, length, [&](ResponseBodyWriter& w) -> Status {
      for (size_t i = 0; i < files->size(); ++i) {
        RENKEI_RETURN_IF_ERROR(w.Write(heads[i]));
        RENKEI_RETURN_IF_ERROR(w.WriteFile((*files)[i].path, (*files)[i].size));
        RENKEI_RETURN_IF_ERROR(w.Write("\r\n"));
      }
      return w.Write(closing);
    });
    if (!sent.ok()) LogWarning("dicomweb: WADO-RS answer cut short: " + sent.ToString());
  }

  // Instances in explicit VR little endian: those stored otherwise decoded by DCMTK (in
  // memory, one instance at a time), those stored so sent from their files.
  void RetrieveTranscoded(HTTPServerRequest& request, HTTPServerResponse& response,
                          const std::vector<StoredFile>& files) {
    const std::string boundary = NewMtomBoundary();
    const std::string head = "--" + boundary + "\r\nContent-Type: application/dicom; transfer-syntax=" +
                             std::string(kExplicitLittleEndian) + "\r\n\r\n";
    const std::string closing = "--" + boundary + "--\r\n";
    std::vector<std::string> decoded(files.size());  // empty: sent from the file
    uint64_t length = closing.size();
    for (size_t i = 0; i < files.size(); ++i) {
      const StoredFile& f = files[i];
      if (f.transfer_syntax_uid != kExplicitLittleEndian) {
        Result<std::string> bytes = TranscodeToExplicitLittleEndian(f.path);
        if (!bytes.ok()) {
          return Text(response, bytes.status().code() == StatusCode::kInvalidArgument ? 406 : 500,
                      "instance " + f.sop_instance_uid + ": " + bytes.status().message());
        }
        decoded[i] = std::move(bytes.value());
      }
      length += head.size() + (decoded[i].empty() ? f.size : decoded[i].size()) + 2;
    }
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType("multipart/related; type=\"application/dicom\"; boundary=" + boundary);
    Status sent = SendStreamed(request, response, length, [&](ResponseBodyWriter& w) -> Status {
      for (size_t i = 0; i < files.size(); ++i) {
        RENKEI_RETURN_IF_ERROR(w.Write(head));
        RENKEI_RETURN_IF_ERROR(decoded[i].empty() ? w.WriteFile(files[i].path, files[i].size)
                                                  : w.Write(decoded[i]));
        RENKEI_RETURN_IF_ERROR(w.Write("\r\n"));
      }
      return w.Write(closing);
    });
    if (!sent.ok()) LogWarning("dicomweb: WADO-RS answer cut short: " + sent.ToString());
  }

  DicomStore& store_;
  const DicomwebOptions options_;
};

}  // namespace

void AddDicomwebRoutes(HttpRouter& router, DicomStore& store, const DicomwebOptions& options) {
  auto endpoint = std::make_shared<Endpoint>(store, options);
  HttpHandler handler = [endpoint](HTTPServerRequest& request, HTTPServerResponse& response) {
    endpoint->Handle(request, response);
  };
  for (const char* method : {"GET", "POST"}) {
    router.Prefix(method, kDicomwebPrefix, handler);
  }
  // WADO-URI also at /wado, where viewers of the URI service look for it.
  router.Exact("GET", "/wado", [endpoint](HTTPServerRequest& request, HTTPServerResponse& response) {
    endpoint->HandleWado(request, response);
  });
}

}  // namespace renkei::dicomweb
