// NIST XDS testkit replay engine: testplan steps -> ITI-42/18/57 against a live registry,
// ITI-41/43 against a live repository.
#include "tests/conformance/replay_engine.h"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <thread>

#include <Poco/UUIDGenerator.h>
#include <pugixml.hpp>

#include "tests/conformance/ebrim21_translator.h"
#include "tests/conformance/metadata_rewriter.h"
#include "tests/conformance/repository_steps.h"
#include "tests/conformance/response_checks.h"

namespace renkei::conformance {
namespace {

constexpr char kPatientDomain[] = "1.3.6.1.4.1.21367.13.20.1000";
// The engine's SubmissionSet.sourceId (NIST: xdstest/sourceid.txt).
constexpr char kSourceId[] = "1.3.6.1.4.1.21367.2026.99.1";

std::string NewPatientId() {
  std::string hex = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  std::string id;
  for (char c : hex) {
    if (c != '-') id += c;
    if (id.size() == 12) break;
  }
  return "RK" + id + "^^^&" + kPatientDomain + "&ISO";
}

std::string ReadFile(const std::filesystem::path& p, bool* ok) {
  std::ifstream in(p, std::ios::binary);
  *ok = static_cast<bool>(in);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

// UTC time formatted with `fmt`, `years_back` years ago.
std::string UtcTime(const char* fmt, int years_back = 0) {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  tm.tm_year -= years_back;
  char buf[32];
  std::strftime(buf, sizeof buf, fmt, &tm);
  return buf;
}
std::string Today() { return UtcTime("%Y%m%d"); }

// The engine's built-in symbols: $DATE$ (today), $now$ and $lastyear$ (DTM to the second).
void ReplaceBuiltIns(std::string& s) {
  ReplaceAll(s, "$DATE$", Today());
  ReplaceAll(s, "$now$", UtcTime("%Y%m%d%H%M%S"));
  ReplaceAll(s, "$lastyear$", UtcTime("%Y%m%d%H%M%S", 1));
}

std::string Serialize(pugi::xml_node n) {
  std::ostringstream os;
  n.print(os, "", pugi::format_raw);
  return os.str();
}

const char* ActionFor(const std::string& transaction) {
  if (transaction == "RegisterTransaction") return kActionIti42;
  if (transaction == "StoredQueryTransaction") return kActionIti18;
  if (transaction == "MuTransaction") return kActionIti57;
  if (transaction == "DeleteDocumentSetTransaction") return kActionIti62;
  if (transaction == "ProvideAndRegisterTransaction") return kActionIti41;
  if (transaction == "RetrieveTransaction") return kActionIti43;
  if (transaction == "ImagingDocSetRetrieveTransaction") {
    return "urn:ihe:rad:2009:RetrieveImagingDocumentSet";
  }
  return nullptr;
}

// What the engine logs for one step (NIST log.xml: AssignedUids, AssignedUuids, ..., Reports).
struct StepRecord {
  AssignedIds ids;
  std::map<std::string, std::string> reports;
  bool retrieved_ok = false;  // a retrieve returned every document, as submitted / imported
};

struct SectionLog {
  pugi::xml_document log;  // <TestResults><TestStep id=..><Tx step=..><InputMetadata/><Result/>
  std::map<std::string, StepRecord> steps;
  SectionLog() { log.append_child("TestResults"); }
};

using Substitutions = std::vector<std::pair<std::string, std::string>>;

}  // namespace

bool TestOutcome::passed() const {
  if (!failures.empty()) return false;
  for (const StepOutcome& s : steps) {
    if (!s.failures.empty()) return false;
  }
  return true;
}

std::string TestOutcome::FailureSummary() const {
  std::string out;
  for (const std::string& f : failures) out += f + "; ";
  for (const StepOutcome& s : steps) {
    for (const std::string& f : s.failures) {
      out += (s.section.empty() ? "" : s.section + "/") + s.step + ": " + f + "; ";
    }
  }
  return out;
}

Result<std::vector<WireCase>> LoadWireCases(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("WireCases", "cannot read " + path);
  std::vector<WireCase> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string part;
    while (std::getline(ss, part, '|')) f.push_back(part);
    if (f.size() < 5) return Status::InvalidArgument("WireCases", "bad line: " + line);
    WireCase wc{f[0], f[1], f[2], f[3], {}};
    if (f[4] != "-") {
      std::stringstream cs(f[4]);
      while (std::getline(cs, part, ',')) wc.codes.push_back(part);
    }
    out.push_back(std::move(wc));
  }
  return out;
}

struct ReplayEngine::Impl {
  Transport* transport;
  std::string endpoint;
  Transport* repository = nullptr;
  std::string repository_url;
  std::map<std::string, SubmittedDocument> submitted;  // ITI-41 documents by uniqueId
  // RAD-69: NIST's repositoryUniqueId and the node's (AddImportedImages).
  std::string nist_imaging_repository, imaging_repository;
  std::string corpus_dir;
  std::map<std::string, TestDefinition> catalogue;
  std::map<std::string, std::map<std::string, SectionLog>> logs;  // test -> section -> log
  std::map<std::string, TestOutcome> done;
  std::set<std::string> running;
  std::map<std::string, std::string> pif_ids;          // "test/section/step" -> patient
  std::map<std::string, std::string> session_patient;  // test -> default patient
  bool ids_frozen = false;
  std::time_t last_submission = 0;

