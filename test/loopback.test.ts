import { isLoopbackHost, localAddressPorts, loopbackPorts, namesLocalHost } from '../lib/check/loopback';

describe("addresses of a container's own network namespace", () => {
  test('a bare host is loopback when it is localhost, 127.0.0.1 or ::1', () => {
    expect(['localhost', '127.0.0.1', '::1'].map(isLoopbackHost)).toEqual([true, true, true]);
    expect(['0.0.0.0', '[::1]', 'localhost.localdomain', 'vllm.ns.svc', '127.0.0.2'].map(isLoopbackHost)).toEqual([false, false, false, false, false]);
  });

  test('the ports a text calls on a loopback address, not on a longer name that ends in one', () => {
    expect(loopbackPorts('http://localhost:8080/v1 and 127.0.0.1:9000, [::1]:7000')).toEqual([8080, 9000, 7000]);
    expect(loopbackPorts('--url=localhost:8000 localhost:8000')).toEqual([8000, 8000]);
    expect(loopbackPorts('mylocalhost:80 api.localhost:81 1127.0.0.1:82 localhost:123456 0.0.0.0:8000 localhost')).toEqual([]);
  });

  test('the local addresses a probe script names (0.0.0.0 too), with the port when one is written', () => {
    expect(localAddressPorts('curl -f http://localhost:8000/health || wget -q 0.0.0.0:9000 && nc -z 127.0.0.1')).toEqual([8000, 9000, undefined]);
    expect(localAddressPorts('curl http://vllm.ns.svc:8000/health')).toEqual([]);
  });

  test('a curl or wget word whose host is local: bare, in a URL, or after user@', () => {
    expect(['localhost:8000', 'http://127.0.0.1/health', 'user@[::1]:80', 'http://0.0.0.0:8000', '127.0.0.1'].map(namesLocalHost)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['http://localhostname:80', 'http://vllm:8000/health', '--data=localhost', 'x127.0.0.1:80'].map(namesLocalHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
