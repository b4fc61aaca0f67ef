/** The slice of dns2 2.1.0 (no bundled types) that the loopback test DNS server uses. */
declare module "dns2" {
  import type { RemoteInfo } from "node:dgram";

  export type DnsQuestion = { name: string; type: number; class: number };
  export type DnsAnswer = { name: string; type: number; class: number; ttl: number; data?: string | string[]; domain?: string; address?: string };

  export class Packet {
    static TYPE: { A: number; CNAME: number; TXT: number; ANY: number; [k: string]: number };
    static CLASS: { IN: number; [k: string]: number };
    static createResponseFromRequest(request: Packet): Packet;
    header: { id: number; qr: number; rcode: number; aa: number; [k: string]: number };
    questions: DnsQuestion[];
    answers: DnsAnswer[];
  }

  export class UDPServer {
    constructor(handler: (request: Packet, send: (response: Packet) => Promise<unknown>, rinfo: RemoteInfo) => void);
    listen(port: number, address: string): Promise<void>;
    address(): { port: number; address: string };
    close(callback?: () => void): void;
    on(event: "requestError", listener: (error: Error) => void): this;
  }

  const dns2: { UDPServer: typeof UDPServer; Packet: typeof Packet };
  export default dns2;
}