  // $now$ means "after everything submitted so far". Replays run far faster than NIST's
  // operator-driven sessions, so wait until the clock (1 s DTM resolution, exclusive *To
  // bounds) has moved past the last submission.
  void WaitPastLastSubmission() {
    while (std::time(nullptr) <= last_submission) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }

  void FreezeIds() {
    if (ids_frozen) return;
    ids_frozen = true;
    for (const auto& [id, def] : catalogue) {
      for (const Section& s : def.sections) {
        for (const TestStep& st : s.steps) {
          // PIF steps and <NewPatientId/> allocate a patient that the feed made known.
          if (st.transaction == "PatientIdentityFeedTransaction" || st.new_patient_id) {
            pif_ids[id + "/" + s.name + "/" + st.id] = NewPatientId();
          }
        }
      }
      if (def.family == "fixtures") session_patient[id] = NewPatientId();
    }
  }

  std::string MainPatient() {
    auto it = pif_ids.find("15817/pif/step");
    return it == pif_ids.end() ? NewPatientId() : it->second;
  }

  std::string CurrentPatient(const std::string& test) {
    auto it = session_patient.find(test);
    if (it == session_patient.end()) it = session_patient.emplace(test, MainPatient()).first;
    return it->second;
  }

  const StepRecord* FindStep(const std::string& test, const std::string& section,
                             const std::string& step) {
    auto t = logs.find(test);
    if (t == logs.end()) return nullptr;
    auto s = t->second.find(section);
    if (s == t->second.end()) return nullptr;
    auto st = s->second.steps.find(step);
    return st == s->second.steps.end() ? nullptr : &st->second;
  }

  // Resolves UseId / UseReport into text substitutions; unresolved ones become failures.
  Substitutions Linkage(const TestDefinition& def, const Section& sec, const TestStep& step,
                        std::vector<std::string>& failures, std::string* patient) {
    Substitutions subs;
    for (const UseId& u : step.use_ids) {
      auto [t, s] = u.testdir.empty() ? std::make_pair(def.nist_id, sec.name)
                                      : ResolveTestDir(def.nist_id, sec.name, u.testdir);
      const StepRecord* rec = FindStep(t, s, u.step);
      const std::map<std::string, std::string>* m = nullptr;
      if (rec) {
        if (u.section == "AssignedUids") m = &rec->ids.uids;
        if (u.section == "AssignedUuids") m = &rec->ids.uuids;
        if (u.section == "AssignedPatientId") m = &rec->ids.patient_ids;
        if (u.section == "AssignedSourceId") m = &rec->ids.source_ids;
      }
      auto it = m ? m->find(u.id) : std::map<std::string, std::string>::const_iterator();
      if (!m || it == m->end()) {
        failures.push_back("UseId " + u.section + "/" + u.id + " from " + t + "/" + s + "/" +
                           u.step + " not available");
        continue;
      }
      subs.emplace_back(u.symbol, it->second);
    }
    for (const UseReport& u : step.use_reports) {
      std::string t = u.test.empty() ? def.nist_id : u.test;
      std::string s = (u.section.empty() || u.section == "THIS") ? sec.name : u.section;
      const StepRecord* rec = FindStep(t, s, u.step);
      auto it = rec ? rec->reports.find(u.report_name) : std::map<std::string, std::string>::const_iterator();
      if (!rec || it == rec->reports.end()) {
        failures.push_back("UseReport " + u.report_name + " from " + t + "/" + s + "/" + u.step +
                           " not available");
        continue;
      }
      subs.emplace_back(u.use_as, it->second);
      if (u.use_as == "$patientid$") {
        *patient = it->second;
        session_patient[def.nist_id] = it->second;
      }
    }
    return subs;
  }

