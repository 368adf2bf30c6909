import * as YAML from 'yaml';
import { scriptCommands } from '../../lib/check/shell-commands';
import { cliInProcess, podWorkload, writeTree } from '../util';

/** command-never-reached: a script's command after one that holds the shell (POSIX XCU 2.9.3 lists, 2.14 exec). */
async function found(scripts: Record<string, string>): Promise<{ severity: string; object: string; message: string }[]> {
  const objects = Object.entries(scripts).map(([name, script]) =>
    podWorkload(name, 'ai', { containers: [{ name: 'main', image: 'registry.example.com/serving/app:1.0', command: ['/bin/sh', '-c', script] }] }),
  );
  const dir = writeTree('never-reached-', { 'tree.yaml': objects.map((o) => YAML.stringify(o)).join('---\n') });
  const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
  return report.findings.filter((f: { rule: string }) => f.rule === 'command-never-reached');
}

describe('scriptCommands', () => {
  test('splits at operators outside quotes, $( ) and comments; redirections stay in their command', () => {
    const got = scriptCommands('A=1 vllm serve "a;b" --x=$(echo 1; echo 2) 2>&1 | tee log & # c; d\nwhile true; do sleep 30; done\nfoo || bar');
    expect(got.map((c) => [c.words[0], c.end, c.depth])).toEqual([
      ['vllm', '|', 0],
      ['tee', '&', 0],
      ['true', ';', 1],
      ['sleep', ';', 1],
      ['foo', '||', 0],
      ['bar', 'end', 0],
    ]);
    expect(got[0].words).toEqual(['vllm', 'serve', 'a;b', '--x=$(echo', '1;', 'echo', '2)', '2>&1']);
  });
});

