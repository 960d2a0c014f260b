// `renkei demo`: a whole region on loopback, nothing to set up.
#ifndef RENKEI_APPS_DEMO_H_
#define RENKEI_APPS_DEMO_H_

#include <string>
#include <vector>

namespace renkei::apps {

// `renkei demo [--port N] [--data-dir DIR] [--once]`; --once exits after seeding and
// checking the printed example. Exit code.
int RunDemo(const std::vector<std::string>& args);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_DEMO_H_