  void AppendLog(SectionLog& log, const TestStep& step, pugi::xml_node request,
                 pugi::xml_node response) {
    pugi::xml_node ts = log.log.document_element().append_child("TestStep");
    ts.append_attribute("id") = step.id.c_str();
    pugi::xml_node tx = ts.append_child(step.transaction.empty() ? "NullTransaction"
                                                                 : step.transaction.c_str());
    tx.append_attribute("step") = step.id.c_str();
    pugi::xml_node in = tx.append_child("InputMetadata");
    if (request) in.append_copy(request);
    pugi::xml_node res = tx.append_child("Result");
    if (response) res.append_copy(response);
  }

  // NIST's XDS-I processors (Assert process=, toolkit ImgDetailTransaction), judged on the
  // exchange of the step its TestResponse names. "" when it holds, else why not.
  //   registryErrorListNotEmpty  the response has a RegistryError
  //   sameRetImgs                one DocumentResponse per DocumentRequest: same
  //                              RepositoryUniqueId and DocumentUniqueId, application/dicom
  //   sameDcmImgs                the step returned every instance asked for, each equal byte
  //                              for byte to the imported one (NIST compares a tag list with
  //                              its reference images; equality is stricter)
  //   matchHomeCommunityIds      each DocumentResponse has the HomeCommunityId of its request,
  //                              or none when the request had none
  std::string EvaluateProcess(const std::string& test, const std::string& section,
                              const Assert& a) {
    std::string sec = a.response_section;
    if (sec.empty() || sec == "THIS") sec = section;
    if (sec.rfind("../", 0) == 0) sec = sec.substr(3);
    auto t = logs.find(test);
    if (t == logs.end() || !t->second.count(sec)) return "no log of section " + sec;
    SectionLog& log = t->second[sec];
    pugi::xml_node tx;
    for (pugi::xml_node ts : log.log.document_element().children("TestStep")) {
      if (a.response_step == ts.attribute("id").value()) tx = ts.first_child();
    }
    if (!tx) return "no step " + a.response_step + " in section " + sec;
    pugi::xml_node request = tx.child("InputMetadata").first_child();
    pugi::xml_node response = tx.child("Result").first_child();
    auto all = [](pugi::xml_node n, const char* local) {
      std::vector<pugi::xml_node> out;
      if (!n) return out;
      for (pugi::xpath_node x :
           n.select_nodes((std::string(".//*[local-name()='") + local + "']").c_str())) {
        out.push_back(x.node());
      }
      return out;
    };
    auto text = [](pugi::xml_node n, const char* local) {
      for (pugi::xml_node c : n.children()) {
        if (std::string_view(c.name()).ends_with(local)) return std::string(c.text().get());
      }
      return std::string();
    };
    if (a.process == "registryErrorListNotEmpty") {
      return all(response, "RegistryError").empty() ? "the response has no RegistryError" : "";
    }
    const std::vector<pugi::xml_node> asked = all(request, "DocumentRequest");
    const std::vector<pugi::xml_node> got = all(response, "DocumentResponse");
    if (a.process == "sameDcmImgs") {
      return log.steps[a.response_step].retrieved_ok ? ""
                                                     : "the instances returned are not the imported ones";
    }
    if (got.size() != asked.size()) {
      return std::to_string(asked.size()) + " DocumentRequest, " + std::to_string(got.size()) +
             " DocumentResponse";
    }
    for (size_t i = 0; i < got.size(); ++i) {
      const std::string uid = text(asked[i], "DocumentUniqueId");
      if (a.process == "sameRetImgs") {
        if (text(got[i], "DocumentUniqueId") != uid ||
            text(got[i], "RepositoryUniqueId") != text(asked[i], "RepositoryUniqueId") ||
            text(got[i], "mimeType") != "application/dicom") {
          return "DocumentResponse " + std::to_string(i + 1) + " is not instance " + uid +
                 " of the repository asked, as application/dicom";
        }
      } else if (a.process == "matchHomeCommunityIds") {
        if (text(got[i], "HomeCommunityId") != text(asked[i], "HomeCommunityId")) {
          return "DocumentResponse " + std::to_string(i + 1) + " has HomeCommunityId '" +
                 text(got[i], "HomeCommunityId") + "', its request '" +
                 text(asked[i], "HomeCommunityId") + "'";
        }
      } else {
        return "not interpreted";
      }
    }
    return "";
  }

