// Where the suite finds the server binary and the RAML contract.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..', '..');

export function kaiwaBin() {
  return process.env.KAIWA_BIN || path.join(repoRoot, 'build', 'kaiwa');
}

export function ramlPath() {
  return process.env.KAIWA_RAML || path.resolve(repoRoot, '..', 'shared', 'api', 'chatwork-v2.raml');
}

export function requireBinary() {
  const bin = kaiwaBin();
  let ok = false;
  try {
    fs.accessSync(bin, fs.constants.X_OK);
    ok = fs.statSync(bin).isFile();
  } catch {
    ok = false;
  }
  if (!ok) {
    throw new Error(
      `Kaiwa server binary not found or not executable at ${bin}. ` +
        'Build it (cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release && cmake --build build) ' +
        'or set KAIWA_BIN to its path.',
    );
  }
  return bin;
}
