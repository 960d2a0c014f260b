// Issue 5 end-to-end fixture: a centre that issues access tickets (tickets.key_file) and a
// node that trusts them (tickets.jwks_file, fetched from the centre), both in insecure
// loopback mode, the node's hospital having published one document through ITI-41 → ITI-42.
// Shared by the access-control, ticket-refusal and relay tests.
#ifndef RENKEI_TESTS_E2E_TICKETED_REGION_H_
#define RENKEI_TESTS_E2E_TICKETED_REGION_H_

#include <memory>
#include <string>
#include <vector>

#include "tests/e2e/centre_process.h"
#include "tests/e2e/node_process.h"
#include "tests/e2e/soap_wire.h"

namespace renkei::e2e {

inline constexpr char kFacilityHeader[] = "X-Renkei-Facility";

class TicketedRegion {
 public:
  // Starts the centre (with `centre_overrides` after the ticket key) and the node, and
  // publishes one text/plain document holding `content` for PatientId(1). "" on success,
  // else what failed.
  std::string Start(const std::vector<std::string>& centre_overrides, const std::string& content);

  // True once the ITI-81 search `query` read as facility `reader` finds a record containing
  // `text`; false after 5 s (transaction records and those a node ships arrive a moment
  // after the answer).
  bool AuditedWith(const std::string& reader, const std::string& query,
                   const std::string& text) const;

  const std::string& key_file() const { return key_file_; }
  CentreProcess& centre() const { return *centre_; }
  NodeProcess& node() const { return *node_; }
  const TestSubmission& submission() const { return sub_; }

 private:
  TempDir dir_;
  std::string key_file_;
  std::unique_ptr<CentreProcess> centre_;
  std::unique_ptr<NodeProcess> node_;
  TestSubmission sub_;
};

}  // namespace renkei::e2e

#endif  // RENKEI_TESTS_E2E_TICKETED_REGION_H_
