// Starts a `renkei node` (Document Repository at <node>/xds/repository) for a
// third-party-client test, registering at a centre's registry (see role.js).
'use strict';

const { startRole } = require('./role');

// Resolves to { baseUrl, repositoryUrl, dataDir, tmpDir, stop() } once the node printed
// `ready node http://127.0.0.1:P`. `registryUrl` is the centre's /xds/registry; `sets` are
// extra --set values (repository.unique_id and facility.oid among them).
function startNode(name, registryUrl, sets) {
  return startRole('node', name,
    ['http.listen=127.0.0.1:0', 'tls.insecure_loopback=true', `registry.url=${registryUrl}`,
      'log.level=warning'],
    sets,
    /^ready node (http:\/\/127\.0\.0\.1:[0-9]+)$/m,
    (m, p) => ({ baseUrl: m[1], repositoryUrl: `${m[1]}/xds/repository`, ...p }));
}

module.exports = { startNode };
