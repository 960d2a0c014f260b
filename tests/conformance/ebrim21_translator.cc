// ebRIM 2.1 -> ebRS/ebRIM 3.0 SubmitObjectsRequest translation (NIST XDS test engine <XDSb/>).
#include "tests/conformance/ebrim21_translator.h"

#include <array>
#include <cstring>
#include <map>
#include <sstream>
#include <vector>

#include <pugixml.hpp>

namespace renkei::conformance {
namespace {

// Well-known XDS classification schemes, nodes, identification schemes and object types.
// NIST lists them as ObjectRefs in its 2.1 authoring and drops them when sending 3.0.
constexpr std::array<const char*, 30> kWellKnownUuids = {
    "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1", "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b518fff",
    "urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248", "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd",
    "urn:uuid:d9d542f3-6cc4-48b6-8870-ea235fbc94c2", "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d",
    "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a", "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f",
    "urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4", "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d",
    "urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1", "urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead",
    "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983", "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427",
    "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab", "urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d",
    "urn:uuid:aa543740-bdda-424e-8c96-df4873be8500", "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446",
    "urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832", "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8",
    "urn:uuid:1ba97051-7806-41a8-a48b-8fce7af683c5", "urn:uuid:f64ffdf0-4b97-4e06-b79f-a52b38ec2f8a",
    "urn:uuid:75df8f67-9973-4fbe-a900-df66cefecc5a", "urn:uuid:abd807a3-4432-4053-87b4-fd82c643d1f3",
    "urn:uuid:ab9b591b-83ab-4d03-8f5d-f93b1fb92e85", "urn:uuid:10aa1a4b-715a-4120-bfd0-9760414112c8",
    "urn:uuid:917dc511-f7da-4417-8664-de25b34d3def", "urn:uuid:5003a9db-8d8d-49e6-bf0c-990e34ac7707",
    "urn:uuid:0f9f5e2e-0b0a-4f5a-8d4c-0b0d61b1e1a8", "urn:uuid:1ba97051-7806-41a8-a48b-8fce7af683c5"};

bool IsWellKnown(std::string_view id) {
  for (const char* k : kWellKnownUuids) {
    if (id == k) return true;
  }
  return false;
}

std::string_view LocalName(const char* qname) {
  const char* colon = std::strchr(qname, ':');
  return colon ? std::string_view(colon + 1) : std::string_view(qname);
}

std::string MapAssociationType(std::string_view t) {
  if (t.find(':') != std::string_view::npos) return std::string(t);
  if (t == "HasMember") return "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember";
  if (t == "RPLC" || t == "APND" || t == "XFRM" || t == "XFRM_RPLC" || t == "signs") {
    return "urn:ihe:iti:2007:AssociationType:" + std::string(t);
  }
  return std::string(t);
}

class Translator {
 public:
  std::string NextId() { return "ID_" + std::to_string(++counter_); }

  // Copies `src` (any namespace) as rim:<name> under `dst`, recursively, in 3.0 order.
  void CopyObject(pugi::xml_node src, pugi::xml_node dst_parent, std::string_view owner_id) {
    const std::string_view name = LocalName(src.name());
    pugi::xml_node dst = dst_parent.append_child(("rim:" + std::string(name)).c_str());
    for (pugi::xml_attribute a : src.attributes()) {
      std::string_view an = a.name();
      if (an.starts_with("xmlns")) continue;
      if (name == "Association" && an == "associationType") {
        dst.append_attribute("associationType") = MapAssociationType(a.value()).c_str();
        continue;
      }
      dst.append_attribute(a.name()) = a.value();
    }
    const bool is_registry_object = name == "ExtrinsicObject" || name == "RegistryPackage" ||
                                    name == "Association" || name == "Classification" ||
                                    name == "ExternalIdentifier";
    if (is_registry_object && !dst.attribute("id")) {
      dst.prepend_attribute("id") = NextId().c_str();
    }
    if (name == "Classification" && !dst.attribute("classifiedObject") && !owner_id.empty()) {
      dst.append_attribute("classifiedObject") = std::string(owner_id).c_str();
    }
    if (name == "ExternalIdentifier" && !dst.attribute("registryObject") && !owner_id.empty()) {
      dst.append_attribute("registryObject") = std::string(owner_id).c_str();
    }
    if (!is_registry_object) {
      CopyPlain(src, dst);
      return;
    }
    const std::string id = dst.attribute("id").value();
    static constexpr std::array<std::string_view, 6> kOrder = {
        "Slot", "Name", "Description", "VersionInfo", "Classification", "ExternalIdentifier"};
    for (std::string_view want : kOrder) {
      for (pugi::xml_node c : src.children()) {
        if (c.type() == pugi::node_element && LocalName(c.name()) == want) {
          if (want == "Classification" || want == "ExternalIdentifier") {
            CopyObject(c, dst, id);
          } else {
            CopyPlainElement(c, dst);
          }
        }
      }
    }
    for (pugi::xml_node c : src.children()) {
      if (c.type() != pugi::node_element) continue;
      std::string_view cn = LocalName(c.name());
      bool known = false;
      for (std::string_view k : kOrder) known = known || cn == k;
      if (!known) CopyPlainElement(c, dst);
    }
  }

