// The Document Repository's SOAP 1.2 endpoint (`/xds/repository` on a node, architecture
// §9): ITI-41 Provide and Register Document Set-b and ITI-43 Retrieve Document Set over
// HTTP (ITI TF-2 Appendix V), MTOM/XOP or plain SOAP with inline documents.
// Requests are streamed: only the SOAP envelope is held in memory, each MTOM part goes to a
// temp file of the document store while it is hashed. ITI-43 answers are streamed from
// the files (sendfile). SOAP-level problems (unreadable MTOM, malformed envelope, unknown
// action, over a limit) answer a SOAP Fault; transaction problems a RegistryResponse /
// RetrieveDocumentSetResponse with the XDS error codes. Answers use MTOM when the request
// did (ITI-43 answers always do).
// Access tickets (issue 5, docs/access-tickets.md): with a TicketGuard another facility's
// ITI-43 needs `Authorization: Bearer <ticket>`; a missing or invalid ticket answers HTTP 401
// (WWW-Authenticate) with a SOAP Fault (soap:Sender), nothing retrieved; each requested
// document the ticket does not cover (or this repository does not hold and the ticket does
// not name) is left out with a RegistryError AuthorizationException ("access denied"),
// the others are served (PartialSuccess / Failure). ITI-41 is not ticketed.
// ATNA (issue 5, ITI TF-2 Audit Record Considerations): with an AuditSink, every ITI-41
// records an Import (110107, receiver) with the patient and the submission set uniqueId,
// every ITI-43 an Export (110106, sender) with each document and the requesting facility,
// after the answer is known (outcome 0 Success, 4 PartialSuccess, 8 Failure); each ticket
// refusal (the whole request, or one document) records a Security Alert (110113, 110126
// Node Authentication) with the refusal as EventOutcomeDescription. SOAP Faults before the
// transaction is known (unreadable request) are not audited.
#ifndef RENKEI_REPOSITORY_REPOSITORY_ENDPOINT_H_
#define RENKEI_REPOSITORY_REPOSITORY_ENDPOINT_H_

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "audit/audit_sink.h"
#include "common/http_server.h"
#include "repository/document_repository.h"
#include "repository/ticket_guard.h"
#include "xds/soap.h"

namespace renkei::repository {

// Another SOAP action served at the same URL (the node's RAD-69, apps/node_rad69.h): it gets
// the parsed message and answers (repository/soap_reply.h).
using SoapActionHandler = std::function<void(const xds::SoapMessage& message,
                                             Poco::Net::HTTPServerRequest& request,
                                             Poco::Net::HTTPServerResponse& response)>;

struct RepositoryEndpointOptions {
  xds::SoapLimits limits;  // the SOAP envelope (root part); document parts are not counted
  int max_parts = 1000;    // MIME parts of one request
  // Access tickets for ITI-43 (repository/ticket_guard.h); null: no check (every peer is
  // served, as before issue 5).
  std::shared_ptr<const TicketGuard> tickets;
  // ATNA audit (audit/audit_sink.h); null: nothing recorded. Not owned: must outlive the
  // handler; Record is called from the server's threads.
  audit::AuditSink* audit = nullptr;
  std::string audit_source_id;  // AuditSourceID of the node (e.g. "renkei-node-<facility>")
  std::string audit_site;       // AuditEnterpriseSiteID (may be empty)
  // By wsa:Action; asked for actions other than ITI-41 / ITI-43.
  std::map<std::string, SoapActionHandler> more_actions;
};

// The handler for POST /xds/repository. `repository` and `store` must outlive it.
HttpHandler MakeRepositoryHandler(DocumentRepository& repository, DocumentStore& store,
                                  RepositoryEndpointOptions options);

}  // namespace renkei::repository

#endif  // RENKEI_REPOSITORY_REPOSITORY_ENDPOINT_H_
