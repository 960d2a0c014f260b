// Starts a `renkei centre` for a third-party-client test (see role.js).
'use strict';

const { startRole, RENKEI } = require('./role');

// Resolves to { baseUrl, registryUrl, mllpPort, dataDir, tmpDir, stop() } once the centre
// printed `ready centre http://127.0.0.1:P mllp://127.0.0.1:Q`; `sets` are extra --set values.
function startCentre(name, sets) {
  return startRole('centre', name,
    // Insecure loopback: requests without the X-Renkei-Facility test header act for one test
    // facility (what they register, they see); a test whose node registers as another
    // facility sets registry.default_facility to it.
    ['http.listen=127.0.0.1:0', 'mllp.listen=127.0.0.1:0', 'tls.insecure_loopback=true',
      'registry.default_facility=2.999.392.77.1', 'log.level=warning'],
    sets,
    /^ready centre (http:\/\/127\.0\.0\.1:[0-9]+) mllp:\/\/127\.0\.0\.1:([0-9]+)$/m,
    (m, p) => ({
      baseUrl: m[1], registryUrl: `${m[1]}/xds/registry`, mllpPort: Number(m[2]), ...p,
    }));
}

module.exports = { startCentre, RENKEI };
