// Which studies one request may read (architecture §5, docs/dicomweb.md "Access"). The node's
// own facility reads every study; another facility reads the studies whose XDS-I.b manifest
// its access ticket names for the study's patient. The node decides (apps/node_image_access:
// the TicketGuard of its repository and DicomStore::StudiesOfManifests); DICOMweb and RAD-69
// apply the answer.
//
// Thread-safety: a plain value.
#ifndef RENKEI_DICOMWEB_STUDY_ACCESS_H_
#define RENKEI_DICOMWEB_STUDY_ACCESS_H_

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "common/peer.h"

namespace renkei::dicomweb {

struct StudyAccess {
  // Refused outright (no ticket, an invalid one): the HTTP status (401, or 500 when the
  // check itself failed), the WWW-Authenticate value of a 401 and the reason. 0: admitted.
  int refused_status = 0;
  std::string challenge;
  std::string reason;
  bool all = true;                   // the own facility (or no tickets configured)
  std::vector<std::string> studies;  // !all: the studies the ticket covers
  // Facts for the audit record of a ticketed request (empty otherwise).
  std::string requester;       // the facility the ticket was issued to
  std::string patient;         // the ticket's patient (regional CX)
  std::string purpose_of_use;  // the ticket's, e.g. "BTG"

  bool Covers(const std::string& study_uid) const {
    return all || std::find(studies.begin(), studies.end(), study_uid) != studies.end();
  }
  static StudyAccess Everything() { return {}; }
};

// The access of the peer presenting `authorization` (its Authorization header).
using StudyAccessOf =
    std::function<StudyAccess(const Peer& peer, const std::string& authorization)>;

// The WWW-Authenticate value of a 403 for a study the ticket does not cover (RFC 6750 §3.1).
inline constexpr char kInsufficientScopeChallenge[] =
    "Bearer realm=\"renkei\", error=\"insufficient_scope\"";

}  // namespace renkei::dicomweb

#endif  // RENKEI_DICOMWEB_STUDY_ACCESS_H_
