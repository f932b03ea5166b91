// The Adaptive Card host configs the web client ships are Teams' (copied from
// adaptivecards-designer, see web/src/hostconfig/README.md), and the build fails when a type the
// client registers is missing from the bundle (scripts/check-web-registry). No browser needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from './lib/server.mjs';

const OURS = path.join(REPO_ROOT, 'web', 'src', 'hostconfig');
const DESIGNER = path.join(REPO_ROOT, 'node_modules', 'adaptivecards-designer', 'lib', 'hostConfigs');
const read = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));

// The keys of every object, recursively (values ignored).
function shape(v) {
  if (Array.isArray(v)) return v.map(shape);
  if (!v || typeof v !== 'object') return typeof v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape(v[k])]));
}

test('the light and dark host configs are adaptivecards-designer\'s Microsoft Teams configs', () => {
  for (const name of ['microsoft-teams-light.json', 'microsoft-teams-dark.json']) {
    assert.deepEqual(read(path.join(OURS, name)), read(path.join(DESIGNER, name)), name);
  }
});

test('the derived high-contrast config has the dark config\'s shape, white on black', () => {
  const hc = read(path.join(OURS, 'teams-high-contrast.json'));
  assert.deepEqual(shape(hc), shape(read(path.join(DESIGNER, 'microsoft-teams-dark.json'))));
  for (const [name, style] of Object.entries(hc.containerStyles)) {
    assert.equal(style.backgroundColor, '#000000', name);
    assert.equal(style.foregroundColors.default.default, '#ffffff', name);
  }
});

function check(files) {
  return spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'check-web-registry'),
    path.join(REPO_ROOT, 'web', 'src', 'adaptive', 'registry.js'), ...files], { encoding: 'utf8' });
}

test('the build check passes on the bundle (app.js and its chunks) and fails when a registered type\'s class is missing', () => {
  const dist = path.join(REPO_ROOT, 'web', 'dist');
  const bundle = ['app.js', ...fs.readdirSync(dist).filter((f) => /^chunk-[A-Z0-9]+\.js$/.test(f))].map((f) => path.join(dist, f));
  const ok = check(bundle);
  assert.equal(ok.status, 0, ok.stderr);
  // The bundle as it was when the package's own registration of Table and Carousel was
  // tree-shaken away: their classes (and their type names) gone.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-registry-'));
  try {
    const stripped = bundle.map((f) => {
      const out = path.join(dir, path.basename(f));
      fs.writeFileSync(out, fs.readFileSync(f, 'utf8').replaceAll('return"Table"', 'return"x"').replaceAll('return"Carousel"', 'return"y"'));
      return out;
    });
    const bad = check(stripped);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /missing from .*: Table, Carousel/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
