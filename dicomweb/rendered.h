// Rendered images of stored instances (PS3.18 §10.4.1.1.6 rendered, §10.4.1.1.7 thumbnail):
// a frame through DCMTK's image pipeline (modality LUT, the VOI window, colour models;
// compressed pixel data decoded by DCMTK's JPEG, JPEG-LS and RLE codecs), scaled to a
// viewport, written as JPEG or PNG.
//
// Thread-safety: free functions (DCMTK's codec registration is done once, thread-safe).
#ifndef RENKEI_DICOMWEB_RENDERED_H_
#define RENKEI_DICOMWEB_RENDERED_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace renkei::dicomweb {

struct RenderOptions {
  int64_t frame = 1;       // 1-based
  bool png = false;        // else JPEG
  int quality = 90;        // JPEG, 1..100
  std::optional<std::pair<double, double>> window;  // center, width; else the instance's own
  int viewport_width = 0;  // 0: the image's own size
  int viewport_height = 0;
};

// PS3.18 §8.3.5.1 rendering parameters from the query string: quality, window
// (center,width[,function]), viewport (vw,vh[,…]). InvalidArgument naming a bad one.
Status ParseRenderParams(const std::vector<std::pair<std::string, std::string>>& params,
                         RenderOptions* options);

// The image of `options.frame` of the instance at `path`. NotFound for a frame out of
// range; InvalidArgument when the instance has no renderable pixel data.
Result<std::string> RenderImage(const std::string& path, const RenderOptions& options);

}  // namespace renkei::dicomweb

#endif  // RENKEI_DICOMWEB_RENDERED_H_
