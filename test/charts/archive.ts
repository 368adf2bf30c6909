import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadArchiveFiles, readTar } from '../../lib/helm/chart-archive';
import { helmBinary } from '../setup/kubectl';
import { CHARTS, HelmCase, renderBoth } from '../helm/differential';
import { tgz } from '../helm/tar-writer';

/**
 * Packaged subcharts (charts/<name>-<version>.tgz) against the real helm: charts packaged by `helm package` itself,
 * and archives written by hand for the forms helm's loader accepts or refuses (pkg/chart/loader/archive.go).
 */
const helm = helmBinary();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'helm-archive-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function helmPackage(chart: string, into: string): void {
  const r = spawnSync(helm, ['package', chart, '--destination', into], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  fs.rmSync(chart, { recursive: true });
}

/** The fixture chart `platform` copied, with the named subchart folders (relative to it) packaged in place by helm. */
function packaged(name: string, folders: readonly string[]): string {
  const dir = path.join(scratch, name);
  fs.cpSync(path.join(CHARTS, 'platform'), dir, { recursive: true });
  for (const f of folders) helmPackage(path.join(dir, f), path.dirname(path.join(dir, f)));
  return dir;
}

/** A chart `shell` whose only subchart is the given archive, written as charts/<file>. */
function withArchive(name: string, file: string, archive: Buffer): string {
  const dir = path.join(scratch, name);
  fs.mkdirSync(path.join(dir, 'charts'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: shell\nversion: 1.0.0\n');
  fs.writeFileSync(path.join(dir, 'charts', file), archive);
  return dir;
}

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-{{ .Chart.Name }}\ndata:\n  v: {{ .Values.v | quote }}\n';
const SUB_CHART = 'apiVersion: v2\nname: sub\nversion: 0.2.0\n';
const LONG = `templates/${'nested-folder/'.repeat(9)}config.yaml`;

const all = packaged('all', ['charts/cache', 'charts/metrics', 'charts/gateway']);
const nested = packaged('nested', ['charts/gateway/charts/deep', 'charts/gateway']);

const CASES: readonly [string, HelmCase][] = [
  ['every subchart packaged', { chart: all }],
  ['every subchart packaged, values and conditions', { chart: all, args: ['-f', 'values-prod.yaml', '--set', 'gatewayOn=true'] }],
  ['every subchart packaged, a subchart disabled', { chart: all, args: ['-f', 'values-off.yaml', '--set', 'gatewayOn=true', '--set', 'edge.enabled=null'] }],
  ['a packaged subchart holding a packaged subchart', { chart: nested, args: ['--set', 'gatewayOn=true,edge.deep.level=three'] }],
  [
    'GNU long names, pax paths, folders and a byte order mark',
    {
      chart: withArchive(
        'long',
        'sub-0.2.0.tgz',
        tgz([
          { name: 'sub/', type: '5' },
          { name: 'sub/Chart.yaml', data: SUB_CHART },
          { name: 'sub/values.yaml', data: '\ufeffv: from-sub\n' },
          { name: `sub/${LONG}`, data: CM, longName: 'gnu' },
          { name: `sub/${LONG.replace('config', 'other')}`, data: CM.replace('.Chart.Name', '.Chart.Name }}-b{{ "" '), longName: 'pax' },
        ]),
      ),
      args: ['--set', 'sub.v=given'],
    },
  ],
  [
    'an archive whose top folder is not the chart name',
    {
      chart: withArchive(
        'top',
        'sub-0.2.0.tgz',
        tgz([
          { name: 'anything/Chart.yaml', data: SUB_CHART },
          { name: 'anything/templates/cm.yaml', data: CM },
        ]),
      ),
    },
  ],
];

/** Archives helm's loader refuses: helm template fails, and so does the project's render. */
const REFUSED: readonly [string, Buffer][] = [
  [
    'a path leaving the chart',
    tgz([
      { name: 'sub/Chart.yaml', data: SUB_CHART },
      { name: 'sub/../../escape.yaml', data: CM },
    ]),
  ],
  [
    'an absolute path',
    tgz([
      { name: 'sub/Chart.yaml', data: SUB_CHART },
      { name: 'sub//etc/cm.yaml', data: CM },
    ]),
  ],
  ['Chart.yaml at the root', tgz([{ name: 'Chart.yaml', data: SUB_CHART }])],
  [
    'a file over 5 MiB',
    tgz([
      { name: 'sub/Chart.yaml', data: SUB_CHART },
      { name: 'sub/big.bin', data: Buffer.alloc(5 * 1024 * 1024 + 1) },
    ]),
  ],
  ['no gzip', Buffer.from('not an archive')],
  ['no files', tgz([{ name: 'sub/', type: '5' }])],
];

describe('packaged subcharts, differentially', () => {
  test.each(CASES)('%s', (_, c) => {
    const r = renderBoth(c, helm);
    expect(r.helm).toEqual(expect.any(Array));
    expect(r.ours).toEqual(r.helm);
  });

  test.each(REFUSED)('refused as helm refuses it: %s', (name, archive) => {
    const r = renderBoth({ chart: withArchive(`refused-${name.replace(/\W+/g, '-')}`, 'sub-0.2.0.tgz', archive) }, helm);
    expect(r.helm).toEqual(expect.stringMatching(/^fails: /));
    expect(r.ours).toEqual(expect.stringMatching(/^fails: /));
  });
});

describe('the archive reader', () => {
  test('names: a GNU long name and a pax path replace the header name; a ustar prefix is joined to it', () => {
    const names = readTar(
      require('zlib').gunzipSync(
        tgz([
          { name: `a/${'x'.repeat(120)}`, data: '1', longName: 'gnu' },
          { name: `a/${'y'.repeat(120)}`, data: '2', longName: 'pax' },
        ]),
      ),
    ).map((e) => e.name);
    expect(names).toEqual([`a/${'x'.repeat(120)}`, `a/${'y'.repeat(120)}`]);
  });

  test('refusals carry helm’s own messages', () => {
    expect(() => loadArchiveFiles(tgz([{ name: 'c/../../x', data: '' }]))).toThrow('chart illegally references parent directory');
    expect(() => loadArchiveFiles(tgz([{ name: 'c//x', data: '' }]))).toThrow('chart illegally contains absolute paths');
    expect(() => loadArchiveFiles(tgz([{ name: 'Chart.yaml', data: '' }]))).toThrow('chart illegally contains content outside the base directory');
    expect(() => loadArchiveFiles(tgz([{ name: 'c/C:/x', data: '' }]))).toThrow('chart contains illegally named files');
    expect(() => loadArchiveFiles(Buffer.from('plain'))).toThrow('gzip: invalid header');
  });

  test('a link is an empty file, as Go’s reader gives it', () => {
    expect(
      loadArchiveFiles(
        tgz([
          { name: 'c/Chart.yaml', data: 'x' },
          { name: 'c/link', type: '2' },
        ]),
      ).get('link'),
    ).toEqual(Buffer.alloc(0));
  });
});