  pugi::xml_node CopyPlainElement(pugi::xml_node src, pugi::xml_node dst_parent) {
    pugi::xml_node dst =
        dst_parent.append_child(("rim:" + std::string(LocalName(src.name()))).c_str());
    for (pugi::xml_attribute a : src.attributes()) {
      if (std::string_view(a.name()).starts_with("xmlns")) continue;
      dst.append_attribute(a.name()) = a.value();
    }
    CopyPlain(src, dst);
    return dst;
  }

  void CopyPlain(pugi::xml_node src, pugi::xml_node dst) {
    for (pugi::xml_node c : src.children()) {
      if (c.type() == pugi::node_element) {
        CopyPlainElement(c, dst);
      } else if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
        dst.append_child(pugi::node_pcdata).set_value(c.value());
      }
    }
  }

 private:
  int counter_ = 0;
};

void FillMissingIds(pugi::xml_node n, Translator& t) {
  for (pugi::xml_node c : n.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string_view l = LocalName(c.name());
    bool identifiable = l == "ExtrinsicObject" || l == "RegistryPackage" || l == "Association" ||
                        l == "Classification" || l == "ExternalIdentifier";
    if (identifiable && !c.attribute("id")) c.prepend_attribute("id") = t.NextId().c_str();
    FillMissingIds(c, t);
  }
}

}  // namespace

bool IsEbrim21(std::string_view xml) {
  return xml.find(kRs21Ns) != std::string_view::npos || xml.find(kRim21Ns) != std::string_view::npos;
}

Result<std::string> TranslateSubmitObjectsRequest(std::string_view xml) {
  pugi::xml_document in;
  pugi::xml_parse_result pr = in.load_buffer(xml.data(), xml.size());
  if (!pr) {
    return Status::InvalidArgument("XMLParse", std::string("metadata not well-formed: ") +
                                                   pr.description());
  }
  pugi::xml_node root = in.document_element();
  if (LocalName(root.name()) != "SubmitObjectsRequest") {
    return Status::InvalidArgument("NotSubmitObjectsRequest",
                                   std::string("root element is ") + root.name());
  }
  if (!IsEbrim21(xml)) {
    // Already ebRS 3.0: sent as authored; only identifiable objects without an id get a
    // symbolic one (NIST's parser does the same before AssignUuids).
    Translator t;
    FillMissingIds(root, t);
    std::ostringstream os;
    in.save(os, "  ", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
    return os.str();
  }
  pugi::xml_node list;
  for (pugi::xml_node c : root.children()) {
    std::string_view n = LocalName(c.name());
    if (n == "LeafRegistryObjectList" || n == "RegistryObjectList") list = c;
  }
  pugi::xml_document out;
  pugi::xml_node sor = out.append_child("lcm:SubmitObjectsRequest");
  sor.append_attribute("xmlns:lcm") = kLcm30Ns;
  sor.append_attribute("xmlns:rim") = kRim30Ns;
  sor.append_attribute("xmlns:rs") = kRs30Ns;
  Translator t;
  // Request-level slots (3.0 RegistryRequestType allows a RequestSlotList) are kept.
  for (pugi::xml_node c : root.children()) {
    if (LocalName(c.name()) == "RequestSlotList") {
      t.CopyPlainElement(c, sor).set_name("rs:RequestSlotList");
    }
  }
  pugi::xml_node rol = sor.append_child("rim:RegistryObjectList");
  if (list) {
    for (pugi::xml_node c : list.children()) {
      if (c.type() != pugi::node_element) continue;
      std::string_view n = LocalName(c.name());
      if (n == "ObjectRef") {
        if (IsWellKnown(c.attribute("id").value())) continue;
        t.CopyPlainElement(c, rol);
        continue;
      }
      t.CopyObject(c, rol, c.attribute("classifiedObject").value());
    }
  }
  std::ostringstream os;
  out.save(os, "  ", pugi::format_indent | pugi::format_no_declaration, pugi::encoding_utf8);
  return os.str();
}

}  // namespace renkei::conformance
