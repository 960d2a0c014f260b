// The operator's set-up of the demo region's facility directory (architecture §5): every
// facility with its certificate, and each hospital's repository with its ITI-43 and ITI-68
// endpoints, written before the centre starts (what `renkei directory` does by hand).
#ifndef RENKEI_APPS_DEMO_DIRECTORY_H_
#define RENKEI_APPS_DEMO_DIRECTORY_H_

#include <string>
#include <vector>

#include "apps/demo_data.h"
#include "apps/demo_pki.h"
#include "common/status.h"

namespace renkei::apps {

// Writes the directory into `<centre_data_dir>/directory.sqlite`. `node_urls[h]` is
// hospital h's node base URL.
Status WriteDemoDirectory(const std::string& centre_data_dir, const DemoRegion& region,
                          const DemoPki& pki, const std::vector<std::string>& node_urls);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_DEMO_DIRECTORY_H_
