import net from "node:net";

/**
 * A postgres.js `socket` option that counts round trips: each time a connection writes after
 * having read (or writes first). Statements sent together (pipelined) count once. For the bench
 * and the tests that watch the wire; the application's pools use it only under the bench.
 */
export function countingSocket(counter: { roundTrips: number }) {
  return (options: { host: string[]; port: number[] }): net.Socket => {
    const socket = net.connect({ host: options.host[0], port: options.port[0]! });
    let waiting = false;
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = (...args: unknown[]) => {
      if (!waiting) counter.roundTrips++;
      waiting = true;
      return write(...args);
    };
    socket.on("data", () => {
      waiting = false;
    });
    return socket;
  };
}
