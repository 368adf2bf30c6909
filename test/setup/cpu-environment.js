'use strict';
/**
 * Jest's node environment that also measures each suite's CPU (user + system seconds): its own worker's, module
 * loading included, and its waited-for child processes' (kubectl, npm, tsc, the CLI), from /proc/self/stat. One JSON
 * line a suite is appended to $SUITE_CPU_LOG. CPU, not wall time: on a shared 2-core machine the other workers' load
 * stretches wall time, not CPU. Used for measuring only: `SUITE_CPU_LOG=/tmp/cpu.jsonl npx jest
 * --testEnvironment ./test/setup/cpu-environment.js`.
 */
const fs = require('fs');
const { TestEnvironment } = require('jest-environment-node');

/** Seconds of CPU: this process's, and its children's that it has waited for (Linux; zero elsewhere). */
function cpuSeconds() {
  let fields;
  try {
    // the fields after the command's closing parenthesis: utime is the 14th field, so index 11 here
    fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  } catch {
    return { self: 0, children: 0 };
  }
  const ticks = 100; // sysconf(_SC_CLK_TCK) on Linux
  return { self: (Number(fields[11]) + Number(fields[12])) / ticks, children: (Number(fields[13]) + Number(fields[14])) / ticks };
}

class CpuEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    this.started = cpuSeconds();
    this.wallStarted = Date.now();
  }

  async teardown() {
    await super.teardown();
    const log = process.env.SUITE_CPU_LOG;
    if (!log) return;
    const now = cpuSeconds();
    const self = now.self - this.started.self;
    const children = now.children - this.started.children;
    const line = {
      suite: this.testPath,
      cpu: +(self + children).toFixed(2),
      self: +self.toFixed(2),
      children: +children.toFixed(2),
      wall: (Date.now() - this.wallStarted) / 1000,
    };
    fs.appendFileSync(log, `${JSON.stringify(line)}\n`);
  }
}

module.exports = CpuEnvironment;