  void EvaluateAsserts(const std::string& def_id, const std::string& section, SectionLog& log,
                       const TestStep& step, const Substitutions& subs,
                       std::vector<std::string>& failures) {
    for (const Assert& a : step.asserts) {
      if (!a.process.empty()) {
        if (std::string why = EvaluateProcess(def_id, section, a); !why.empty()) {
          failures.push_back("Assert " + a.id + " (" + a.process + "): " + why);
        }
        continue;
      }
      std::string xpath = a.xpath;
      for (const auto& [from, to] : subs) ReplaceAll(xpath, from, to);
      ReplaceBuiltIns(xpath);
      try {
        pugi::xpath_query q(xpath.c_str());
        if (!q) {
          failures.push_back("Assert " + a.id + ": bad XPath: " + q.result().description());
        } else if (!q.evaluate_boolean(log.log.document_element())) {
          failures.push_back("Assert " + a.id + " false: " + xpath);
        }
      } catch (const pugi::xpath_exception& e) {
        failures.push_back("Assert " + a.id + ": bad XPath: " + e.what());
      }
    }
  }

  void RecordReports(const TestStep& step, pugi::xml_node request, pugi::xml_node response,
                     StepRecord& rec, std::vector<std::string>& failures) {
    for (const Report& r : step.reports) {
      pugi::xml_node ctx = r.section == "InputMetadata" ? request
                           : r.section == "Result"      ? response
                                                        : pugi::xml_node();
      if (!ctx) {
        failures.push_back("Report " + r.name + ": section '" + r.section + "' has no content");
        continue;
      }
      try {
        pugi::xpath_query q(r.xpath.c_str());
        std::string v = q.evaluate_string(ctx);
        size_t b = v.find_first_not_of(" \t\r\n"), e = v.find_last_not_of(" \t\r\n");
        rec.reports[r.name] = b == std::string::npos ? "" : v.substr(b, e - b + 1);
      } catch (const pugi::xpath_exception& e) {
        failures.push_back("Report " + r.name + ": bad XPath: " + e.what());
      }
    }
  }

