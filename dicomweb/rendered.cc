// Rendered frames with DCMTK (dcmimgle / dcmimage, JPEG via dcmjpeg, PNG via dcmimage).
#include "dicomweb/rendered.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmimage/diregist.h>
#include <dcmtk/dcmimage/dipipng.h>
#include <dcmtk/dcmimgle/dcmimage.h>
#include <dcmtk/dcmjpeg/dipijpeg.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>

#include "dicomweb/dicom_reader.h"
#include "dicomweb/split.h"

namespace renkei::dicomweb {
namespace {

bool Number(const std::string& s, double* out) {
  if (s.empty()) return false;
  char* end = nullptr;
  *out = std::strtod(s.c_str(), &end);
  return end != s.c_str() && *end == '\0';
}

Status Bad(const std::string& name, const std::string& message) {
  return Status::InvalidArgument("render", "query parameter '" + name + "': " + message, name);
}

}  // namespace

Status ParseRenderParams(const std::vector<std::pair<std::string, std::string>>& params,
                         RenderOptions* options) {
  for (const auto& [name, value] : params) {
    if (name == "quality") {
      double q;
      if (!Number(value, &q) || q < 1 || q > 100) return Bad(name, "must be 1 to 100");
      options->quality = static_cast<int>(q);
    } else if (name == "window") {
      const std::vector<std::string> v = Split(value, ',');
      double center, width;
      if (v.size() < 2 || v.size() > 3 || !Number(v[0], &center) || !Number(v[1], &width) ||
          width <= 0) {
        return Bad(name, "is center,width[,function] with width > 0");
      }
      if (v.size() == 3 && v[2] != "linear" && v[2] != "LINEAR") {
        return Bad(name, "only the linear VOI LUT function is supported");
      }
      options->window = {center, width};
    } else if (name == "viewport") {
      const std::vector<std::string> v = Split(value, ',');
      double w, h;
      if (v.size() < 2 || !Number(v[0], &w) || !Number(v[1], &h) || w < 1 || h < 1 ||
          w > 8192 || h > 8192) {
        return Bad(name, "is vw,vh[,…] with 1 to 8192 pixels");
      }
      options->viewport_width = static_cast<int>(w);
      options->viewport_height = static_cast<int>(h);
    }
    // Other parameters (annotation, charset, iccprofile) are not applied.
  }
  return Status::Ok();
}

Result<std::string> RenderImage(const std::string& path, const RenderOptions& options) {
  RegisterDecoders();
  auto image = std::make_unique<DicomImage>(path.c_str(), CIF_UsePartialAccessToPixelData,
                                            static_cast<unsigned long>(options.frame - 1), 1);
  if (image->getStatus() != EIS_Normal) {
    return Status::InvalidArgument("render", std::string("cannot render: ") +
                                                 DicomImage::getString(image->getStatus()));
  }
  if (options.frame > static_cast<int64_t>(image->getNumberOfFrames() + image->getFirstFrame())) {
    return Status::NotFound("render", "no frame " + std::to_string(options.frame));
  }
  if (image->isMonochrome()) {
    if (options.window) {
      image->setWindow(options.window->first, options.window->second);
    } else if (image->getWindowCount() > 0) {
      image->setWindow(0);
    } else {
      image->setMinMaxWindow();
    }
  }
  if (options.viewport_width > 0) {
    // Fit inside the viewport, keeping the aspect ratio.
    const double sx = options.viewport_width / static_cast<double>(image->getWidth());
    const double sy = options.viewport_height / static_cast<double>(image->getHeight());
    const double s = std::min(sx, sy);
    const unsigned long w = std::max(1ul, static_cast<unsigned long>(image->getWidth() * s));
    const unsigned long h = std::max(1ul, static_cast<unsigned long>(image->getHeight() * s));
    std::unique_ptr<DicomImage> scaled(image->createScaledImage(w, h, 1, 0));
    if (scaled == nullptr) return Status::Internal("render", "cannot scale the image");
    image = std::move(scaled);
  }
  char* buffer = nullptr;
  size_t size = 0;
  FILE* out = ::open_memstream(&buffer, &size);
  if (out == nullptr) return Status::Internal("render", "out of memory");
  int written;
  if (options.png) {
    DiPNGPlugin plugin;
    written = image->writePluginFormat(&plugin, out);
  } else {
    DiJPEGPlugin plugin;
    plugin.setQuality(static_cast<unsigned int>(options.quality));
    written = image->writePluginFormat(&plugin, out);
  }
  std::fclose(out);
  std::string bytes(buffer, size);
  std::free(buffer);
  if (!written) return Status::Internal("render", "cannot encode the image");
  return bytes;
}

}  // namespace renkei::dicomweb