describe('command-never-reached', () => {
  test('errors after a command that never returns or after a server joined by &&', async () => {
    const f = await found({
      sleeper: 'sleep infinity; python3 /app/train.py',
      tailer: 'tail -f /dev/null && ./start.sh',
      execd: 'exec vllm serve /models/qwen\necho started',
      served: 'vllm serve Qwen/Qwen2.5-7B-Instruct --port 8000 && python3 /app/warmup.py',
      ray: 'ray start --head --block && python serve.py',
    });
    expect(f.map((x) => [x.object, x.severity])).toEqual([
      ['Deployment/ai/execd', 'error'],
      ['Deployment/ai/ray', 'error'],
      ['Deployment/ai/served', 'error'],
      ['Deployment/ai/sleeper', 'error'],
      ['Deployment/ai/tailer', 'error'],
    ]);
    expect(f.find((x) => x.object === 'Deployment/ai/ray')?.message).toMatch(
      /^container 'main': `ray start --head --block` holds the shell \(ray start --block waits until the Ray processes die\), so `python serve.py` after `&&` never runs/,
    );
    expect(f.find((x) => x.object === 'Deployment/ai/execd')?.message).toMatch(/`echo started` on the next line never runs/);
  });

  test("a warning when a server's later command runs only once it stops", async () => {
    const f = await found({ after: 'python3 -m vllm.entrypoints.openai.api_server --model m; python3 /app/register.py' });
    expect(f.map((x) => x.severity)).toEqual(['warning']);
    expect(f[0].message).toMatch(/runs only once the server has stopped/);
  });

  test('silent on backgrounded, conditional, nested, last and post-mortem commands', async () => {
    expect(
      await found({
        background: 'vllm serve m &\nsleep 60 && python3 warmup.py\nwait',
        conditional: 'test -f /tmp/debug && sleep infinity; vllm serve m',
        nested: 'if [ -n "$DEBUG" ]; then sleep infinity; fi; vllm serve m',
        last: 'pip install x && exec vllm serve m',
        postmortem: 'vllm serve m; echo "server exited: $?"; sleep infinity',
        fallback: 'ray start --head --block || echo failed',
        nonblocking: 'ray start --head && python serve.py',
        redirect: 'exec > /tmp/log 2>&1; vllm serve m',
        quoted: 'echo "sleep infinity; python x"',
        sleeps: 'sleep 10; vllm serve m',
      }),
    ).toEqual([]);
  });

  test('exec with only redirections applies them to the shell and the script goes on; exec with a command word ends it', async () => {
    expect(
      await found({
        teed: 'exec &> >(tee -a "$LOG_DIR/run.log")\noc get jobs -o yaml > "$LOG_DIR/jobs.yaml"',
        logged: 'exec >/var/log/app.log 2>&1\npython3 /app/main.py',
        descriptor: 'exec 3</etc/app/config\nread -r line <&3\npython3 /app/main.py "$line"',
        variable: 'exec {out}>/tmp/out\necho ready >&$out',
        spaced: 'exec 1> >(tee /tmp/o) 2>&1\nvllm serve m',
        closed: 'exec 3<&-\nvllm serve m',
      }),
    ).toEqual([]);
    const f = await found({
      redirectedCommand: 'exec 2>&1 >/tmp/log vllm serve m\necho started',
      named: 'exec -a vllm-main python3 -m vllm.entrypoints.openai.api_server --model m\necho started',
      afterSubstitution: 'exec > >(tee -a /tmp/log) vllm serve m\necho started',
    });
    expect(f.map((x) => [x.object, x.severity])).toEqual([
      ['Deployment/ai/afterSubstitution', 'error'],
      ['Deployment/ai/named', 'error'],
      ['Deployment/ai/redirectedCommand', 'error'],
    ]);
    expect(f.find((x) => x.object === 'Deployment/ai/afterSubstitution')?.message).toMatch(/`echo started` on the next line never runs/);
  });

  test('a leader script that blocks before vllm serve: sleep inf, tail -f /dev/null, an endless loop', async () => {
    const f = await found({
      inf: 'set -x; ./start-ray.sh leader; sleep inf; vllm serve deepseek-ai/DeepSeek-V2.5 --port 8000',
      tail: 'tail -f /dev/null\nvllm serve m',
      loop: 'while true; do sleep 30; done; vllm serve m --port 8000',
      colon: 'echo waiting\nwhile :\ndo\n  sleep 5\ndone\nexec vllm serve m',
      until: 'until false; do date; sleep 60; done\npython3 -m vllm.entrypoints.openai.api_server --model m',
    });
    expect(f.map((x) => [x.object, x.severity])).toEqual([
      ['Deployment/ai/colon', 'error'],
      ['Deployment/ai/inf', 'error'],
      ['Deployment/ai/loop', 'error'],
      ['Deployment/ai/tail', 'error'],
      ['Deployment/ai/until', 'error'],
    ]);
    expect(f.find((x) => x.object === 'Deployment/ai/loop')?.message).toMatch(
      /^container 'main': `while true; do sleep 30; done` never ends \(its condition never changes and nothing in it breaks, exits or returns\), so `vllm serve m --port 8000` after it never runs/,
    );
    expect(f.find((x) => x.object === 'Deployment/ai/inf')?.message).toMatch(
      /`sleep inf` holds the shell \(it never ends\), so `vllm serve deepseek-ai\/DeepSeek-V2.5 --port 8000`/,
    );
  });

  test('silent on loops that end, run in the background, run last or run only on a condition', async () => {
    expect(
      await found({
        waits: 'until curl -sf http://localhost:8000/health; do sleep 5; done; python3 warmup.py',
        breaks: 'while true; do if [ -f /tmp/ready ]; then break; fi; sleep 1; done; vllm serve m',
        exits: 'while :; do sleep 5; pgrep vllm || exit 1; done\necho never',
        background: 'while true; do sleep 30; date; done &\nvllm serve m',
        piped: 'while true; do date; sleep 1; done | tee /tmp/log; echo x',
        last: 'vllm serve m &\nwhile true; do sleep 30; done',
        guarded: 'test -n "$DEBUG" && while true; do sleep 1; done; vllm serve m',
      }),
    ).toEqual([]);
  });

  test("silent where a broken continuation ('\\\\' at a line's end) cuts the command: shell-continuation-broken says it, with the fix that fits", async () => {
    const cut = 'exec vllm serve /models/m \\\n  --port=8080 \\\\\n  --max-model-len=8192';
    expect(await found({ cut })).toEqual([]);
    // near misses: a single backslash continues the command, which then ends the script; a plain next line of
    // options is still one the exec never reaches, and cut off its command
    const continued = cut.replace('\\\\\n', '\\\n');
    expect(await found({ continued, plain: 'exec vllm serve /models/m --port=8080\n  --max-model-len=8192' })).toEqual([
      expect.objectContaining({
        object: 'Deployment/ai/plain',
        severity: 'error',
        message: expect.stringMatching(
          /`--max-model-len=8192` on the line after `exec vllm serve \/models\/m --port=8080` is a command of its own, .* the line never runs \(exec replaces the shell with it\)/,
        ),
      }),
    ]);
  });
});

