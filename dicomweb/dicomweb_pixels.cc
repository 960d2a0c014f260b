// Pixel data answers of WADO-RS (PS3.18 §10.4): frames, bulk data, rendered images and
// thumbnails (dicomweb_handlers.h).
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <algorithm>
#include <optional>
#include <set>
#include <vector>

#include "common/http_server.h"
#include "common/log.h"
#include "common/mtom.h"
#include "dicomweb/dicom_reader.h"
#include "dicomweb/dicomweb_handlers.h"
#include "dicomweb/rendered.h"

namespace renkei::dicomweb {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// A rendered study or series (PS3.18 §10.4.1.1.3): multipart/related of its instances
// rendered (each its first frame), in series and instance order.
void RenderedInstances(HTTPServerRequest& request, HTTPServerResponse& response,
                       const std::vector<StoredFile>& files, const RenderOptions& options) {
  constexpr size_t kMaxRendered = 1000;
  if (files.size() > kMaxRendered) {
    return Text(response, 413, "a rendered study or series is served up to " +
                                   std::to_string(kMaxRendered) + " instances; ask per series");
  }
  const std::string type = options.png ? "image/png" : "image/jpeg";
  const std::string boundary = NewMtomBoundary();
  const std::string base = BaseUrl(request);
  std::vector<std::string> parts;
  uint64_t length = 0;
  for (const StoredFile& f : files) {
    Result<std::string> image = RenderImage(f.path, options);
    if (!image.ok()) return Failed(response, image.status());
    parts.push_back("--" + boundary + "\r\nContent-Type: " + type + "\r\nContent-Location: " +
                    InstanceUrl(base, f) + "/rendered\r\nContent-Length: " +
                    std::to_string(image->size()) + "\r\n\r\n" + *image + "\r\n");
    length += parts.back().size();
  }
  parts.push_back("--" + boundary + "--\r\n");
  length += parts.back().size();
  response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
  response.setContentType("multipart/related; type=\"" + type + "\"; boundary=" + boundary);
  Status sent = SendStreamed(request, response, length, [&](ResponseBodyWriter& w) -> Status {
    for (const std::string& p : parts) RENKEI_RETURN_IF_ERROR(w.Write(p));
    return Status::Ok();
  });
  if (!sent.ok()) LogWarning("dicomweb: rendered answer cut short: " + sent.ToString());
}

}  // namespace

