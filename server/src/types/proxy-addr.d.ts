// proxy-addr ships no types (and @types/proxy-addr is not installed): what server/src/http/proxy.ts uses.
declare module 'proxy-addr' {
  /** `(address, hop)`: hop 0 is the socket's peer, 1 the rightmost X-Forwarded-For entry, and so on. */
  type TrustFunction = (address: string, hop: number) => boolean;
  interface ProxiedRequest {
    headers: { 'x-forwarded-for'?: string | undefined };
    socket: { remoteAddress?: string | undefined };
  }
  /** The client's address: the first untrusted one walking from the socket outwards. */
  function proxyaddr(req: ProxiedRequest, trust: TrustFunction | string | string[]): string;
  namespace proxyaddr {
    /** Compiles addresses, CIDRs and the names loopback, linklocal, uniquelocal; throws TypeError on a bad one. */
    function compile(val: string | string[]): TrustFunction;
  }
  export = proxyaddr;
}
