import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import dns2 from "dns2";

const { UDPServer, Packet } = dns2;

export type DnsRecord = { txt?: string[]; cname?: string };

export type TestDns = {
  /** `127.0.0.1:<port>`, for DNS_SERVERS. */
  server: string;
  /** Set when started with `control: true`: POST {name, txt?, cname?} sets, DELETE ?name= clears. */
  controlUrl: string | null;
  set(name: string, record: DnsRecord): void;
  clear(name: string): void;
  /** Holds every answer this long (a slow resolver); 0 answers at once. */
  setDelay(ms: number): void;
  /** Resolves when the next question for `name` arrives (before its answer is sent). */
  nextQuery(name: string): Promise<void>;
  close(): Promise<void>;
};

const key = (name: string) => name.toLowerCase().replace(/\.$/, "");

/**
 * A real DNS server on loopback (UDP, a free port) answering TXT and CNAME from an in-memory
 * table: a name it does not know is NXDOMAIN, a known name without that type is NODATA.
 */
export async function startTestDns(opts: { control?: boolean; delayMs?: number } = {}): Promise<TestDns> {
  const records = new Map<string, DnsRecord>();
  let delayMs = opts.delayMs ?? 0;
  const waiting = new Map<string, (() => void)[]>();
  const udp = new UDPServer((request, reply) => {
    const response = Packet.createResponseFromRequest(request);
    const send = (packet: typeof response) => (delayMs > 0 ? void setTimeout(() => void reply(packet), delayMs) : void reply(packet));
    const [question] = request.questions;
    if (!question) return void send(response);
    for (const wake of waiting.get(key(question.name)) ?? []) wake();
    waiting.delete(key(question.name));
    const record = records.get(key(question.name));
    if (!record) response.header.rcode = 3;
    else if (question.type === Packet.TYPE.TXT) {
      for (const value of record.txt ?? []) response.answers.push({ name: question.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 1, data: value });
    } else if (question.type === Packet.TYPE.CNAME && record.cname) {
      response.answers.push({ name: question.name, type: Packet.TYPE.CNAME, class: Packet.CLASS.IN, ttl: 1, domain: record.cname });
    }
    void send(response);
  });
  udp.on("requestError", () => undefined);
  await udp.listen(0, "127.0.0.1");
  const port = udp.address().port;

  let http: Server | null = null;
  let controlUrl: string | null = null;
  if (opts.control) {
    http = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      if (req.method === "DELETE") {
        records.delete(key(url.searchParams.get("name") ?? ""));
        res.writeHead(204).end();
        return;
      }
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        try {
          const { name, ...record } = JSON.parse(body) as { name: string } & DnsRecord;
          records.set(key(name), record);
          res.writeHead(204).end();
        } catch {
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => http!.listen(0, "127.0.0.1", resolve));
    controlUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  }

  return {
    server: `127.0.0.1:${port}`,
    controlUrl,
    set: (name, record) => void records.set(key(name), record),
    clear: (name) => void records.delete(key(name)),
    setDelay: (ms) => void (delayMs = ms),
    nextQuery: (name) => new Promise<void>((resolve) => waiting.set(key(name), [...(waiting.get(key(name)) ?? []), resolve])),
    close: async () => {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      const control = http;
      if (control) await new Promise<void>((resolve) => control.close(() => resolve()));
    },
  };
}
