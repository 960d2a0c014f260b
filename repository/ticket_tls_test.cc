// ITI-68 with access tickets over mutual TLS (issue 5, RFC 8705 §3): a ticket is accepted only
// from the client whose certificate its `cnf` `x5t#S256` names, as the TLS layer reads it
// (common/peer.h certificate_sha256) and the trust library computes it from the PEM.
// PKI from common/testdata/make_test_pki.sh.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "common/http_client.h"
#include "common/http_server.h"
#include "common/tls.h"
#include "repository/document_repository.h"
#include "repository/document_store.h"
#include "repository/mhd_endpoint.h"
#include "repository/ticket_guard.h"
#include "trust/certificate_identity.h"

namespace renkei::repository {
namespace {

namespace fs = std::filesystem;

constexpr char kNodeOid[] = "1.2.392.100495.20.3.51.1.99";    // server.cert.pem
constexpr char kGoodOid[] = "1.2.392.100495.20.3.51.1.11";    // good.cert.pem
constexpr char kSecondOid[] = "1.2.392.100495.20.3.51.1.12";  // revoked.cert.pem (valid: crl.pem)
constexpr char kRepo[] = "1.2.392.100495.20.3.51.1.99.50";
constexpr char kPatient[] = "P1^^^&1.2.392.200&ISO";
constexpr char kDoc[] = "1.2.392.100495.20.3.51.1.99.77.1";

class TicketTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ticket_tls_test_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    const std::string script =
        std::string(RENKEI_REPOSITORY_SOURCE_ROOT) + "/common/testdata/make_test_pki.sh";
    ASSERT_EQ(std::system((script + " " + (dir_ / "pki").string() + " >/dev/null 2>&1").c_str()),
              0);
    auto store = DocumentStore::Open((dir_ / "store").string(), {});
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(store.value());
    auto up = store_->BeginUpload();
    ASSERT_TRUE(up.ok());
    ASSERT_TRUE((*up)->Write("the document", 12).ok());
    ASSERT_TRUE((*up)->Finish().ok());
    ASSERT_TRUE(store_->Stage({{kDoc, "text/plain", up->get(), kPatient}}).ok());
    ASSERT_TRUE(store_->MarkRegistered({kDoc}).ok());
    RegistryClientOptions rco;
    rco.registry_url = "http://127.0.0.1:9/xds/registry";  // never called
    registry_client_ = std::move(RegistryClient::Create(rco).value());
    repository_ = std::make_unique<DocumentRepository>(*store_, *registry_client_,
                                                       RepositoryOptions{kRepo, ""});
    recipient_ = std::make_unique<MhdRecipient>(
        *repository_,
        [](const std::string&) -> Result<std::string> { return Status::NotFound("", "none"); },
        MhdRecipientOptions{});

    signer_ = std::make_unique<trust::TicketSigner>(
        std::move(trust::TicketSigner::Create(trust::GenerateTicketKeyPem().value()).value()));
    trust::VerifierOptions vo;
    vo.audience = kNodeOid;
    auto verifier = trust::TicketVerifier::Create({signer_->public_key_pem()}, vo);
    ASSERT_TRUE(verifier.ok());
    TicketGuardOptions go;
    go.own_facility_oid = kNodeOid;  // no insecure mode: the holder is the certificate
    auto guard = TicketGuard::Create(go, std::move(verifier.value()));
    ASSERT_TRUE(guard.ok());

    HttpRouter router;
    MhdEndpointOptions mo;
    mo.tickets = std::move(guard.value());
    mo.repository_unique_id = kRepo;
    AddMhdRoutes(router, *recipient_, *store_, mo);
    auto server_tls = TlsContext::Server(Files("server"));
    ASSERT_TRUE(server_tls.ok()) << server_tls.status().ToString();
    HttpServerOptions so;
    so.tls = *server_tls;
    auto server = HttpServer::Start(so, std::move(router));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server.value());
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(dir_);
  }
  TlsFiles Files(const std::string& who) {
    const fs::path pki = dir_ / "pki";
    return {(pki / (who + ".cert.pem")).string(), (pki / (who + ".key.pem")).string(),
            (pki / "ca.cert.pem").string(), (pki / "crl.pem").string()};
  }
  std::string Thumbprint(const std::string& who) {
    std::ifstream in(Files(who).cert);
    std::stringstream pem;
    pem << in.rdbuf();
    auto id = trust::IdentityOfPem(pem.str());
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? id->sha256 : "";
  }
  std::string Ticket(const std::string& requester, const std::string& holder) {
    trust::AccessTicket t;
    t.issuer = "https://centre.test/";
    t.requester = requester;
    t.audience = kNodeOid;
    t.holder_thumbprint = holder;
    t.patient = kPatient;
    t.documents = {kDoc};
    return "Bearer " + signer_->Issue(t).value();
  }
  // GET the document as the client `who` (its certificate), with `authorization`.
  HttpReply Get(const std::string& who, const std::string& authorization) {
    auto tls = TlsContext::Client(Files(who));
    EXPECT_TRUE(tls.ok()) << tls.status().ToString();
    auto client = HttpClient::Create(server_->base_url(), 30, *tls);
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    std::map<std::string, std::string> headers;
    if (!authorization.empty()) headers["Authorization"] = authorization;
    auto reply = (*client)->Send("GET", std::string(kBinaryPrefix) + kDoc, "", "", headers);
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    return reply.ok() ? reply.value() : HttpReply{};
  }

  fs::path dir_;
  std::unique_ptr<DocumentStore> store_;
  std::unique_ptr<RegistryClient> registry_client_;
  std::unique_ptr<DocumentRepository> repository_;
  std::unique_ptr<MhdRecipient> recipient_;
  std::unique_ptr<trust::TicketSigner> signer_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(TicketTlsTest, TicketBoundToThePresentingCertificate) {
  const std::string good = Thumbprint("good");
  const std::string second = Thumbprint("revoked");
  ASSERT_FALSE(good.empty());
  ASSERT_NE(good, second);

  HttpReply ok = Get("good", Ticket(kGoodOid, good));
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.body, "the document");

  // The node's own facility (its own certificate) needs no ticket.
  EXPECT_EQ(Get("server", "").status, 200);

  struct Case {
    const char* name;
    const char* who;
    std::string authorization;
  };
  const Case refused[] = {
      {"no ticket", "good", ""},
      {"ticket bound to another certificate", "good", Ticket(kGoodOid, second)},
      {"ticket presented by another facility's certificate", "revoked", Ticket(kGoodOid, good)},
      {"other facility, ticket bound to its certificate but issued to another", "revoked",
       Ticket(kGoodOid, second)},
  };
  for (const Case& c : refused) {
    HttpReply r = Get(c.who, c.authorization);
    EXPECT_EQ(r.status, 401) << c.name << ": " << r.body;
    EXPECT_EQ(r.body.find("the document"), std::string::npos) << c.name;
  }
  // The second facility with its own ticket is served.
  EXPECT_EQ(Get("revoked", Ticket(kSecondOid, second)).status, 200);
}

}  // namespace
}  // namespace renkei::repository
