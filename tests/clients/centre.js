// Starts a `renkei centre` for a third-party-client test on 127.0.0.1 (ports chosen by the
// centre, read from its ready line) in a fresh temporary data dir, and stops it by pid.
// Needs RENKEI_BINARY_DIR (ctest sets it).
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const BINARY_DIR = process.env.RENKEI_BINARY_DIR;
if (!BINARY_DIR) throw new Error('RENKEI_BINARY_DIR is not set (run through ctest)');
const RENKEI = path.join(BINARY_DIR, 'apps', 'renkei');

// Resolves to { baseUrl, registryUrl, mllpPort, dataDir, tmpDir, stop() } once the centre
// printed `ready centre http://127.0.0.1:P mllp://127.0.0.1:Q`; `sets` are extra --set values.
function startCentre(name, sets) {
  if (!fs.existsSync(RENKEI)) return Promise.reject(new Error(`${RENKEI} is not built`));
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), `renkei-node-${name}-`));
  const args = ['centre',
    '--set', `data_dir=${path.join(tmpDir, 'centre')}`,
    '--set', 'http.listen=127.0.0.1:0',
    '--set', 'mllp.listen=127.0.0.1:0',
    '--set', 'tls.insecure_loopback=true',
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
      reject(new Error(`renkei centre exited (${code}) before ready; stderr: ${err}`));
    });
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^ready centre (http:\/\/127\.0\.0\.1:[0-9]+) mllp:\/\/127\.0\.0\.1:([0-9]+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          baseUrl: m[1],
          registryUrl: `${m[1]}/xds/registry`,
          mllpPort: Number(m[2]),
          tmpDir,
          stop,
        });
      }
    });
  });
}

module.exports = { startCentre, RENKEI };
