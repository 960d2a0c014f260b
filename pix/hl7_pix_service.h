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
// Thread-safety: Handle may be called concurrently (the store serialises writes).
#ifndef RENKEI_PIX_HL7_PIX_SERVICE_H_
#define RENKEI_PIX_HL7_PIX_SERVICE_H_

#include <atomic>
#include <map>
#include <string>

#include "pix/hl7_ack.h"
#include "pix/identity_store.h"

namespace renkei::pix {

struct Domains {
  std::map<std::string, std::string> namespace_to_oid;       // "HZLN" -> "2.16.840..."
  std::map<std::string, std::string> facility_default_oid;   // MSH-4.1 -> OID
};

class Hl7PixService {
 public:
  Hl7PixService(IdentityStore& store, Domains domains, std::string application,
                std::string facility);

  // One MLLP message in, the reply's bytes out (never empty).
  std::string Handle(const std::string& bytes);

 private:
  AckContext Context();
  // Fills in the OID of `cx` from its namespace or the sender's default; false if unknown.
  bool Resolve(Cx* cx, const std::string& sending_facility) const;
  // A domain a query may name: configured, or seen in the store.
  bool Known(const std::string& oid) const;
  std::string Encoded(const hl7::Message& m);
  std::string Feed(const hl7::Message& m);
  std::string Query(const hl7::Message& m);

  IdentityStore& store_;
  Domains domains_;
  std::map<std::string, std::string> oid_to_namespace_;
  std::string application_;
  std::string facility_;
  std::atomic<uint64_t> next_control_{1};
};

}  // namespace renkei::pix

#endif  // RENKEI_PIX_HL7_PIX_SERVICE_H_
