import { Command } from '../lib/cli/command';
import { commandNamed } from '../lib/cli/main';
import { defineCommand, optionsUsage, parseOptions } from '../lib/cli/options';
import { CommandName, SUMMARIES } from '../lib/cli/summaries';
import { cliInProcess } from './util';

const NAMES = Object.keys(SUMMARIES) as CommandName[];

/**
 * The long options a usage text names anywhere (forms, option rows, prose), but not those it quotes of another command
 * line: vLLM's (`vLLM's --max-lora-rank`) or another cdk8s-vllm command's (`plan --model <dir>`).
 */
function optionsNamedIn(name: CommandName, usage: string): Set<string> {
  const others = NAMES.filter((n) => n !== name).join('|');
  const quoted = new RegExp(`(?:vLLM's|\\b(?:${others}))\\s+(?:--[a-z0-9-]+(?:\\s+<[^>]*>)?\\s*)+`, 'g');
  return new Set([...usage.replace(quoted, '').matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => m[1]).filter((n) => n !== 'help'));
}

/** The options a usage lists as rows: lines that start with the flag, two spaces in. */
function optionRows(usage: string): string[] {
  return [...usage.matchAll(/^ {2}(?:-[a-z], | {4})?--([a-z][a-z0-9-]*)(?: \S+)?(?: {2,}|$)/gm)].map((m) => m[1]);
}

/** A command line that gives the option (a value when it takes one), then one no command declares. */
function withOption(command: Command, name: string): string[] {
  return [command.name, `--${name}`, ...(command.options[name].type === 'string' ? ['v'] : []), '--zz-not-an-option'];
}

describe.each(NAMES)('cdk8s-vllm %s: options declared once', (name) => {
  const command = commandNamed(name);

  test('the usage lists each option it parses, once, and names no option it does not parse', () => {
    const declared = Object.keys(command.options);
    expect(declared.length).toBeGreaterThan(0);
    expect(optionRows(command.usage).sort()).toEqual([...declared].sort());
    expect([...optionsNamedIn(name, command.usage)].filter((o) => !declared.includes(o))).toEqual([]);
  });

  test('the parser accepts every option the usage lists, and refuses one it does not (exit 2, named, with the usage)', async () => {
    for (const option of optionRows(command.usage)) {
      const r = await cliInProcess(withOption(command, option));
      // the option under test came first: had it been refused, the message would name it
      expect({ option, code: r.code, message: r.err.split('\n')[0] }).toEqual({ option, code: 2, message: "unknown option '--zz-not-an-option'" });
      expect(r.err).toContain(command.usage);
    }
  });

  test('--help and -h print the usage and nothing else', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await cliInProcess([name, flag]);
      expect(r).toEqual({ code: 0, out: `${command.usage}\n`, err: '' });
    }
  });
});

describe('usage errors name the option', () => {
  test.each([
    [['check', 'dist', '--namepsace', 'ai'], "unknown option '--namepsace'; did you mean --namespace?"],
    [['validate', 'dist', '--zzz', '--yyy'], "unknown option '--zzz'"],
    [['plan', '-x'], "unknown option '-x'"],
    [['catalog', '--no-json'], "unknown option '--no-json'"],
    [['check', 'dist', '--json=yes'], "--json takes no value, got 'yes'"],
    [['check', 'dist', '--namespace'], '--namespace needs a value: --namespace <ns>'],
    [['plan', '--model', '--gpu', 'L4'], "--model needs a value, got the option '--gpu'; a value that starts with '-' is written --model=--gpu"],
    [['catalog', 'extra'], "unexpected argument 'extra': this command takes options only"],
    [['verify', '--endpiont', 'http://x'], "unknown option '--endpiont'; did you mean --endpoint?"],
  ])('%j', async (args, message) => {
    const r = await cliInProcess(args);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(message);
    expect(r.out).toBe('');
  });

  test('a value that starts with - is taken when written --name=value, and - alone is a value', () => {
    const options = { namespace: { type: 'string', value: '<ns>', help: 'h' }, wide: { type: 'boolean', help: 'w' } } as const;
    expect(parseOptions(['--namespace=-x', 'a'], options, { positionals: true })).toEqual({ values: { namespace: '-x' }, positionals: ['a'] });
    expect(parseOptions(['--namespace', '-', '--wide'], options, { positionals: false })).toEqual({ values: { namespace: '-', wide: true }, positionals: [] });
  });

  test('short aliases, grouped switches and repeated options parse as declared', () => {
    const options = {
      namespace: { type: 'string', short: 'n', value: '<ns>', help: 'h' },
      wide: { type: 'boolean', short: 'w', help: 'w' },
      verbose: { type: 'boolean', short: 'v', help: 'v' },
      model: { type: 'string', value: '<m>', multiple: true, help: 'm' },
    } as const;
    expect(parseOptions(['-n', 'ai', '-wv', '--model', 'a', '--model=b'], options, { positionals: false }).values).toEqual({
      namespace: 'ai',
      wide: true,
      verbose: true,
      model: ['a', 'b'],
    });
    expect(() => parseOptions(['-q'], options, { positionals: false })).toThrow("unknown option '-q'");
  });
});

