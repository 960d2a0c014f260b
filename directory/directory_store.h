// Facility directory, consent grants and break-glass at the centre (issue 5 "Directory",
// "Disclosure permissions", architecture §5): one SQLite file `directory.sqlite` in the
// centre's data directory holding
//   facilities  (OID, names in Japanese and romaji, type, certificate, active),
//   endpoints   (ITI-43 / ITI-68 / DICOMweb / ITI-41 URLs, repositoryUniqueId),
//   repositories (repositoryUniqueId -> the facility it belongs to),
//   staff       (regional staff IDs),
//   grants      (a disclosing facility opens one patient's records to a facility or to "*"),
//   break_glass (emergency access windows).
// Instants are stored UTC "YYYYMMDDhhmmss" (directory/instant.h).
//
// Errors: InvalidArgument (detail "invalid") for a missing or malformed field (nothing is
// stored); NotFound for an unknown id; Conflict when a repositoryUniqueId belongs to another
// facility; PermissionDenied when a facility may not do what it asks (revoking another's
// grant, claiming another's repository); Unavailable when SQLite is busy; Internal otherwise.
//
// Thread-safety: DirectoryStore is thread-safe. Writes are serialized on one connection;
// reads (AccessOf, lookups) run on a pool of read-only connections in parallel.
#ifndef RENKEI_DIRECTORY_DIRECTORY_STORE_H_
#define RENKEI_DIRECTORY_DIRECTORY_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "directory/disclosure_policy.h"

namespace renkei::directory {

inline constexpr char kDirectoryFileName[] = "directory.sqlite";
// The grantee of a grant to every participating facility.
inline constexpr char kEveryFacility[] = "*";

enum class FacilityType { kDisclosing, kViewing, kHostedClinic };
// "disclosing" | "viewing" | "hosted".
const char* FacilityTypeName(FacilityType type);
bool ParseFacilityType(const std::string& text, FacilityType* out);

struct Facility {
  std::string oid;
  std::string name;         // Japanese name
  std::string name_romaji;  // may be empty
  FacilityType type = FacilityType::kViewing;
  std::string certificate_pem;     // may be empty
  std::string certificate_sha256;  // SHA-256 of the certificate's DER, base64url (x5t#S256)
  bool active = true;
  bool recorded = false;  // recorded on first use in insecure-loopback mode
};

enum class EndpointKind { kIti43, kIti68, kDicomWeb, kIti41 };
// "iti43" | "iti68" | "dicomweb" | "iti41".
const char* EndpointKindName(EndpointKind kind);
bool ParseEndpointKind(const std::string& text, EndpointKind* out);

struct Endpoint {
  int64_t id = 0;  // assigned by AddEndpoint
  std::string facility;
  EndpointKind kind = EndpointKind::kIti43;
  std::string url;                   // may be empty for a recorded ITI-41 source
  std::string repository_unique_id;  // may be empty (DICOMweb)
};

struct Staff {
  std::string id;  // regional staff ID
  std::string facility;
  std::string family;      // kanji
  std::string given;       // kanji
  std::string family_alt;  // kana or romaji; may be empty
  std::string given_alt;
  std::string role;  // free text or a code, may be empty
};

struct GrantClass {
  std::string system;  // the classCode scheme as a FHIR system; may be empty (CLI)
  std::string code;
};

enum class GrantStatus { kActive, kRevoked };

struct Grant {
  int64_t id = 0;  // assigned by AddGrant
  std::string disclosing_facility;
  std::string patient_id;           // regional CX "id^^^&oid&ISO"
  std::string grantee;              // facility OID, or kEveryFacility
  std::vector<GrantClass> classes;  // empty = every class
  std::string start;                // "YYYYMMDDhhmmss"; AddGrant: empty = created_at
  std::string end;                  // "YYYYMMDDhhmmss"; empty = open-ended
  GrantStatus status = GrantStatus::kActive;
  std::string consent_reference;  // e.g. the scanned consent form's reference; may be empty
  std::string note;
  std::string created_at;
  std::string revoked_at;  // empty while active
};

struct BreakGlass {
  int64_t id = 0;
  std::string requester;  // facility OID
  std::string patient_id;
  std::string reason;  // required, non-empty
  std::string started;
  std::string expires;
  std::string staff_id;  // may be empty
};

struct DirectoryStoreOptions {
  int break_glass_minutes = 30;  // length of a break-glass window
  int readers = 4;               // read-only connections for parallel lookups
  // AccessOf answers from memory; changes another process (the CLI) commits are picked up
  // within this many milliseconds (0: checked on every call).
  int external_change_check_ms = 1000;
};

// Which grants ListGrants returns.
struct GrantFilter {
  std::string patient_id;  // empty: every patient
  // Non-empty: only grants this facility made or that name it (or "*") as grantee.
  std::string party;
};

class DirectoryStore {
 public:
  // Opens (creating) the directory at `path` (an SQLite file; not ":memory:", as readers
  // open it again).
  static Result<std::unique_ptr<DirectoryStore>> Open(const std::string& path,
                                                      DirectoryStoreOptions options = {});
  ~DirectoryStore();
  const DirectoryStoreOptions& options() const;

