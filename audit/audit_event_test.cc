// Tests of the ATNA model (DICOM PS3.15 A.5.1 rules) and the IHE transaction builders.
#include "audit/audit_event.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "audit/audit_codes.h"
#include "audit/audit_query.h"
#include "audit/transaction_events.h"

namespace renkei::audit {
namespace {

Exchange TestExchange() {
  Exchange x;
  x.requester_user_id = "https://node-a.example/xds";
  x.requester_address = "192.0.2.10";
  x.responder_user_id = "https://centre.example/xds/registry";
  x.responder_address = "centre.example";
  x.requesting_facility = "1.2.392.100.1";
  x.audit_source_id = "renkei-centre";
  x.date_time = "2026-11-26T06:00:00Z";
  return x;
}

const std::string kPatient = "P123^^^&1.2.392.200&ISO";

struct BuilderCase {
  const char* name;
  AuditEvent event;
  const char* event_id;
  const char* action;
  const char* type;  // first EventTypeCode, "" for none
  int patient_objects;
};

TEST(TransactionEventsTest, BuildersSetTheIheRequiredParts) {
  const Exchange x = TestExchange();
  const std::vector<BuilderCase> cases = {
      {"ITI-8", PatientIdentityFeed(x, kPatient, "C", "MSG1"), "110110", "C", "ITI-8", 1},
      {"ITI-9", PixQuery(x, kPatient, "QPD|...", "MSG2"), "110112", "E", "ITI-9", 1},
      {"ITI-18", RegistryStoredQuery(x, kPatient, "urn:uuid:14d4debf", "<q/>"), "110112", "E",
       "ITI-18", 1},
      {"ITI-41 sender", ProvideAndRegister(x, Side::kSender, kPatient, "1.2.3"), "110106", "R",
       "ITI-41", 1},
      {"ITI-41 receiver", ProvideAndRegister(x, Side::kReceiver, kPatient, "1.2.3"), "110107", "C",
       "ITI-41", 1},
      {"ITI-42", RegisterDocumentSet(x, Side::kReceiver, kPatient, "1.2.3"), "110107", "C",
       "ITI-42", 1},
      {"ITI-43", RetrieveDocumentSet(x, Side::kSender, kPatient, {{"1.2.4", "1.2.5", ""}}),
       "110106", "R", "ITI-43", 1},
      {"ITI-65", ProvideDocumentBundle(x, Side::kSender, kPatient, "list-1"), "110106", "R",
       "ITI-65", 1},
      {"ITI-67", FindDocumentReferences(x, kPatient, "patient=1"), "110112", "E", "ITI-67", 1},
      {"ITI-68", RetrieveDocument(x, Side::kReceiver, kPatient, "https://n/doc/1"), "110107", "C",
       "ITI-68", 1},
      {"ITI-83", PixmQuery(x, kPatient, "sourceIdentifier=a|b"), "110112", "E", "ITI-83", 1},
      {"login", UserAuthentication(x, true), "110114", "E", "110122", 0},
      {"logout", UserAuthentication(x, false), "110114", "E", "110123", 0},
      {"auth failure", AuthenticationFailure(x, "certificate revoked"), "110113", "E", "110126", 0},
      {"grant", PermissionChange(x, true, "grant-1", kPatient, "to 1.2.3"), "110113", "C", "110135",
       1},
      {"revoke", PermissionChange(x, false, "grant-1", kPatient, "to 1.2.3"), "110113", "D",
       "110135", 1},
      {"break-glass", EmergencyAccess(x, kPatient, "unconscious"), "110113", "E", "110127", 1},
      {"disclosure", Disclosure(x, kPatient, "1.2.9", {{"1.2.4", "", ""}}), "110106", "R", "", 1},
      {"studies disclosure", StudiesDisclosure(x, kPatient, "1.2.9", {"1.2.4.1", "1.2.4.2"}),
       "110106", "R", "", 1},
      {"ITI-57", UpdateDocumentSet(x, Side::kReceiver, kPatient, "1.2.3"), "110107", "C", "ITI-57",
       1},
      {"ITI-62", DeleteDocumentSet(x, kPatient, {"urn:uuid:d1"}), "110110", "D", "ITI-62", 1},
      {"ITI-62 two objects", DeleteDocumentSet(x, {kPatient, "", kPatient}, {"urn:uuid:d1"}),
       "110110", "D", "ITI-62", 1},
      {"ITI-65 reference",
       ProvideDocumentBundle(
           x, Side::kReceiver,
           PatientCxOfReference("https://centre.example/fhir/Patient/P123", "1.2.392.200"),
           "list-1"),
       "110107", "C", "ITI-65", 1},
  };
  for (const BuilderCase& c : cases) {
    SCOPED_TRACE(c.name);
    const AuditEvent& e = c.event;
    EXPECT_TRUE(Validate(e).ok()) << Validate(e).ToString();
    EXPECT_EQ(e.event_id.code, c.event_id);
    EXPECT_EQ(e.event_id.system, kDcm);
    EXPECT_EQ(e.action, c.action);
    EXPECT_EQ(e.date_time, "2026-11-26T06:00:00Z");
    if (*c.type) {
      ASSERT_EQ(e.event_types.size(), 1u);
      EXPECT_EQ(e.event_types[0].code, c.type);
    } else {
      EXPECT_TRUE(e.event_types.empty());
    }
    int patients = 0;
    for (const ParticipantObject& o : e.objects) {
      if (o.type_code == kObjectPerson && o.role_code == kRolePatient) {
        ++patients;
        EXPECT_EQ(o.id, kPatient);
      }
    }
    EXPECT_EQ(patients, c.patient_objects);
    bool source = false, destination = false, facility = false;
    for (const ActiveParticipant& p : e.participants) {
      for (const Code& r : p.roles) {
        source |= r.code == kRoleSource;
        destination |= r.code == kRoleDestination;
      }
      facility |= p.user_id == "urn:oid:1.2.392.100.1" && p.is_requestor;
    }
    EXPECT_TRUE(source);
    EXPECT_TRUE(destination);
    EXPECT_TRUE(facility);
    EXPECT_EQ(e.source.id, "renkei-centre");
  }
}

// The role (110153 Source / 110152 Destination) and UserIsRequestor of participant `user_id`.
std::pair<std::string, bool> RoleOf(const AuditEvent& e, const std::string& user_id) {
  for (const ActiveParticipant& p : e.participants) {
    if (p.user_id == user_id) return {p.roles.empty() ? "" : p.roles[0].code, p.is_requestor};
  }
  return {"absent", false};
}

TEST(TransactionEventsTest, DataFlowDecidesWhichEndIsTheSource) {
  const Exchange x = TestExchange();
  const std::string requester = x.requester_user_id, responder = x.responder_user_id;
  // Queries and pushes: the requester is the Source.
  for (const AuditEvent& e :
       {RegistryStoredQuery(x, kPatient, "q", "<q/>"),
        ProvideAndRegister(x, Side::kReceiver, kPatient, "1.2.3"), PixmQuery(x, kPatient, "a=b")}) {
    EXPECT_EQ(RoleOf(e, requester), std::make_pair(std::string(kRoleSource), true));
    EXPECT_EQ(RoleOf(e, responder), std::make_pair(std::string(kRoleDestination), false));
    EXPECT_EQ(e.participants[0].user_id, requester);
  }
  // Retrieves (ITI-43 at the repository or the consumer, ITI-68): the responder is the
  // Source, the requester the Destination (and still the requestor).
  for (const AuditEvent& e :
       {RetrieveDocumentSet(x, Side::kSender, kPatient, {{"1.2.4", "1.2.5", ""}}),
        RetrieveDocumentSet(x, Side::kReceiver, kPatient, {{"1.2.4", "1.2.5", ""}}),
        RetrieveDocument(x, Side::kSender, kPatient, "https://n/doc/1")}) {
    EXPECT_EQ(RoleOf(e, responder), std::make_pair(std::string(kRoleSource), false));
    EXPECT_EQ(RoleOf(e, requester), std::make_pair(std::string(kRoleDestination), true));
    EXPECT_EQ(e.participants[0].user_id, responder);
  }
}

TEST(TransactionEventsTest, QueryCarriesTheRequestBytesAndFailureIsNotSuccess) {
  const Exchange x = TestExchange();
  AuditEvent q = RegistryStoredQuery(x, "", "urn:uuid:q", "<AdhocQueryRequest/>");
  ASSERT_EQ(q.objects.size(), 1u);  // no patient: only the query
  EXPECT_EQ(q.objects[0].role_code, kRoleQuery);
  EXPECT_EQ(q.objects[0].query, "<AdhocQueryRequest/>");
  EXPECT_EQ(q.objects[0].id, "urn:uuid:q");
  AuditEvent f = AuthenticationFailure(x, "no client certificate");
  EXPECT_EQ(f.outcome, 4);
  EXPECT_EQ(f.outcome_description, "no client certificate");
}

TEST(AuditEventTest, ValidateNamesTheBrokenRule) {
  const AuditEvent good = UserAuthentication(TestExchange(), true);
  ASSERT_TRUE(Validate(good).ok());
  struct Case {
    const char* location;
    void (*mutate)(AuditEvent*);
  };
  const Case cases[] = {
      {"EventID", [](AuditEvent* e) { e->event_id.code.clear(); }},
      {"EventActionCode", [](AuditEvent* e) { e->action = "X"; }},
      {"EventDateTime", [](AuditEvent* e) { e->date_time = "yesterday"; }},
      {"EventOutcomeIndicator", [](AuditEvent* e) { e->outcome = 3; }},
      {"ActiveParticipant", [](AuditEvent* e) { e->participants.clear(); }},
      {"ActiveParticipant", [](AuditEvent* e) { e->participants[0].user_id.clear(); }},
      {"AuditSourceID", [](AuditEvent* e) { e->source.id.clear(); }},
      {"ParticipantObjectID", [](AuditEvent* e) { e->objects.push_back({}); }},
      {"ParticipantObjectTypeCode",
       [](AuditEvent* e) {
         ParticipantObject o;
         o.type_code = 7;
         o.id = "x";
         e->objects.push_back(o);
       }},
  };
  for (const Case& c : cases) {
    AuditEvent e = good;
    c.mutate(&e);
    const Status s = Validate(e);
    EXPECT_TRUE(s.IsInvalidArgument()) << c.location;
    EXPECT_EQ(s.location(), c.location);
  }
}

TEST(AuditEventTest, ParsesIsoDateTimes) {
  struct Case {
    const char* text;
    int64_t millis;  // -1: invalid
  };
  const Case cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"1970-01-01T00:00:01.5Z", 1500},
      {"2001-12-17T09:30:47", 1008581447000},
      {"2001-12-17T18:30:47+09:00", 1008581447000},
      {"2001-12-17T09:30Z", 1008581400000},
      {"2001-12-17", -1},
      {"2001-13-17T09:30:47Z", -1},
      {"2001-12-17T09:30:47Zjunk", -1},
      {"", -1},
  };
  for (const Case& c : cases) {
    auto r = ParseDateTimeMillis(c.text);
    if (c.millis < 0) {
      EXPECT_FALSE(r.ok()) << c.text;
    } else {
      ASSERT_TRUE(r.ok()) << c.text;
      EXPECT_EQ(*r, c.millis) << c.text;
    }
  }
  EXPECT_EQ(FormatMillis(1008581447123), "2001-12-17T09:30:47.123Z");
}