// PS3.18 §10.4.1.1.3 frames: multipart/related; type="application/octet-stream" (native
// pixel data as byte ranges of the file, sendfile) or the compressed frames' own type.
void Frames(DicomStore& store, HTTPServerRequest& request, HTTPServerResponse& response,
            const std::string& study, const std::string& series, const std::string& sop,
            const std::string& list) {
  std::vector<int64_t> numbers;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    const std::optional<int64_t> n = FrameNumber(list.substr(start, comma - start));
    if (!n) return Text(response, 400, "frame numbers are a comma-separated list of integers >= 1");
    numbers.push_back(*n);
    start = comma + 1;
  }
  auto files = store.Files(study, series, sop);
  if (!files.ok()) {
    return Failed(response, files.status());
  }
  const StoredFile& f = files->front();
  const std::string accept = request.get("Accept", "");
  const int64_t count = std::max<int64_t>(1, f.frames);
  // Rows, columns, samples and bits are each bounded at ingest (dicom_reader.cc), so the
  // product fits; the frames must lie inside the pixel data (compared by division).
  const uint64_t frame_bytes =
      f.rows > 0 && f.columns > 0 && f.bits_allocated > 0
          ? static_cast<uint64_t>(f.rows) * static_cast<uint64_t>(f.columns) *
                static_cast<uint64_t>(std::max<int64_t>(1, f.samples_per_pixel)) *
                static_cast<uint64_t>(f.bits_allocated / 8)
          : 0;
  const bool native = f.pixel_offset >= 0 && f.bits_allocated % 8 == 0 && frame_bytes > 0 &&
                      static_cast<uint64_t>(f.pixel_offset) <= f.size &&
                      frame_bytes <= (f.size - static_cast<uint64_t>(f.pixel_offset)) /
                                         static_cast<uint64_t>(count);
  // Each frame once, and no more than the instance has (the answer is built from them).
  {
    std::set<int64_t> seen(numbers.begin(), numbers.end());
    if (seen.size() != numbers.size()) {
      return Text(response, 400, "a frame number is repeated in " + list);
    }
  }
  for (int64_t n : numbers) {
    if (n > count) return Text(response, 404, "the instance has " + std::to_string(count) +
                                                  " frame(s), not " + std::to_string(n));
  }
  const std::string boundary = NewMtomBoundary();
  const std::string closing = "--" + boundary + "--\r\n";
  if (native) {
    if (!Accepts(accept, "application/octet-stream")) {
      return Text(response, 406, "these frames are served as multipart/related; "
                                 "type=\"application/octet-stream\"");
    }
    const std::string head = "--" + boundary +
                             "\r\nContent-Type: application/octet-stream; transfer-syntax=" +
                             f.transfer_syntax_uid + "\r\n\r\n";
    const uint64_t length =
        numbers.size() * (head.size() + frame_bytes + 2) + closing.size();
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType(
        "multipart/related; type=\"application/octet-stream\"; boundary=" + boundary);
    Status sent = SendStreamed(request, response, length, [&](ResponseBodyWriter& w) -> Status {
      for (int64_t n : numbers) {
        RENKEI_RETURN_IF_ERROR(w.Write(head));
        RENKEI_RETURN_IF_ERROR(w.WriteFileRange(
            f.path, static_cast<uint64_t>(f.pixel_offset) + (n - 1) * frame_bytes, frame_bytes));
        RENKEI_RETURN_IF_ERROR(w.Write("\r\n"));
      }
      return w.Write(closing);
    });
    if (!sent.ok()) LogWarning("dicomweb: frames answer cut short: " + sent.ToString());
    return;
  }
  std::string media_type;
  auto frames = ReadFrames(f.path, numbers, &media_type);
  if (!frames.ok()) {
    return Failed(response, frames.status());
  }
  if (!Accepts(accept, media_type)) {
    return Text(response, 406, "these frames are served as multipart/related; type=\"" +
                                   media_type + "\"");
  }
  std::string body;
  for (const std::string& frame : *frames) {
    body += "--" + boundary + "\r\nContent-Type: " + media_type + "; transfer-syntax=" +
            f.transfer_syntax_uid + "\r\n\r\n";
    body += frame;
    body += "\r\n";
  }
  body += closing;
  SendResponse(response, 200,
               "multipart/related; type=\"" + media_type + "\"; boundary=" + boundary, body);
}

// PS3.18 §10.4.1.1.6/7: …/instances/{i}/rendered, …/frames/{n}/rendered, and thumbnails
// of an instance, a series (its middle instance) or a study (its first series' middle
// instance). JPEG unless the Accept header asks for PNG; thumbnails fit 128 × 128.
void Rendered(DicomStore& store, HTTPServerRequest& request, HTTPServerResponse& response,
              const std::vector<std::string>& seg) {
  const size_t n = seg.size();
  const bool thumbnail = seg.back() == "thumbnail";
  int64_t frame = 1;
  bool ok_path = (n == 3) || (n == 5 && seg[2] == "series") ||
                 (n == 7 && seg[2] == "series" && seg[4] == "instances");
  // rendered: an instance, one frame of it, or (below) every instance of a study or series
  if (n == 9 && !thumbnail && seg[2] == "series" && seg[4] == "instances" &&
      seg[6] == "frames") {
    const std::optional<int64_t> f = FrameNumber(seg[7]);
    if (!f) return Text(response, 400, "a rendered frame is one frame number >= 1");
    frame = *f;
    ok_path = true;
  }
  if (!ok_path) return Text(response, 404, "no DICOMweb resource at " + request.getURI());
  const std::string accept = request.get("Accept", "");
  RenderOptions options;
  options.frame = frame;
  if (accept.find("image/png") != std::string::npos &&
      accept.find("image/jpeg") == std::string::npos) {
    options.png = true;
  } else if (!accept.empty() && accept.find("*/*") == std::string::npos &&
             accept.find("image/*") == std::string::npos &&
             accept.find("image/jpeg") == std::string::npos) {
    return Text(response, 406, "rendered images are image/jpeg or image/png");
  }
  Result<QueryParams> params = QueryParamsOf(request);
  if (!params.ok()) return Text(response, 400, params.status().message());
  Status parsed = ParseRenderParams(*params, &options);
  if (!parsed.ok()) return Text(response, 400, parsed.message());
  if (thumbnail && options.viewport_width == 0) {
    options.viewport_width = options.viewport_height = 128;
  }
  auto files = store.Files(seg[1], n >= 5 ? seg[3] : "", n >= 7 ? seg[5] : "");
  if (!files.ok()) {
    return Failed(response, files.status());
  }
  if (!thumbnail && n < 7) return RenderedInstances(request, response, *files, options);
  // A series' middle instance; a study's first series' middle instance.
  size_t pick = 0;
  if (files->size() > 1) {
    size_t end = 0;
    while (end < files->size() && (*files)[end].series_uid == files->front().series_uid) ++end;
    pick = end / 2;
  }
  const StoredFile& f = (*files)[pick];
  if (frame > std::max<int64_t>(1, f.frames)) {
    return Text(response, 404, "the instance has " + std::to_string(std::max<int64_t>(1, f.frames)) +
                                   " frame(s), not " + std::to_string(frame));
  }
  auto image = RenderImage(f.path, options);
  if (!image.ok()) {
    return Failed(response, image.status());
  }
  SendResponse(response, 200, options.png ? "image/png" : "image/jpeg", *image);
}

