import * as fs from 'fs';
import * as path from 'path';
import { BUNDLE_STAMP, bundleIsFresh, bundleStamp } from '../lib/cli/main';
import { tempDir } from './util';

/** A build folder with tsc's record holding `record` (none when undefined) and the bundle stamped after it. */
function stampedBuild(record: string | undefined): string {
  const build = tempDir('bundle-stamp-');
  if (record !== undefined) fs.writeFileSync(path.join(build, '.tsbuildinfo'), record);
  fs.writeFileSync(path.join(build, BUNDLE_STAMP), bundleStamp(build));
  return build;
}

describe('the check bundle is used only while it holds what tsc last wrote', () => {
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
