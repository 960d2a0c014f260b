// Starts a `renkei node` (Document Repository at <node>/xds/repository) for a third-party-client
// test on 127.0.0.1 (port chosen by the node, read from its ready line), registering at a
// centre's registry, in a fresh temporary data dir, and stops it by pid. Same style as
// centre.js. Needs RENKEI_BINARY_DIR (ctest sets it).
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { RENKEI } = require('./centre');

// Resolves to { baseUrl, repositoryUrl, dataDir, tmpDir, stop() } once the node printed
// `ready node http://127.0.0.1:P`. `registryUrl` is the centre's /xds/registry; `sets` are
// extra --set values (repository.unique_id and facility.oid among them).
function startNode(name, registryUrl, sets) {
  if (!fs.existsSync(RENKEI)) return Promise.reject(new Error(`${RENKEI} is not built`));
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), `renkei-node-${name}-`));
  const dataDir = path.join(tmpDir, 'node');
  const args = ['node',
    '--set', `data_dir=${dataDir}`,
    '--set', 'http.listen=127.0.0.1:0',
    '--set', 'tls.insecure_loopback=true',
    '--set', `registry.url=${registryUrl}`,
    '--set', 'log.level=warning'];
  for (const s of sets) args.push('--set', s);
  const child = spawn(RENKEI, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = () => new Promise((resolve) => {
    const done = () => {
      fs.rmSync(tmpDir, { recursive: true, force: true });
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const killer = setTimeout(() => process.kill(child.pid, 'SIGKILL'), 10000);
    child.removeAllListeners('exit');
    child.on('exit', () => {
      clearTimeout(killer);
      done();
    });
    process.kill(child.pid, 'SIGTERM');
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no ready line within 30 s; stdout: ${out}\nstderr: ${err}`));
    }, 30000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${RENKEI}: ${e.message}`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`renkei node exited (${code}) before ready; stderr: ${err}`));
    });
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^ready node (http:\/\/127\.0\.0\.1:[0-9]+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          baseUrl: m[1],
          repositoryUrl: `${m[1]}/xds/repository`,
          dataDir,
          tmpDir,
          stop,
        });
      }
    });
  });
}

module.exports = { startNode };
