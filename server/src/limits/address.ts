import net from 'node:net';

/**
 * The key a per-address limit counts under (#4). IPv4: the address. IPv6: its /64, because one
 * subscriber (a home, a phone, a VPS) is routinely given a whole /64 and can pick any address in
 * it, so counting single IPv6 addresses would give an attacker 2^64 fresh keys. IPv4-mapped IPv6
 * (`::ffff:192.0.2.1`) counts as the IPv4 address. Anything unparseable shares one key, so it can't
 * escape the limits by being odd.
 */
export function addressKey(ip: string | null | undefined): string {
  if (!ip) return 'unknown';
  const bare = ip.replace(/^\[|\]$/g, '').replace(/%.*$/, ''); // [v6] and zone ids (fe80::1%eth0)
  if (net.isIPv4(bare)) return bare;
  if (!net.isIPv6(bare)) return 'unknown';
  const groups = expandIPv6(bare);
  // ::ffff:a.b.c.d (IPv4-mapped): the IPv4 address, as Node's dual-stack sockets report it.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (with `::` and a dotted IPv4 tail expanded). */
function expandIPv6(ip: string): number[] {
  let text = ip.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const parse = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}
