// XDS.b Document Registry actor (ITI TF-1 §10, ITI TF-2 §3.18/§3.42/§3.57/§3.62): the
// object that owns the store and runs the transactions. Each transaction lives in its own
// file (see registry/document_registry.h).
#include "registry/document_registry.h"

#include <utility>

namespace renkei::registry {

DocumentRegistry::DocumentRegistry(RegistryStore& store, const PatientIdSource& patients,
                                   const xds::CodeValidator* codes, RegistryOptions options)
    : store_(store), patients_(patients), codes_(codes), options_(std::move(options)) {}

}  // namespace renkei::registry