TEST(TransactionEventsTest, PatientCxOfReference) {
  const struct {
    std::string reference, domain, cx;
  } cases[] = {
      {"Patient/P123", "1.2.392.200", "P123^^^&1.2.392.200&ISO"},
      {"https://centre.example/fhir/Patient/a-1.b", "1.2.392.200", "a-1.b^^^&1.2.392.200&ISO"},
      {"P9^^^&1.2.392.300&ISO", "1.2.392.200", "P9^^^&1.2.392.300&ISO"},  // a CX stays
      {"P9^^^&1.2.392.300&ISO", "", "P9^^^&1.2.392.300&ISO"},
      {"Patient/P123", "", ""},  // no domain: no CX
      {"Practitioner/P123", "1.2.392.200", ""},
      {"RelatedPatient/P123", "1.2.392.200", ""},
      {"Patient/", "1.2.392.200", ""},
      {"Patient/P123/_history/2", "1.2.392.200", ""},
      {"Patient/a^b", "1.2.392.200", ""},
      {"", "1.2.392.200", ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(PatientCxOfReference(c.reference, c.domain), c.cx) << c.reference;
  }
  // An ITI-65 record made so is found by ITI-81 `patient=urn:oid:1.2.392.200|P123`; one
  // made from the raw reference is not.
  const SearchKey key{KeyKind::kPatient, "P123|1.2.392.200"};
  auto keys = [](const std::string& patient) {
    return IndexKeys(ProvideDocumentBundle(TestExchange(), Side::kReceiver, patient, "list-1"));
  };
  const auto converted = keys(PatientCxOfReference("Patient/P123", "1.2.392.200"));
  const auto raw = keys("Patient/P123");
  EXPECT_NE(std::find(converted.begin(), converted.end(), key), converted.end());
  EXPECT_EQ(std::find(raw.begin(), raw.end(), key), raw.end());
}

// ITI-62 removing objects of two patients names both, each once, and every removed object.
TEST(TransactionEventsTest, DeleteDocumentSetNamesEveryPatientOnce) {
  const std::string other = "Q9^^^&1.2.392.200&ISO";
  const AuditEvent e = DeleteDocumentSet(TestExchange(), {kPatient, other, kPatient, ""},
                                         {"urn:uuid:d1", "urn:uuid:d2"});
  std::vector<std::string> patients, removed;
  for (const ParticipantObject& o : e.objects) {
    if (o.type_code == kObjectPerson && o.role_code == kRolePatient) patients.push_back(o.id);
    if (o.role_code == kRoleReport) removed.push_back(o.id);
  }
  EXPECT_EQ(patients, (std::vector<std::string>{kPatient, other}));
  EXPECT_EQ(removed, (std::vector<std::string>{"urn:uuid:d1", "urn:uuid:d2"}));
  EXPECT_TRUE(DeleteDocumentSet(TestExchange(), std::vector<std::string>{}, {}).objects.empty());
}

// Imaging studies disclosed by a node: DICOM Study objects (110180), not XDS documents.
TEST(Builders, StudiesAreStudyObjects) {
  AuditEvent e = StudiesDisclosure(TestExchange(), kPatient, "1.2.9", {"1.2.4.1", "1.2.4.2"});
  std::vector<std::string> studies;
  for (const ParticipantObject& o : e.objects) {
    if (o.id_type.code != "110180") continue;
    EXPECT_EQ(o.id_type.system, kDcm);
    EXPECT_EQ(o.type_code, kObjectSystem);
    EXPECT_EQ(o.role_code, kRoleReport);
    studies.push_back(o.id);
  }
  EXPECT_EQ(studies, (std::vector<std::string>{"1.2.4.1", "1.2.4.2"}));
  EXPECT_TRUE(Validate(e).ok());
}

}  // namespace
}  // namespace renkei::audit
