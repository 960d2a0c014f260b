// IUA Resource Server check of access tickets (RFC 6750, RFC 8705; repository/ticket_guard.h).
#include "repository/ticket_guard.h"

#include <chrono>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

namespace renkei::repository {
namespace {

int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("", "cannot read the ticket key file " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

Status Admission::Allows(std::string_view patient, std::string_view repository_unique_id,
                         std::string_view document_unique_id) const {
  if (own()) return Status::Ok();
  if (!patient.empty() &&
      trust::Covers(*ticket_, patient, repository_unique_id, document_unique_id)) {
    return Status::Ok();
  }
  return Status::PermissionDenied(kTicketNotCovered, "the access ticket does not cover document " +
                                                         std::string(document_unique_id));
}

bool Admission::Names(std::string_view repository_unique_id,
                      std::string_view document_unique_id) const {
  if (own()) return true;
  return trust::Covers(*ticket_, ticket_->patient, repository_unique_id, document_unique_id);
}

TicketGuard::TicketGuard(TicketGuardOptions options, trust::TicketVerifier verifier)
    : options_(std::move(options)), verifier_(std::move(verifier)) {
  if (!options_.clock) options_.clock = SystemNow;
}

Result<std::unique_ptr<TicketGuard>> TicketGuard::Create(TicketGuardOptions options,
                                                         trust::TicketVerifier verifier) {
  if (options.own_facility_oid.empty()) {
    return Status::InvalidArgument("bad_options", "the ticket guard needs the own facility OID");
  }
  return std::unique_ptr<TicketGuard>(new TicketGuard(std::move(options), std::move(verifier)));
}

Result<std::unique_ptr<TicketGuard>> TicketGuard::FromFiles(TicketGuardOptions options,
                                                            const std::string& jwks_file,
                                                            const std::string& public_key_file,
                                                            const std::string& issuer) {
  trust::VerifierOptions vo;
  vo.audience = options.own_facility_oid;
  vo.issuer = issuer;
  if (!jwks_file.empty()) {
    RENKEI_ASSIGN_OR_RETURN(std::string jwks, ReadFile(jwks_file));
    RENKEI_ASSIGN_OR_RETURN(trust::TicketVerifier v, trust::TicketVerifier::FromJwks(jwks, vo));
    return Create(std::move(options), std::move(v));
  }
  if (!public_key_file.empty()) {
    RENKEI_ASSIGN_OR_RETURN(std::string pem, ReadFile(public_key_file));
    RENKEI_ASSIGN_OR_RETURN(trust::TicketVerifier v, trust::TicketVerifier::Create({pem}, vo));
    return Create(std::move(options), std::move(v));
  }
  return Status::InvalidArgument("bad_options",
                                 "tickets.jwks_file or tickets.public_key_file is required");
}

Result<Admission> TicketGuard::Admit(const Peer& peer,
                                     std::string_view authorization_header) const {
  Result<Admission> a = AdmitQuietly(peer, authorization_header);
  if (!a.ok() && options_.on_refusal) options_.on_refusal(peer, a.status(), "");
  return a;
}

Status TicketGuard::Allows(const Peer& peer, const Admission& admission, std::string_view patient,
                           std::string_view repository_unique_id,
                           std::string_view document_unique_id) const {
  Status s = admission.Allows(patient, repository_unique_id, document_unique_id);
  if (!s.ok() && options_.on_refusal) {
    options_.on_refusal(peer, s, std::string(document_unique_id));
  }
  return s;
}

Result<Admission> TicketGuard::AdmitQuietly(const Peer& peer,
                                            std::string_view authorization_header) const {
  if (!peer.facility_oid.empty() && peer.facility_oid == options_.own_facility_oid) {
    return Admission::Own();
  }
  RENKEI_ASSIGN_OR_RETURN(std::string_view token, trust::BearerToken(authorization_header));
  std::string holder = peer.certificate_sha256;
  if (holder.empty() && options_.insecure_holder_is_facility &&
      peer.source != Peer::Source::kCertificate) {
    holder = peer.facility_oid;
  }
  RENKEI_ASSIGN_OR_RETURN(trust::AccessTicket ticket,
                          verifier_.Verify(token, holder, options_.clock()));
  // The presenter is the requester (sub), or the centre's relay acting for it (act.sub,
  // RFC 8693 §4.1; only the centre signs tickets, and cnf binds the relay's certificate).
  const std::string& presenter = ticket.actor.empty() ? ticket.requester : ticket.actor;
  if (peer.facility_oid.empty() || presenter != peer.facility_oid) {
    return Status::PermissionDenied(kTicketWrongRequester,
                                    "the access ticket was issued to another facility");
  }
  return Admission::With(std::move(ticket));
}

Status TicketGuard::Check(const Peer& peer, const std::string& authorization_header,
                          const std::string& patient, const std::string& repository_unique_id,
                          const std::string& document_unique_id) const {
  RENKEI_ASSIGN_OR_RETURN(Admission admission, Admit(peer, authorization_header));
  return Allows(peer, admission, patient, repository_unique_id, document_unique_id);
}

}  // namespace renkei::repository