// PS3.18 §10.4.1.1.5 bulk data: the value a BulkDataURI of the metadata names, one
// application/octet-stream part (native pixel data by sendfile from the file).
void BulkData(DicomStore& store, HTTPServerRequest& request, HTTPServerResponse& response,
              const std::string& study, const std::string& series, const std::string& sop,
              const std::string& tag_hex) {
  if (tag_hex.size() != 8 || tag_hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
    return Text(response, 404, "no bulk data '" + tag_hex + "' (a tag is 8 hex digits)");
  }
  if (!Accepts(request.get("Accept", ""), "application/octet-stream")) {
    return Text(response, 406, "bulk data is served as multipart/related; "
                               "type=\"application/octet-stream\"");
  }
  auto files = store.Files(study, series, sop);
  if (!files.ok()) {
    return Failed(response, files.status());
  }
  const StoredFile& f = files->front();
  const uint32_t tag = static_cast<uint32_t>(std::stoul(tag_hex, nullptr, 16));
  const std::string boundary = NewMtomBoundary();
  const std::string head = "--" + boundary + "\r\nContent-Type: application/octet-stream\r\n\r\n";
  const std::string closing = "\r\n--" + boundary + "--\r\n";
  const std::string type = "multipart/related; type=\"application/octet-stream\"; boundary=" + boundary;
  if (tag == 0x7FE00010 && f.pixel_offset >= 0) {
    const uint64_t size = f.size - static_cast<uint64_t>(f.pixel_offset);
    response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType(type);
    Status sent = SendStreamed(request, response, head.size() + size + closing.size(),
                               [&](ResponseBodyWriter& w) -> Status {
                                 RENKEI_RETURN_IF_ERROR(w.Write(head));
                                 RENKEI_RETURN_IF_ERROR(w.WriteFileRange(
                                     f.path, static_cast<uint64_t>(f.pixel_offset), size));
                                 return w.Write(closing);
                               });
    if (!sent.ok()) LogWarning("dicomweb: bulk data answer cut short: " + sent.ToString());
    return;
  }
  auto reader = BulkDataReader::Open(f.path, tag);
  if (!reader.ok()) {
    return Failed(response, reader.status());
  }
  const uint64_t size = (*reader)->size();
  response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
  response.setContentType(type);
  Status sent = SendStreamed(request, response, head.size() + size + closing.size(),
                             [&](ResponseBodyWriter& w) -> Status {
                               RENKEI_RETURN_IF_ERROR(w.Write(head));
                               std::string piece;
                               for (uint64_t at = 0; at < size;) {
                                 const uint32_t n = static_cast<uint32_t>(
                                     std::min<uint64_t>(size - at, 1 << 20));
                                 RENKEI_RETURN_IF_ERROR((*reader)->Read(at, n, &piece));
                                 RENKEI_RETURN_IF_ERROR(w.Write(piece));
                                 at += n;
                               }
                               return w.Write(closing);
                             });
  if (!sent.ok()) LogWarning("dicomweb: bulk data answer cut short: " + sent.ToString());
}

}  // namespace renkei::dicomweb