  // Facilities. PutFacility inserts or replaces by OID (the certificate's sha256 is computed
  // from a PEM when given; InvalidArgument for a PEM that is no certificate).
  Status PutFacility(const Facility& facility);
  Result<Facility> GetFacility(const std::string& oid);
  Result<std::vector<Facility>> ListFacilities();
  // OK when `oid` is a known, active facility; when unknown: recorded (type viewing, name =
  // the OID, logged "directory: recorded ...") if `record_unknown`, else PermissionDenied;
  // PermissionDenied for an inactive facility.
  Status EnsureFacility(const std::string& oid, bool record_unknown);

  // Endpoints. AddEndpoint: NotFound for an unknown facility; Conflict when its
  // repositoryUniqueId belongs to another facility (it is recorded for this one otherwise).
  Result<int64_t> AddEndpoint(const Endpoint& endpoint);
  Result<Endpoint> GetEndpoint(int64_t id);
  // Every endpoint, or those of `facility` when not empty, by id.
  Result<std::vector<Endpoint>> ListEndpoints(const std::string& facility = {});

  // The facility a repositoryUniqueId belongs to; NotFound when unknown.
  Result<std::string> RepositoryOwner(const std::string& repository_unique_id);
  // The registry's check of a submission's repositoryUniqueId: OK when listed for
  // `facility`; PermissionDenied when listed for another; when unknown: recorded for
  // `facility` (with the facility itself when unknown; logged "directory: recorded ...") if
  // `record_unknown`, else PermissionDenied.
  Status ClaimRepository(const std::string& repository_unique_id, const std::string& facility,
                         bool record_unknown);

  // Staff. PutStaff inserts or replaces by id (NotFound for an unknown facility).
  Status PutStaff(const Staff& staff);
  Result<Staff> GetStaff(const std::string& id);
  Result<std::vector<Staff>> ListStaff(const std::string& facility = {});

  // Grants. AddGrant validates (disclosing facility, patient and grantee present; instants
  // of the stored form; start < end), stores an active grant and returns it with id and
  // created_at (= `now`, "YYYYMMDDhhmmss").
  Result<Grant> AddGrant(const Grant& grant, const std::string& now);
  // Many grants at once (a migration, a benchmark region): validates each as AddGrant does
  // and stores them all in one transaction, or none (InvalidArgument naming the first bad
  // grant's position; the error of the write otherwise). Returns them, in order, with ids
  // and created_at. No duplicate check, as AddGrant.
  Result<std::vector<Grant>> AddGrants(const std::vector<Grant>& grants, const std::string& now);
  Result<Grant> GetGrant(int64_t id);
  // Revokes grant `id` on behalf of `facility` at `now`: NotFound when unknown;
  // PermissionDenied when `facility` is not its disclosing facility (nothing changes). An
  // already revoked grant is returned unchanged.
  Result<Grant> RevokeGrant(int64_t id, const std::string& facility, const std::string& now);
  Result<std::vector<Grant>> ListGrants(const GrantFilter& filter = {});

  // Opens a break-glass window for `requester` on `patient_id` from `now` for
  // options().break_glass_minutes. InvalidArgument when the reason is blank or a field is
  // missing.
  Result<BreakGlass> StartBreakGlass(const std::string& requester, const std::string& patient_id,
                                     const std::string& reason, const std::string& staff_id,
                                     const std::string& now);
  Result<std::vector<BreakGlass>> ListBreakGlass(const std::string& patient_id = {});

  // The disclosure policy's question (DisclosurePolicy::AccessOf), answered from an
  // in-memory index of the active grants and break-glass windows (loaded on first use, kept
  // current by this store's writes; another process's writes are seen within
  // options().external_change_check_ms). About a microsecond warm.
  Result<PatientAccess> AccessOf(const std::string& requester, const std::string& patient_id,
                                 const std::string& now);

  struct Impl;

 private:
  explicit DirectoryStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::directory

#endif  // RENKEI_DIRECTORY_DIRECTORY_STORE_H_
