// DICOM Part 10 test files made with DCMTK's dump2dcm (Debian package dcmtk): the
// attributes of one CT/ES/SM-like instance from a text dump, pixel data inline.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

// Writes <dir>/<sop>.dcm and returns its path. `a`: { study, series, sop, patientId,
// patientName, modality, studyDate, accession, instanceNumber, sopClass }.
function makeInstance(dir, a) {
  const pixels = Array.from({ length: 64 }, (_, i) => ((i * 7) & 0xff).toString(16).padStart(2, '0'));
  const dump = [
    `(0008,0016) UI ${a.sopClass || '1.2.840.10008.5.1.4.1.1.2'}`,
    `(0008,0018) UI ${a.sop}`,
    `(0008,0020) DA ${a.studyDate || '20261101'}`,
    `(0008,0050) SH ${a.accession || 'ACC1'}`,
    `(0008,0060) CS ${a.modality || 'CT'}`,
    `(0010,0010) PN ${a.patientName || 'Yamada^Taro'}`,
    `(0010,0020) LO ${a.patientId || 'P1'}`,
    `(0020,000d) UI ${a.study}`,
    `(0020,000e) UI ${a.series}`,
    '(0020,0011) IS 1',
    `(0020,0013) IS ${a.instanceNumber || 1}`,
    '(0028,0002) US 1',
    '(0028,0004) CS MONOCHROME2',
    '(0028,0010) US 8',
    '(0028,0011) US 8',
    '(0028,0100) US 8',
    '(0028,0101) US 8',
    '(0028,0102) US 7',
    '(0028,0103) US 0',
    `(7fe0,0010) OB ${pixels.join('\\')}`,
  ].join('\n') + '\n';
  const dumpFile = path.join(dir, `${a.sop}.txt`);
  const out = path.join(dir, `${a.sop}.dcm`);
  fs.writeFileSync(dumpFile, dump);
  execFileSync('dump2dcm', ['--write-xfer-little', dumpFile, out]);
  return out;
}

module.exports = { makeInstance };
