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
#ifndef RENKEI_REPOSITORY_REPOSITORY_ENDPOINT_H_
#define RENKEI_REPOSITORY_REPOSITORY_ENDPOINT_H_

#include "common/http_server.h"
#include "repository/document_repository.h"
#include "repository/ticket_guard.h"
#include "xds/soap.h"

namespace renkei::repository {

struct RepositoryEndpointOptions {
  xds::SoapLimits limits;  // the SOAP envelope (root part); document parts are not counted
  int max_parts = 1000;    // MIME parts of one request
  // Access tickets for ITI-43 (repository/ticket_guard.h); null: no check (every peer is
  // served, as before issue 5).
  std::shared_ptr<const TicketGuard> tickets;
};

// The handler for POST /xds/repository. `repository` and `store` must outlive it.
HttpHandler MakeRepositoryHandler(DocumentRepository& repository, DocumentStore& store,
                                  RepositoryEndpointOptions options);

}  // namespace renkei::repository

#endif  // RENKEI_REPOSITORY_REPOSITORY_ENDPOINT_H_