describe('command-never-reached: cat on the container stdin', () => {
  async function stdinFound(stdin: boolean, script: string): Promise<string[]> {
    const container = { name: 'main', image: 'registry.example.com/serving/app:1.0', command: ['/bin/sh', '-c', script], ...(stdin ? { stdin: true } : {}) };
    const dir = writeTree('never-reached-stdin-', { 'tree.yaml': YAML.stringify(podWorkload('app', 'ai', { containers: [container] })) });
    const report = JSON.parse((await cliInProcess(['check', dir, '--platform', 'kserve', '--json'])).out);
    return report.findings
      .filter((f: { rule: string }) => f.rule === 'command-never-reached')
      .map((f: { severity: string; message: string }) => `${f.severity} ${f.message}`);
  }

  test('stdin: true and a bare cat (or cat -) before the server: an error', async () => {
    expect(await stdinFound(true, 'cat\nvllm serve org/m')).toEqual([
      expect.stringMatching(
        /^error container 'main': `cat` holds the shell \(it reads the container's stdin, which `stdin: true` keeps open\), so `vllm serve org\/m` on the next line never runs/,
      ),
    ]);
    expect(await stdinFound(true, 'cat - >/tmp/in; vllm serve org/m')).toHaveLength(1);
  });

  test('silent: stdin closed (EOF), a file operand, an input redirection, a pipe, wait with nothing in the background', async () => {
    expect(await stdinFound(false, 'cat\nvllm serve org/m')).toEqual([]);
    expect(await stdinFound(true, 'cat /etc/hosts\nvllm serve org/m')).toEqual([]);
    expect(await stdinFound(true, 'cat </etc/hosts\nvllm serve org/m')).toEqual([]);
    expect(await stdinFound(true, 'echo x | cat\nvllm serve org/m')).toEqual([]);
    expect(await stdinFound(false, 'wait\nvllm serve org/m')).toEqual([]);
  });
});

describe('command-never-reached: options cut off by a newline', () => {
  test("options on the line after vLLM's server: an error that says the newline ended its command", async () => {
    const f = await found({ folded: 'vllm serve Qwen/Qwen2.5-7B-Instruct\n--max-model-len 8192 --port 8000' });
    expect(f).toMatchObject([
      {
        severity: 'error',
        object: 'Deployment/ai/folded',
        message:
          "container 'main': `--max-model-len 8192 --port 8000` on the line after `vllm serve Qwen/Qwen2.5-7B-Instruct` is a command of its own, not options of it: " +
          'the newline ends the command (a blank or more-indented line in a YAML folded block `>-` keeps its newline), so it starts without them ' +
          "and the line runs only once it stops (vLLM's server runs until it is stopped); " +
          'write the options on the same lines at the same indentation with no blank line between, or end each line with ` \\`',
      },
    ]);
  });

  test('near misses: a continued line, a line that runs another program', async () => {
    expect(
      await found({
        continued: 'vllm serve Qwen/Qwen2.5-7B-Instruct \\\n--max-model-len 8192',
        another: 'vllm serve Qwen/Qwen2.5-7B-Instruct --port 8000\necho stopped',
      }),
    ).toEqual([]);
  });
});
