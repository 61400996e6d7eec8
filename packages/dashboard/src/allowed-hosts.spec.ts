import { expect } from 'chai';
import { hostname, networkInterfaces } from 'node:os';
import { allowedHosts, isLoopback } from './allowed-hosts.js';

describe('the hosts serve answers', () => {
  it('isLoopback: localhost, all of 127.0.0.0/8 and ::1, nothing else', () => {
    for (const host of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.0.0.2', '127.255.0.9', '::1', '[::1]'])
      expect(isLoopback(host), host).to.equal(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', '127.example', 'localhost.example', 'evil.example', ''])
      expect(isLoopback(host), host).to.equal(false);
  });

  it('answers loopback names, the bound address and this machine’s names and addresses, whatever the port; refuses other names', () => {
    const allowed = allowedHosts('0.0.0.0');
    const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => (a.family === 'IPv6' ? `[${a.address}]` : a.address)));
    for (const host of ['localhost:8080', '127.0.0.1', '[::1]:80', `${hostname()}:8080`, '0.0.0.0:1', ...addresses]) expect(allowed(host), host).to.equal(true);
    for (const host of ['evil.example', 'evil.example:8080', `${hostname()}.evil.example`, '', '127.0.0.1.evil.example'])
      expect(allowed(host), host).to.equal(false);
    expect(allowedHosts('192.0.2.7')('192.0.2.7:8080'), 'a bound address that is no interface’s (yet)').to.equal(true);
  });
});
