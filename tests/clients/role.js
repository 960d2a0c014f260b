// Starts a `renkei <role>` for a third-party-client test on 127.0.0.1 (ports chosen by the
// process, read from its ready line) in a fresh temporary data dir, and stops it by pid.
// centre.js and node.js are its two uses. Needs RENKEI_BINARY_DIR (ctest sets it).
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const BINARY_DIR = process.env.RENKEI_BINARY_DIR;
if (!BINARY_DIR) throw new Error('RENKEI_BINARY_DIR is not set (run through ctest)');
const RENKEI = path.join(BINARY_DIR, 'apps', 'renkei');

// Runs `renkei <role> --set data_dir=<tmp>/<role> --set <base>... --set <sets>...` and
// resolves to onReady(match, { tmpDir, dataDir, stop }) once stdout has a line matching
// `ready` (a RegExp with the m flag); stop() sends SIGTERM (SIGKILL after 10 s) and removes
// the temporary dir.
function startRole(role, name, base, sets, ready, onReady) {
  if (!fs.existsSync(RENKEI)) return Promise.reject(new Error(`${RENKEI} is not built`));
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), `renkei-node-${name}-`));
  const dataDir = path.join(tmpDir, role);
  const args = [role, '--set', `data_dir=${dataDir}`];
  for (const s of [...base, ...sets]) args.push('--set', s);
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
      reject(new Error(`renkei ${role} exited (${code}) before ready; stderr: ${err}`));
    });
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.on('data', (d) => {
      out += d;
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(onReady(m, { tmpDir, dataDir, stop }));
      }
    });
  });
}

module.exports = { startRole, RENKEI };
