// `renkei centre`: the streaming retrieve relay's wiring (relay/relay_endpoint.h,
// docs/relay.md): which node a facility OID names (the facility directory's endpoints), the
// centre's own identity towards the nodes, and the ATNA record of every relayed request.
#ifndef RENKEI_APPS_CENTRE_RELAY_H_
#define RENKEI_APPS_CENTRE_RELAY_H_

#include <memory>
#include <string>
#include <vector>

#include "apps/role.h"
#include "audit/audit_sink.h"
#include "audit/transaction_events.h"
#include "common/config.h"
#include "common/http_server.h"
#include "directory/directory_store.h"
#include "trust/access_ticket.h"

namespace renkei::apps {

// The relay's config keys (relay.*).
std::vector<ConfigKey> RelayConfigKeys();

// Adds GET/POST /relay/ to `router` when the centre issues tickets (`signer` non-null) and
// knows its own facility (its certificate's; in insecure loopback mode config key
// relay.facility, else the relay is off and logged so). Relayed requests are recorded in
// `transactions` (110106 Export to the consumer), refused tickets in `alerts` (110113); both
// must outlive the router's server. InvalidArgument naming a bad relay.* key.
Status AddCentreRelay(HttpRouter& router, const Config& config, const RoleTls& tls,
                      directory::DirectoryStore& directory,
                      std::shared_ptr<const trust::TicketSigner> signer, const std::string& issuer,
                      audit::AuditSink* transactions, audit::AuditSink* alerts,
                      const audit::Exchange& self);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_CENTRE_RELAY_H_