  StepOutcome RunStep(const TestDefinition& def, const Section& sec, const TestStep& step) {
    StepOutcome out{sec.name, step.id, {}};
    SectionLog& log = logs[def.nist_id][sec.name];
    StepRecord& rec = log.steps[step.id];
    for (const std::string& u : step.uninterpreted) {
      out.failures.push_back("instruction <" + u + "> not interpreted by the harness");
    }
    std::string patient = CurrentPatient(def.nist_id);
    Substitutions subs = Linkage(def, sec, step, out.failures, &patient);
    if (step.new_patient_id && step.transaction != "PatientIdentityFeedTransaction") {
      patient = pif_ids[def.nist_id + "/" + sec.name + "/" + step.id];
      session_patient[def.nist_id] = patient;
    }
    if (step.alt_patient_id) patient = NewPatientId();  // never fed: unknown to the registry

    if (step.transaction == "PatientIdentityFeedTransaction") {
      std::string pid = pif_ids[def.nist_id + "/" + sec.name + "/" + step.id];
      rec.reports["$patientid$"] = pid;
      session_patient[def.nist_id] = pid;
      AppendLog(log, step, {}, {});
      return out;
    }
    if (step.transaction == "NullTransaction" || step.transaction == "XmlDetailTransaction" ||
        step.transaction.empty()) {
      AppendLog(log, step, {}, {});
      EvaluateAsserts(def.nist_id, sec.name, log, step, subs, out.failures);
      return out;
    }
    if (step.transaction == "HttpTransaction") {
      RunHttpStep(sec, step, subs, patient, log, rec, out.failures);
      return out;
    }
    const char* action = ActionFor(step.transaction);
    if (!action) {
      out.failures.push_back(step.transaction + " not supported by the harness");
      AppendLog(log, step, {}, {});
      return out;
    }
    bool ok = false;
    std::string text = ReadFile(sec.dir / step.metadata_file, &ok);
    if (!ok) {
      out.failures.push_back("cannot read MetadataFile " + step.metadata_file);
      return out;
    }
    for (const auto& [from, to] : subs) ReplaceAll(text, from, to);
    ReplaceAll(text, "$patientid$", patient);
    if (text.find("$now$") != std::string::npos) WaitPastLastSubmission();
    ReplaceBuiltIns(text);
    const bool imaging = step.transaction == "ImagingDocSetRetrieveTransaction";
    if (imaging && !nist_imaging_repository.empty()) {
      ReplaceAll(text, ">" + nist_imaging_repository, ">" + imaging_repository);
    }
    const bool submission = step.transaction != "StoredQueryTransaction" &&
                            step.transaction != "RetrieveTransaction" && !imaging;
    pugi::xml_document req;
    if (submission) {
      Result<std::string> tr = TranslateSubmitObjectsRequest(text);
      if (!tr.ok()) {
        out.failures.push_back("metadata: " + tr.status().ToString());
        return out;
      }
      text = *tr;
    }
    if (!req.load_buffer(text.data(), text.size())) {
      out.failures.push_back("metadata not well-formed after substitution");
      return out;
    }
    if (submission) {
      RewriteOptions opt;
      opt.replace_patient_id = !step.no_patient_id;
      opt.patient_id = patient;
      opt.assign_uids = !step.no_assign_uids;
      opt.keep_uid_symbols.insert(step.no_assign_uid_ids.begin(), step.no_assign_uid_ids.end());
      opt.assign_uuids = step.assign_uuids;
      opt.source_id = kSourceId;
      rec.ids = RewriteSubmission(req.document_element(), opt);
    }
    Publish(rec, patient);
    pugi::xml_document resp_doc;
    if (submission) last_submission = std::time(nullptr);
    Result<HttpReply> reply = Send(step, sec, req.document_element(), rec.ids, action);
    pugi::xml_node response = ReadSoapReply(reply, resp_doc, out.failures);
    AppendLog(log, step, req.document_element(), response);
    RecordReports(step, req.document_element(), response, rec, out.failures);
    Judge(step, response, out.failures);
    if (step.transaction == "StoredQueryTransaction" && !step.expected_contents.empty()) {
      for (std::string& f : CheckExpectedContents(response, step.expected_contents)) {
        out.failures.push_back(std::move(f));
      }
    }
    if ((step.transaction == "RetrieveTransaction" || imaging) && reply.ok() && response &&
        step.expected_status == "Success") {
      // RAD-69 nests its DocumentRequests in StudyRequest / SeriesRequest.
      size_t requested = 0;
      for (pugi::xpath_node r : req.document_element().select_nodes(
               imaging ? ".//*[local-name()='DocumentRequest']" : "*[local-name()='DocumentRequest']")) {
        requested += r.node() ? 1 : 0;
      }
      std::vector<std::string> bad = CheckRetrievedDocuments(*reply, response, requested, submitted);
      rec.retrieved_ok = bad.empty() && requested > 0;
      for (std::string& f : bad) out.failures.push_back(std::move(f));
    }
    EvaluateAsserts(def.nist_id, sec.name, log, step, subs, out.failures);
    return out;
  }

  // NIST publishes every assigned id as a report too ("<symbol>_uuid", "<symbol>_uid"), and
  // the patient id the step ran with as "$patientid$".
  static void Publish(StepRecord& rec, const std::string& patient) {
    for (const auto& [sym, v] : rec.ids.uuids) rec.reports[sym + "_uuid"] = v;
    for (const auto& [sym, v] : rec.ids.uids) rec.reports[sym + "_uid"] = v;
    rec.reports.emplace("$patientid$", patient);
  }

  Result<HttpReply> PostTo(Transport* t, const HttpRequestBody& request) {
    if (!t) return Status::Unavailable("Replay", "no repository endpoint configured");
    return t->Post(request.content_type, request.body);
  }

  // ITI-41 (MTOM with the step's documents) and ITI-43 go to the repository, the rest to the
  // registry.
  Result<HttpReply> Send(const TestStep& step, const Section& sec, pugi::xml_node request,
                         const AssignedIds& ids, const char* action) {
    if (step.transaction == "ProvideAndRegisterTransaction") {
      Result<HttpRequestBody> r =
          BuildProvideAndRegister(request, step, sec.dir, ids, repository_url, &submitted);
      if (!r.ok()) return r.status();
      return PostTo(repository, *r);
    }
    const bool to_repository = step.transaction == "RetrieveTransaction" ||
                               step.transaction == "ImagingDocSetRetrieveTransaction";
    const std::string& to = to_repository ? repository_url : endpoint;
    return PostTo(to_repository ? repository : transport,
                  {SoapContentType(action), WrapSoap12(Serialize(request), action, to)});
  }

