import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BUNDLE_STAMP, bundleIsFresh, bundleStamp } from '../lib/private/bundle-stamp';
import { ROOT, tempDir } from './util';

/** A build folder with tsc's record holding `record` (none when undefined) and the bundle stamped after it. */
function stampedBuild(record: string | undefined): string {
  const build = tempDir('bundle-stamp-');
  if (record !== undefined) fs.writeFileSync(path.join(build, '.tsbuildinfo'), record);
  fs.writeFileSync(path.join(build, BUNDLE_STAMP), bundleStamp(build));
  return build;
}

describe('the bundles are used only while they hold what tsc last wrote', () => {
  test('a bundle stamped after tsc wrote its record is fresh', () => {
    expect(bundleIsFresh(stampedBuild('{"version":"5.9.3"}'))).toBe(true);
  });

  test('`npx tsc` after the bundle was made rewrites the record: the bundle is stale', () => {
    const build = stampedBuild('{"version":"5.9.3"}');
    fs.writeFileSync(path.join(build, '.tsbuildinfo'), '{"version":"5.9.3","changed":true}');
    expect(bundleIsFresh(build)).toBe(false);
  });

  test('a record rewritten with the same size is told by its modification time', () => {
    const build = stampedBuild('{"a":1}');
    const record = path.join(build, '.tsbuildinfo');
    fs.writeFileSync(record, '{"a":2}');
    fs.utimesSync(record, new Date(), new Date(Date.now() + 5000));
    expect(bundleIsFresh(build)).toBe(false);
  });

  test("a build whose record was removed after bundling (the test runner's own compile) stays fresh until tsc writes one", () => {
    const build = stampedBuild(undefined);
    expect(fs.readFileSync(path.join(build, BUNDLE_STAMP), 'utf8')).toBe('none');
    expect(bundleIsFresh(build)).toBe(true);
    fs.writeFileSync(path.join(build, '.tsbuildinfo'), '{}');
    expect(bundleIsFresh(build)).toBe(false);
  });

  test('with no stamp (a published package ships build/lib alone) the bundle is taken as it is', () => {
    const build = tempDir('bundle-stamp-');
    expect(bundleIsFresh(build)).toBe(true);
  });
});

describe("the library's entry loads its bundle only while it is fresh", () => {
  /** A build whose entry is the bundling's stub, over a bundle and tsc's modules that say which one loaded. */
  function libraryBuild(): string {
    const build = tempDir('library-stamp-');
    const lib = path.join(build, 'lib');
    fs.mkdirSync(path.join(lib, 'private'), { recursive: true });
    fs.writeFileSync(path.join(lib, 'index.js'), (require('../scripts/bundle-library') as { STUB: string }).STUB);
    fs.writeFileSync(path.join(lib, 'index.bundle.js'), "module.exports = { from: 'bundle' };\n");
    fs.writeFileSync(path.join(lib, 'index.unbundled.js'), "module.exports = { from: 'modules' };\n");
    fs.writeFileSync(path.join(lib, 'private', 'compile-cache.js'), '');
    fs.copyFileSync(path.join(ROOT, 'build', 'lib', 'private', 'bundle-stamp.js'), path.join(lib, 'private', 'bundle-stamp.js'));
    fs.writeFileSync(path.join(build, '.tsbuildinfo'), '{"version":"5.9.3"}');
    fs.writeFileSync(path.join(build, BUNDLE_STAMP), bundleStamp(build));
    return build;
  }
  const loaded = (build: string) =>
    execFileSync(process.execPath, ['-p', `require(${JSON.stringify(path.join(build, 'lib', 'index.js'))}).from`], { encoding: 'utf8' }).trim();

  test('a bundle made after tsc wrote its record is what the entry loads', () => {
    expect(loaded(libraryBuild())).toBe('bundle');
  });

  test('after `npx tsc` rewrote modules (and its record) the entry loads the modules tsc wrote', () => {
    const build = libraryBuild();
    fs.writeFileSync(path.join(build, '.tsbuildinfo'), '{"version":"5.9.3","changed":true}');
    expect(loaded(build)).toBe('modules');
  });

  test('with no stamp (a published package) the entry loads the bundle', () => {
    const build = libraryBuild();
    fs.rmSync(path.join(build, BUNDLE_STAMP));
    expect(loaded(build)).toBe('bundle');
  });
});

describe('npm run build records the stamp of the sources it compiled', () => {
  test('`npm run build` is the build that records the stamp, not tsc alone', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toBe('node scripts/ensure-built.js build');
  });

  test('the stamp is taken before tsc runs: a source edited during the build leaves it stale', () => {
    const text = fs.readFileSync(path.join(ROOT, 'scripts', 'ensure-built.js'), 'utf8');
    const build = text.slice(text.indexOf('function build('), text.indexOf('function ensureBuilt('));
    expect(build).toMatch(/^function build\(stamp = stampOf\(\)\)/);
    expect(build.indexOf("'typescript/bin/tsc'")).toBeLessThan(build.indexOf('fs.writeFileSync(STAMP, stamp)'));
  });
});
