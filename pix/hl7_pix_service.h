// The centre's HL7 v2 endpoint on MLLP: ITI-8 Patient Identity Feed and ITI-9 PIX Query
// (IHE ITI TF-2 3.8, 3.9), answering every message with an ACK or RSP^K23.
//
//   unparsable bytes              AR  (ERR 100 no/broken MSH or segment, 102 bad bytes for
//                                      the declared character set, 103 unknown MSH-18)
//   MSH-12 not 2.3 .. 2.9         AR  203
//   ADT^A01/A04/A05/A08           the feed -> AA; AE 100/101 (no PID / no PID-3 id),
//                                 204 (unknown domain or regional ID), 205 (ids of two
//                                 patients)
//   ADT^A40                       merge -> AA; AE as above, 204 at MRG^1^1 (unknown)
//   ADT, other events             AR 201 (nothing is created)
//   QBP^Q23                       RSP^K23 OK / NF / AE (204 at QPD^1^3 or QPD^1^4)
//   anything else                 AR 200
//
// Assigning authorities: a CX names its domain by OID (HD-2 with HD-3 ISO) or by namespace
// (HD-1) alone; `Domains` maps namespaces to OIDs both ways, and gives the OID for ids that
// carry no authority at all by the sender's MSH-4 (SS-MIX2 senders rely on it). A domain
// known neither way is unknown (204). A query's QPD-4 may name a domain that is configured
// or that some identifier of the store is in.
//
// IHE ATNA (issue 5): with an audit sink, every ADT feed event (A01/A04/A05/A08/A40) is
// recorded as ITI-8 PatientIdentityFeed (action C for A01/A04/A05, U for A08/A40) and every
// QBP^Q23 as ITI-9 PixQuery, after the reply is built: the first PID-3 identifier (the
// QPD-3 person) as patient CX, MSH-10 as detail, the QPD segment as query; outcome 0 for
// AA / OK / NF, 8 for AE (description: the first error). The requester is the message's
// own MSH-3|MSH-4 (Source UserID, as IHE writes it) at the connection's address; the
// requesting facility is the MLLP peer's certificate facility (ITI-19: never a message
// field) — only in plain insecure-loopback mode, without a certificate, MSH-4's universal id
// (HD-2) or, without one, its namespace (HD-1). Unparsable messages and other message
// types are not recorded.
//
// Thread-safety: Handle may be called concurrently (the store serialises writes).
#ifndef RENKEI_PIX_HL7_PIX_SERVICE_H_
#define RENKEI_PIX_HL7_PIX_SERVICE_H_

#include <atomic>
#include <map>
#include <string>

#include "audit/audit_sink.h"
#include "common/peer.h"
#include "pix/hl7_ack.h"
#include "pix/identity_store.h"

namespace renkei::pix {

struct Domains {
  std::map<std::string, std::string> namespace_to_oid;       // "HZLN" -> "2.16.840..."
  std::map<std::string, std::string> facility_default_oid;   // MSH-4.1 -> OID
};

struct Hl7AuditOptions {
  // Where audit events go (null: none; not owned, must outlive the service), and the
  // AuditSourceID / AuditEnterpriseSiteID written into them.
  audit::AuditSink* audit = nullptr;
  std::string audit_source_id;
  std::string audit_site;
};

class Hl7PixService {
 public:
  Hl7PixService(IdentityStore& store, Domains domains, std::string application,
                std::string facility);
  Hl7PixService(IdentityStore& store, Domains domains, std::string application,
                std::string facility, Hl7AuditOptions audit);

  // One MLLP message in, the reply's bytes out (never empty).
  std::string Handle(const std::string& bytes, const Peer& peer = {});

 private:
  AckContext Context();
  // Fills in the OID of `cx` from its namespace or the sender's default; false if unknown.
  bool Resolve(Cx* cx, const std::string& sending_facility) const;
  // A domain a query may name: configured, or seen in the store.
  bool Known(const std::string& oid) const;
  std::string Encoded(const hl7::Message& m);
  // What the audit record of a feed or query needs from its handling.
  struct AuditNote {
    std::string patient_cx;
    std::string qpd;
    int outcome = 0;
    std::string problem;
  };
  std::string Feed(const hl7::Message& m, AuditNote* note);
  std::string Query(const hl7::Message& m, AuditNote* note);
  void Record(const hl7::Message& m, const AuditNote& note, bool query, const Peer& peer) const;

  IdentityStore& store_;
  Domains domains_;
  std::map<std::string, std::string> oid_to_namespace_;
  std::string application_;
  std::string facility_;
  std::atomic<uint64_t> next_control_{1};
  Hl7AuditOptions audit_;
};

}  // namespace renkei::pix

#endif  // RENKEI_PIX_HL7_PIX_SERVICE_H_
