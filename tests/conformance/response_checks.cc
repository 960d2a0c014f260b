// Client-side verdicts of the NIST XDS test engine (ExpectedStatus / errors / ExpectedContents).
#include "tests/conformance/response_checks.h"

#include <cstring>
#include <map>
#include <set>

#include <pugixml.hpp>

namespace renkei::conformance {
namespace {

constexpr char kSsNode[] = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd";
constexpr char kFolderNode[] = "urn:uuid:d9d542f3-6cc4-48b6-8870-ea235fbc94c2";
constexpr char kSsUniqueIdScheme[] = "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8";
constexpr char kFolderUniqueIdScheme[] = "urn:uuid:75df8f67-9973-4fbe-a900-df66cefecc5a";

std::string_view Local(const char* qname) {
  const char* c = std::strchr(qname, ':');
  return c ? std::string_view(c + 1) : std::string_view(qname);
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

pugi::xml_node FindDescendant(pugi::xml_node n, std::string_view local) {
  return n.find_node([&](pugi::xml_node x) {
    return x.type() == pugi::node_element && Local(x.name()) == local;
  });
}

struct Assoc {
  std::string id, type, source, target;
};

// The objects of an AdhocQueryResponse, grouped the way ExpectedContents talks about them.
struct Contents {
  std::map<std::string, std::string> ss, folders, docs;  // id -> status
  std::vector<Assoc> assocs;
  int object_refs = 0;

  explicit Contents(pugi::xml_node response) {
    pugi::xml_node list = FindDescendant(response, "RegistryObjectList");
    std::set<std::string> ss_ids, folder_ids;
    std::vector<pugi::xml_node> packages;
    for (pugi::xml_node c : list.children()) {
      if (c.type() != pugi::node_element) continue;
      std::string_view n = Local(c.name());
      if (n == "ExtrinsicObject") {
        docs[c.attribute("id").value()] = c.attribute("status").value();
      } else if (n == "RegistryPackage") {
        packages.push_back(c);
      } else if (n == "Association") {
        assocs.push_back({c.attribute("id").value(), c.attribute("associationType").value(),
                          c.attribute("sourceObject").value(),
                          c.attribute("targetObject").value()});
      } else if (n == "ObjectRef") {
        ++object_refs;
      } else if (n == "Classification") {
        std::string node = c.attribute("classificationNode").value();
        if (node == kSsNode) ss_ids.insert(c.attribute("classifiedObject").value());
        if (node == kFolderNode) folder_ids.insert(c.attribute("classifiedObject").value());
      }
    }
    for (pugi::xml_node p : packages) {
      std::string id = p.attribute("id").value();
      bool is_ss = ss_ids.count(id) > 0, is_fol = folder_ids.count(id) > 0;
      for (pugi::xml_node c : p.children()) {
        std::string_view n = Local(c.name());
        if (n == "Classification") {
          std::string node = c.attribute("classificationNode").value();
          is_ss = is_ss || node == kSsNode;
          is_fol = is_fol || node == kFolderNode;
        } else if (n == "ExternalIdentifier") {
          std::string scheme = c.attribute("identificationScheme").value();
          is_ss = is_ss || scheme == kSsUniqueIdScheme;
          is_fol = is_fol || scheme == kFolderUniqueIdScheme;
        }
      }
      if (is_ss) ss[id] = p.attribute("status").value();
      if (is_fol) folders[id] = p.attribute("status").value();
    }
  }

  bool HasMember(const std::string& src, const std::string& tgt) const {
    for (const Assoc& a : assocs) {
      if (EndsWith(a.type, "HasMember") && a.source == src && a.target == tgt) return true;
    }
    return false;
  }
  const Assoc* HasMemberAssoc(const std::string& src, const std::string& tgt) const {
    for (const Assoc& a : assocs) {
      if (EndsWith(a.type, "HasMember") && a.source == src && a.target == tgt) return &a;
    }
    return nullptr;
  }
  int HasMemberCount() const {
    int n = 0;
    for (const Assoc& a : assocs) n += EndsWith(a.type, "HasMember") ? 1 : 0;
    return n;
  }
  // NIST's "all ... have status X": vacuously true when there are none (20001
  // eval_deprecate_assoc expects <Documents count="0"/> together with <DocApp/>).
  static bool AllWith(const std::map<std::string, std::string>& m, std::string_view status) {
    for (const auto& [id, st] : m) {
      if (!EndsWith(st, status)) return false;
    }
    return true;
  }
  static int CountWith(const std::map<std::string, std::string>& m, std::string_view status) {
    int n = 0;
    for (const auto& [id, st] : m) n += EndsWith(st, status) ? 1 : 0;
    return n;
  }
  bool HasType(std::string_view suffix) const {
    for (const Assoc& a : assocs) {
      if (EndsWith(a.type, std::string(":") + std::string(suffix))) return true;
    }
    return false;
  }

  // SubmissionSet (Approved) with `ndoc` docs, `nfol` folders and the HasMember web NIST's
  // SSwith* patterns describe (docs_in_folder of the docs are also folder members).
  std::string CheckSsPattern(size_t ndoc, size_t nfol, size_t docs_in_folder,
                             size_t nassoc) const {
    if (ss.size() != 1) return "expected 1 SubmissionSet, got " + std::to_string(ss.size());
    if (docs.size() != ndoc) {
      return "expected " + std::to_string(ndoc) + " DocumentEntries, got " +
             std::to_string(docs.size());
    }
    if (folders.size() != nfol) {
      return "expected " + std::to_string(nfol) + " Folders, got " + std::to_string(folders.size());
    }
    const std::string& ssid = ss.begin()->first;
    if (!EndsWith(ss.begin()->second, ":Approved")) return "SubmissionSet not Approved";
    for (const auto& [docid, st] : docs) {
      if (!HasMember(ssid, docid)) return "no SubmissionSet HasMember " + docid;
    }
    if (nfol == 1) {
      const std::string& folid = folders.begin()->first;
      if (!HasMember(ssid, folid)) return "no SubmissionSet HasMember Folder";
      size_t in_folder = 0;
      for (const auto& [docid, st] : docs) {
        const Assoc* fa = HasMemberAssoc(folid, docid);
        if (!fa) continue;
        ++in_folder;
        if (!HasMember(ssid, fa->id)) return "no SubmissionSet HasMember Folder-Document assoc";
      }
      if (in_folder != docs_in_folder) {
        return "expected " + std::to_string(docs_in_folder) + " documents in the folder, got " +
               std::to_string(in_folder);
      }
    }
    if (static_cast<size_t>(HasMemberCount()) != nassoc) {
      return "expected " + std::to_string(nassoc) + " HasMember associations, got " +
             std::to_string(HasMemberCount());
    }
    return "";
  }
};

}  // namespace

ParsedResponse ParseRegistryResponse(pugi::xml_node body_child) {
  ParsedResponse r;
  if (!body_child) {
    r.soap_fault = true;
    r.fault_text = "empty SOAP Body";
    return r;
  }
  if (Local(body_child.name()) == "Fault") {
    r.soap_fault = true;
    pugi::xml_node text = FindDescendant(body_child, "Text");
    if (!text) text = FindDescendant(body_child, "faultstring");
    r.fault_text = text.text().get();
    return r;
  }
  // ITI-43 carries its status in RetrieveDocumentSetResponse/RegistryResponse.
  pugi::xml_node status_holder = body_child;
  if (Local(body_child.name()) == "RetrieveDocumentSetResponse") {
    status_holder = FindDescendant(body_child, "RegistryResponse");
  }
  r.status = status_holder.attribute("status").value();
  pugi::xml_node list = FindDescendant(body_child, "RegistryErrorList");
  for (pugi::xml_node e : list.children()) {
    if (Local(e.name()) != "RegistryError") continue;
    r.errors.push_back({e.attribute("errorCode").value(), e.attribute("codeContext").value(),
                        e.attribute("severity").value()});
  }
  return r;
}

ParsedResponse ParseReply(pugi::xml_node response) {
  const std::string_view name = response.name();
  if (name == "EmptySoapBody") return ParseRegistryResponse({});
  ParsedResponse pr = ParseRegistryResponse(name == "NoSoapReply" ? pugi::xml_node() : response);
  if (name == "NoSoapReply") {
    pr.fault_text = "HTTP " + std::string(response.attribute("http").value()) + " without SOAP";
  }
  return pr;
}

std::vector<std::string> CheckStepVerdict(const TestStep& step, pugi::xml_node response) {
  if (!response) return {};
  ParsedResponse pr = ParseReply(response);
  std::vector<std::string> out;
  if (step.expected_status) {
    std::string why = CheckStatus(pr, *step.expected_status);
    if (!why.empty()) out.push_back(why);
  }
  for (std::string& f : CheckErrors(pr, step)) out.push_back(std::move(f));
  return out;
}

std::vector<std::string> CheckWireVerdict(pugi::xml_node response, const std::string& expect,
                                          const std::vector<std::string>& codes) {
  std::vector<std::string> out;
  if (!response) return out;
  ParsedResponse pr = ParseReply(response);
  bool success = !pr.soap_fault &&
                 (EndsWith(pr.status, ":Success") || EndsWith(pr.status, ":PartialSuccess"));
  std::string got = pr.soap_fault ? "SOAP Fault/no SOAP reply (" + pr.fault_text + ")" : pr.status;
  std::string found;
  for (const RegistryErrorEntry& e : pr.errors) found += e.code + " (" + e.context + ") ";
  if (expect == "SuccessEmptyOrFailure") {
    std::vector<std::string> extra = CheckExpectedContents(response, {{"Documents", 0}});
    if (success && !extra.empty()) out.push_back("success with documents: " + extra[0]);
  } else if (expect == "Success" && !success) {
    out.push_back("expected Success, got " + got + " [" + found + "]");
  } else if (expect == "Failure" && success) {
    out.push_back("expected Failure, got " + got);
  }
  if (!codes.empty() && !pr.soap_fault) {
    bool any = false;
    for (const RegistryErrorEntry& e : pr.errors) {
      for (const std::string& c : codes) any = any || e.code == c;
    }
    if (!any) {
      out.push_back("expected one of the error codes " + codes[0] + "... got [" + found + "]");
    }
  }
  return out;
}

std::string CheckStatus(const ParsedResponse& r, const std::string& expected) {
  std::string got = r.soap_fault ? "SOAP Fault (" + r.fault_text + ")" : r.status;
  if (expected == "Success") {
    if (!r.soap_fault && (EndsWith(r.status, ":Success") || EndsWith(r.status, ":PartialSuccess"))) {
      return "";
    }
  } else if (expected == "Failure") {
    if (r.soap_fault || EndsWith(r.status, ":Failure")) return "";
  } else {
    return "ExpectedStatus '" + expected + "' not interpreted";
  }
  std::string why = "expected status " + expected + ", got " + (got.empty() ? "<none>" : got);
  for (const RegistryErrorEntry& e : r.errors) why += " [" + e.code + ": " + e.context + "]";
  return why;
}

std::vector<std::string> CheckErrors(const ParsedResponse& r, const TestStep& step) {
  std::vector<std::string> out;
  std::string got;
  for (const RegistryErrorEntry& e : r.errors) got += (got.empty() ? "" : ",") + e.code;
  for (const std::string& code : step.expected_error_codes) {
    bool found = false;
    for (const RegistryErrorEntry& e : r.errors) found = found || e.code == code;
    if (!found) out.push_back("expected errorCode " + code + ", got [" + got + "]");
  }
  for (const std::string& msg : step.expected_error_messages) {
    bool found = false;
    for (const RegistryErrorEntry& e : r.errors) {
      found = found || e.context.find(msg) != std::string::npos || e.code == msg;
    }
    if (!found) out.push_back("expected error message '" + msg + "', got [" + got + "]");
  }
  return out;
}

std::vector<std::string> CheckExpectedContents(pugi::xml_node response,
                                               const std::vector<ExpectedContent>& expected) {
  std::vector<std::string> out;
  Contents c(response);
  auto count_check = [&](const std::string& name, int got, const ExpectedContent& e) {
    if (!e.count) {
      out.push_back(name + " without count");
    } else if (*e.count != got) {
      out.push_back(name + ": expected count " + std::to_string(*e.count) + ", got " +
                    std::to_string(got));
    }
  };
  for (const ExpectedContent& e : expected) {
    const std::string& n = e.name;
    std::string err;
    if (n == "SubmissionSets") {
      count_check(n, static_cast<int>(c.ss.size()), e);
    } else if (n == "Documents") {
      count_check(n, static_cast<int>(c.docs.size()), e);
    } else if (n == "Folders") {
      count_check(n, static_cast<int>(c.folders.size()), e);
    } else if (n == "Associations") {
      count_check(n, static_cast<int>(c.assocs.size()), e);
    } else if (n == "ObjectRefs") {
      count_check(n, c.object_refs, e);
    } else if (n == "SSwithOneDoc") {
      err = c.CheckSsPattern(1, 0, 0, 1);
    } else if (n == "SSwithTwoDoc") {
      err = c.CheckSsPattern(2, 0, 0, 2);
    } else if (n == "SSwithOneDocOneFol") {
      err = c.CheckSsPattern(1, 1, 1, 4);
    } else if (n == "SSwithTwoDocOneFol") {
      err = c.CheckSsPattern(2, 1, 2, 7);
    } else if (n == "SSwithTwoDocOneFolOneDocInFol") {
      err = c.CheckSsPattern(2, 1, 1, 5);
    } else if (n == "SSwithOneFol") {
      err = c.CheckSsPattern(0, 1, 0, 1);
    } else if (n == "SSApproved") {
      if (c.ss.empty() || !Contents::AllWith(c.ss, ":Approved")) err = "no Approved SubmissionSet";
    } else if (n == "DocDep") {
      if (!Contents::AllWith(c.docs, ":Deprecated")) err = "not all DocumentEntries Deprecated";
    } else if (n == "DocApp") {
      if (!Contents::AllWith(c.docs, ":Approved")) err = "not all DocumentEntries Approved";
    } else if (n == "FolApp") {
      if (!Contents::AllWith(c.folders, ":Approved")) err = "not all Folders Approved";
    } else if (n == "OneDocDep") {
      if (Contents::CountWith(c.docs, ":Deprecated") != 1) err = "not exactly one Deprecated doc";
    } else if (n == "OneDocApp") {
      if (Contents::CountWith(c.docs, ":Approved") != 1) err = "not exactly one Approved doc";
    } else if (n == "HasRPLC") {
      if (!c.HasType("RPLC")) err = "no RPLC association";
    } else if (n == "HasXFRM_RPLC") {
      if (!c.HasType("XFRM_RPLC")) err = "no XFRM_RPLC association";
    } else if (n == "DocRplcDoc") {
      bool ok = false;
      for (const Assoc& a : c.assocs) {
        if (!EndsWith(a.type, ":RPLC")) continue;
        auto s = c.docs.find(a.source), t = c.docs.find(a.target);
        ok = ok || (s != c.docs.end() && t != c.docs.end() &&
                    EndsWith(s->second, ":Approved") && EndsWith(t->second, ":Deprecated"));
      }
      if (!ok) err = "no Approved-RPLC->Deprecated document pair";
    } else if (n == "None") {
      if (!c.ss.empty() || !c.docs.empty() || !c.folders.empty() || !c.assocs.empty()) {
        err = "expected no objects";
      }
    } else {
      err = "not interpreted by the harness";
    }
    if (!err.empty()) out.push_back("ExpectedContents " + n + ": " + err);
  }
  return out;
}

}  // namespace renkei::conformance
