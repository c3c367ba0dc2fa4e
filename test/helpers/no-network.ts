import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';

/** Every way Node could reach the network, replaced by a recorder that fails the call. */
export function forbidNetwork(): { attempts: string[]; restore: () => void } {
  const attempts: string[] = [];
  const saved: [object, string, unknown][] = [];
  const block = (obj: any, name: string) => {
    saved.push([obj, name, obj[name]]);
    obj[name] = (...args: unknown[]) => {
      attempts.push(`${name}(${String(args[0]).slice(0, 80)})`);
      throw new Error(`network use forbidden in this test: ${name}`);
    };
  };
  for (const name of ['resolve', 'resolveTxt', 'resolve4', 'resolve6', 'resolveMx', 'lookup']) {
    block(dns, name);
    block(dns.promises, name);
  }
  block(net, 'connect');
  block(net, 'createConnection');
  block(net.Socket.prototype, 'connect');
  block(tls, 'connect');
  return { attempts, restore: () => saved.reverse().forEach(([o, n, v]) => ((o as any)[n] = v)) };
}
