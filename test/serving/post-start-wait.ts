import { postStartWaitsForServer } from '../../lib/check/post-start-wait';

describe('postStartWaitsForServer: a postStart hook that holds the container until its server answers', () => {
  const hook = (command: string[]) => ({ name: 'server', lifecycle: { postStart: { exec: { command } } } });

  test.each([
    [
      'a while loop on curl to localhost',
      ['/bin/sh', '-c', 'while ! curl -s http://localhost:8000/health; do sleep 1; done\ncurl -s localhost:8000/v1/models'],
    ],
    ['an until loop on wget to 127.0.0.1', ['bash', '-ec', 'until wget -qO- 127.0.0.1:8080/v1/models; do sleep 5; done']],
    ['a forever loop that breaks on success', ['sh', '-c', 'while true; do curl -sf http://0.0.0.0:8000/health && break; sleep 2; done']],
    ['a bounded for loop', ['sh', '-c', 'for i in $(seq 1 300); do curl -sf localhost:8000/health && exit 0; sleep 2; done; exit 1']],
  ])('%s waits', (_, command) => {
    expect(postStartWaitsForServer(hook(command))).toBe(true);
  });

  test.each([
    ['no lifecycle', undefined],
    ['one curl without a loop', ['sh', '-c', 'curl -s http://localhost:8000/health || true']],
    ['a loop sent to the background', ['sh', '-c', '(while ! curl -s localhost:8000/health; do sleep 1; done) &']],
    ['a loop polling another host', ['sh', '-c', 'until curl -sf http://minio.storage:9000/minio/health/live; do sleep 2; done']],
    ['a sleep only', ['sh', '-c', 'sleep 30']],
  ])('%s does not', (_, command) => {
    expect(postStartWaitsForServer(command ? hook(command) : { name: 'server' })).toBe(false);
  });
});