describe('the usage rows are generated', () => {
  test('flags in one column, help wrapped beside them under its first line, defaults and repetition noted, aliases aligned', () => {
    const options = {
      namespace: { type: 'string', short: 'n', value: '<ns>', help: 'namespace of objects that name none', default: 'none' },
      model: { type: 'string', value: '<uri>=<dir>', multiple: true, help: 'one two three four five six seven eight' },
      wide: { type: 'boolean', help: 'full lines' },
    } as const;
    const under = ' '.repeat(27); // two, then the flag column: the longest flag (23) and two spaces
    expect(optionsUsage(options, [options], 60).split('\n')).toEqual([
      `  -n, --namespace <ns>${' '.repeat(5)}namespace of objects that name`,
      `${under}none (default: none)`,
      `      --model <uri>=<dir>  one two three four five six seven`,
      `${under}eight (repeatable)`,
      `      --wide${' '.repeat(15)}full lines`,
    ]);
  });

  test('a flag wider than the column has its help on the next line; groups aligned together share one column', () => {
    const a = { x: { type: 'boolean', help: 'short one' } } as const;
    const b = { 'a-very-long-option-name-indeed-it-is': { type: 'string', value: '<value>', help: 'its help' } } as const;
    expect(optionsUsage(a, [a, b])).toBe(`  --x${' '.repeat(31)}short one`);
    expect(optionsUsage(b, [a, b])).toBe(`  --a-very-long-option-name-indeed-it-is <value>\n${' '.repeat(36)}its help`);
  });

  test('the forms, paragraphs and option groups in order; the parsed options are those of the groups', async () => {
    const seen: unknown[] = [];
    const command = defineCommand({
      name: 'catalog',
      synopsis: ['catalog <a> [options]', 'catalog --b'],
      usage: ['  first paragraph', { a: { type: 'string', value: '<v>', help: 'the a' } }, { b: { type: 'boolean', help: 'the b' } }, '  last'],
      positionals: true,
      run: (args) => {
        seen.push(args);
        return 0;
      },
    });
    expect(command.usage).toBe(
      [
        'cdk8s-vllm catalog <a> [options]',
        '       cdk8s-vllm catalog --b',
        '',
        '  first paragraph',
        '',
        '  --a <v>  the a',
        '',
        '  --b      the b',
        '',
        '  last',
      ].join('\n'),
    );
    expect(Object.keys(command.options)).toEqual(['a', 'b']);
    await command.run(['p', '--a', '1', '--b'], { out: () => undefined, err: () => undefined, stdin: () => '' });
    expect(seen).toEqual([{ values: { a: '1', b: true }, positionals: ['p'] }]);
  });

  test('an option declared in two groups of one command is refused when the command is made', () => {
    expect(() =>
      defineCommand({
        name: 'plan',
        synopsis: ['plan'],
        usage: [{ json: { type: 'boolean', help: 'a' } }, { json: { type: 'boolean', help: 'b' } }],
        positionals: false,
        run: () => 0,
      }),
    ).toThrow('cdk8s-vllm plan: option --json is declared twice');
  });
});

describe('the S3 commands load the AWS SDK only when they run', () => {
  test('a missing SDK package is an input error that says how to install it', async () => {
    jest.resetModules();
    jest.doMock('../lib/s3/s3-client', () => {
      throw Object.assign(new Error("Cannot find module '@aws-sdk/client-s3' from 'lib/s3/s3-client.ts'"), { code: 'MODULE_NOT_FOUND' });
    });
    try {
      const { runCli } = require('../lib/cli/main') as typeof import('../lib/cli/main');
      let err = '';
      const code = await runCli(['inspect', 's3://models/llm/'], { out: () => undefined, err: (t) => (err += t), stdin: () => '' });
      expect(code).toBe(2);
      expect(err).toBe(
        'cdk8s-vllm inspect: the S3 commands need @aws-sdk/client-s3, which is not installed; install the AWS SDK beside cdk8s-vllm: ' +
          'npm install @aws-sdk/client-s3 @aws-sdk/lib-storage @smithy/node-http-handler\n',
      );
    } finally {
      jest.dontMock('../lib/s3/s3-client');
      jest.resetModules();
    }
  });
});
