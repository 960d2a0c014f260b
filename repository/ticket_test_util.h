// Test helpers for a node serving ITI-43 / ITI-68 under access tickets (tests only): documents
// stored and registered for given patients, and a ticket signer with the guard that trusts it
// (insecure loopback: tickets bound to the facility OID).
#ifndef RENKEI_REPOSITORY_TICKET_TEST_UTIL_H_
#define RENKEI_REPOSITORY_TICKET_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "repository/document_store.h"
#include "repository/ticket_guard.h"
#include "trust/access_ticket.h"

namespace renkei::repository::testing {

// Stores "content of <uid>" (text/plain) for each {uid, patient} and marks it registered.
inline void StoreRegistered(DocumentStore& store,
                            const std::vector<std::pair<std::string, std::string>>& documents) {
  for (const auto& [uid, patient] : documents) {
    auto up = store.BeginUpload();
    ASSERT_TRUE(up.ok());
    const std::string bytes = "content of " + uid;
    ASSERT_TRUE((*up)->Write(bytes.data(), bytes.size()).ok());
    ASSERT_TRUE((*up)->Finish().ok());
    ASSERT_TRUE(store.Stage({{uid, "text/plain", up->get(), patient}}).ok());
    ASSERT_TRUE(store.MarkRegistered({uid}).ok());
  }
}

// A fresh ticket key and the guard of facility `options.own_facility_oid` trusting it for
// tickets of `issuer` (insecure_holder_is_facility is set: plain HTTP tests).
struct TicketKit {
  std::unique_ptr<trust::TicketSigner> signer;
  std::shared_ptr<const TicketGuard> guard;
};
inline TicketKit MakeTicketKit(TicketGuardOptions options, const std::string& issuer) {
  TicketKit kit;
  auto key = trust::GenerateTicketKeyPem();
  EXPECT_TRUE(key.ok());
  auto signer = trust::TicketSigner::Create(key.ok() ? *key : "");
  EXPECT_TRUE(signer.ok());
  if (!signer.ok()) return kit;
  kit.signer = std::make_unique<trust::TicketSigner>(std::move(signer.value()));
  trust::VerifierOptions vo;
  vo.audience = options.own_facility_oid;
  vo.issuer = issuer;
  auto verifier = trust::TicketVerifier::Create({kit.signer->public_key_pem()}, vo);
  EXPECT_TRUE(verifier.ok());
  if (!verifier.ok()) return kit;
  options.insecure_holder_is_facility = true;
  auto guard = TicketGuard::Create(std::move(options), std::move(verifier.value()));
  EXPECT_TRUE(guard.ok());
  if (guard.ok()) kit.guard = std::move(guard.value());
  return kit;
}

}  // namespace renkei::repository::testing

#endif  // RENKEI_REPOSITORY_TICKET_TEST_UTIL_H_