  // Toolkit HttpTransaction (type pr.b): the BodyFile sent to the repository with its
  // <Headers>, ids refreshed as in every submission; NIST wants a one-part MTOM reply.
  void RunHttpStep(const Section& sec, const TestStep& step, const Substitutions& subs,
                   const std::string& patient, SectionLog& log, StepRecord& rec,
                   std::vector<std::string>& failures) {
    bool ok = false;
    std::string text = ReadFile(sec.dir / step.body_file, &ok);
    if (!ok) {
      failures.push_back("cannot read BodyFile " + step.body_file);
      return;
    }
    for (const auto& [from, to] : subs) ReplaceAll(text, from, to);
    Result<HttpRequestBody> request =
        PrepareRawSubmission("headers", text, step.http_headers, patient, &rec.ids);
    if (!request.ok()) {
      failures.push_back(request.status().ToString());
      return;
    }
    Publish(rec, patient);
    last_submission = std::time(nullptr);
    pugi::xml_document resp_doc;
    Result<HttpReply> reply = PostTo(repository, *request);
    pugi::xml_node response = ReadSoapReply(reply, resp_doc, failures);
    if (reply.ok()) {
      if (std::string why = CheckSinglePartReply(*reply); !why.empty()) failures.push_back(why);
    }
    AppendLog(log, step, {}, response);
    RecordReports(step, {}, response, rec, failures);
    Judge(step, response, failures);
    EvaluateAsserts("", sec.name, log, step, subs, failures);
  }

  void Judge(const TestStep& step, pugi::xml_node response, std::vector<std::string>& failures) {
    for (std::string& f : CheckStepVerdict(step, response)) failures.push_back(std::move(f));
  }

  // $RENKEI_REPLAY_LOG_DIR set: writes each section's log (requests and responses, as NIST's
  // log.xml holds them) to <dir>/<test>/<section>.xml for diagnosis.
  void DumpLogs(const TestDefinition& def) {
    const char* dir = std::getenv("RENKEI_REPLAY_LOG_DIR");
    if (!dir) return;
    std::filesystem::path base = std::filesystem::path(dir) / def.folder;
    std::error_code ec;
    std::filesystem::create_directories(base, ec);
    for (auto& [section, log] : logs[def.nist_id]) {
      log.log.save_file((base / ((section.empty() ? "testplan" : section) + ".xml")).c_str(), "  ");
    }
  }

  TestOutcome Run(const std::string& nist_id) {
    if (auto d = done.find(nist_id); d != done.end()) return d->second;
    TestOutcome outcome;
    outcome.name = nist_id;
    auto it = catalogue.find(nist_id);
    if (it == catalogue.end()) {
      outcome.failures.push_back("test " + nist_id + " is not in the catalogue");
      return outcome;
    }
    if (!running.insert(nist_id).second) {
      outcome.failures.push_back("dependency cycle through " + nist_id);
      return outcome;
    }
    const TestDefinition& def = it->second;
    for (const std::string& dep : def.dependencies) {
      if (done.count(dep)) continue;
      TestOutcome d = Run(dep);
      if (!d.passed()) outcome.failures.push_back("fixture " + dep + " failed (" + d.FailureSummary() + ")");
    }
    for (const Section& sec : def.sections) {
      for (const TestStep& step : sec.steps) outcome.steps.push_back(RunStep(def, sec, step));
    }
    running.erase(nist_id);
    done[nist_id] = outcome;
    DumpLogs(def);
    return outcome;
  }

