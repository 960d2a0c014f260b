// The demo region's facility directory (see demo_directory.h).
#include "apps/demo_directory.h"

#include <fstream>
#include <sstream>

#include "directory/directory_store.h"

namespace renkei::apps {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// "伊勢中央病院 (Ise Central Hospital)" → {"伊勢中央病院", "Ise Central Hospital"}.
directory::Facility FacilityOf(const DemoHospital& h, directory::FacilityType type,
                               const std::string& cert_file) {
  directory::Facility f;
  f.oid = h.oid;
  const size_t paren = h.name.find(" (");
  f.name = h.name.substr(0, paren);
  if (paren != std::string::npos) {
    f.name_romaji = h.name.substr(paren + 2, h.name.size() - paren - 3);
  }
  f.type = type;
  f.certificate_pem = ReadFile(cert_file);
  return f;
}

}  // namespace

Status WriteDemoDirectory(const std::string& centre_data_dir, const DemoRegion& region,
                          const DemoPki& pki, const std::vector<std::string>& node_urls) {
  RENKEI_ASSIGN_OR_RETURN(std::unique_ptr<directory::DirectoryStore> store,
                          directory::DirectoryStore::Open(
                              centre_data_dir + "/" + directory::kDirectoryFileName));
  RENKEI_RETURN_IF_ERROR(store->PutFacility(
      FacilityOf(region.centre, directory::FacilityType::kViewing, pki.centre.cert)));
  RENKEI_RETURN_IF_ERROR(store->PutFacility(
      FacilityOf(region.clinic, directory::FacilityType::kViewing, pki.clinic.cert)));
  for (size_t h = 0; h < region.hospitals.size(); ++h) {
    const DemoHospital& hosp = region.hospitals[h];
    RENKEI_RETURN_IF_ERROR(store->PutFacility(
        FacilityOf(hosp, directory::FacilityType::kDisclosing, pki.hospitals[h].cert)));
    for (auto [kind, path] : {std::pair{directory::EndpointKind::kIti43, "/xds/repository"},
                              std::pair{directory::EndpointKind::kIti68, "/fhir/Binary"}}) {
      directory::Endpoint e;
      e.facility = hosp.oid;
      e.kind = kind;
      e.url = node_urls[h] + path;
      e.repository_unique_id = hosp.repository_unique_id;
      RENKEI_RETURN_IF_ERROR(store->AddEndpoint(e).status());
    }
  }
  return Status::Ok();
}

}  // namespace renkei::apps