  TestOutcome RunWire(const WireCase& wc) {
    TestOutcome outcome;
    outcome.name = wc.name;
    StepOutcome so{"", wc.file, {}};
    bool ok = false;
    std::string text = ReadFile(std::filesystem::path(corpus_dir) / wc.file, &ok);
    if (!ok) {
      outcome.failures.push_back("cannot read " + wc.file);
      return outcome;
    }
    pugi::xml_document resp_doc;
    pugi::xml_node response;
    if (wc.mode == "raw") {
      std::string action;
      size_t a = text.find("Action");
      if (a != std::string::npos) {
        size_t gt = text.find('>', a), lt = text.find('<', gt);
        if (gt != std::string::npos && lt != std::string::npos) action = text.substr(gt + 1, lt - gt - 1);
      }
      std::string ct = action.empty() ? "application/soap+xml; charset=UTF-8" : SoapContentType(action);
      // To the node when the action or, lacking one, the body element is ITI-41/43's.
      const bool to_repository = action == kActionIti41 || action == kActionIti43 ||
                                 text.find("ProvideAndRegisterDocumentSetRequest") != text.npos ||
                                 text.find("RetrieveDocumentSetRequest") != text.npos;
      response = ReadSoapReply(PostTo(to_repository ? repository : transport, {ct, text}),
                               resp_doc, so.failures);
    } else if (wc.mode == "mtom" || wc.mode == "http") {
      AssignedIds ids;
      Result<HttpRequestBody> r = PrepareRawSubmission(wc.mode, text, "", MainPatient(), &ids);
      if (!r.ok()) {
        outcome.failures.push_back(wc.file + ": " + r.status().ToString());
        return outcome;
      }
      response = ReadSoapReply(PostTo(repository, *r), resp_doc, so.failures);
    } else {
      const char* action = wc.mode == "ITI-42"   ? kActionIti42
                           : wc.mode == "ITI-57" ? kActionIti57
                           : wc.mode == "ITI-41" ? kActionIti41
                                                 : kActionIti18;
      pugi::xml_document req;
      if (!req.load_buffer(text.data(), text.size())) {
        outcome.failures.push_back("wire example not well-formed: " + wc.file);
        return outcome;
      }
      if (wc.mode != "ITI-18") {
        RewriteOptions opt;
        opt.replace_patient_id = true;
        opt.patient_id = MainPatient();
        RewriteSubmission(req.document_element(), opt);
      }
      const std::string body = Serialize(req.document_element());
      const bool iti41 = wc.mode == "ITI-41";  // MTOM, to the node
      HttpRequestBody r = iti41 ? MtomSoap12(body, action, repository_url)
                                : HttpRequestBody{SoapContentType(action),
                                                  WrapSoap12(body, action, endpoint)};
      response = ReadSoapReply(PostTo(iti41 ? repository : transport, r), resp_doc, so.failures);
    }
    for (std::string& f : CheckWireVerdict(response, wc.expect, wc.codes)) {
      so.failures.push_back(std::move(f));
    }
    outcome.steps.push_back(std::move(so));
    return outcome;
  }
};

ReplayEngine::ReplayEngine(Transport* transport, std::string endpoint_url, std::string corpus_dir)
    : impl_(std::make_unique<Impl>()) {
  impl_->transport = transport;
  impl_->endpoint = std::move(endpoint_url);
  impl_->corpus_dir = std::move(corpus_dir);
}

void ReplayEngine::SetEndpoint(std::string endpoint_url) { impl_->endpoint = std::move(endpoint_url); }

void ReplayEngine::AddImportedImages(const std::string& nist_repository_unique_id,
                                     const std::string& repository_unique_id,
                                     const std::map<std::string, std::string>& images) {
  impl_->nist_imaging_repository = nist_repository_unique_id;
  impl_->imaging_repository = repository_unique_id;
  for (const auto& [sop, bytes] : images) {
    impl_->submitted[sop] = SubmittedDocument{bytes, "application/dicom"};
  }
}

void ReplayEngine::SetRepository(Transport* transport, std::string url) {
  impl_->repository = transport;
  impl_->repository_url = std::move(url);
}

ReplayEngine::~ReplayEngine() = default;

void ReplayEngine::AddTest(TestDefinition def) {
  std::string id = def.nist_id;
  impl_->catalogue[id] = std::move(def);
}

std::vector<std::string> ReplayEngine::KnownPatientIds() {
  impl_->FreezeIds();
  std::set<std::string> ids;
  for (const auto& [k, v] : impl_->pif_ids) ids.insert(v);
  for (const auto& [k, v] : impl_->session_patient) ids.insert(v);
  return {ids.begin(), ids.end()};
}

TestOutcome ReplayEngine::RunTest(const std::string& nist_id) {
  impl_->FreezeIds();
  return impl_->Run(nist_id);
}

TestOutcome ReplayEngine::RunWireCase(const WireCase& wc) {
  impl_->FreezeIds();
  return impl_->RunWire(wc);
}

}  // namespace renkei::conformance
