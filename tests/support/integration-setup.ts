/** Refuses to run against anything but a database on this machine: tests create and change data. */
export default function setup(): void {
  const url = process.env.DATABASE_URL;
  if (!url || !process.env.MIGRATION_DATABASE_URL) {
    throw new Error("Integration tests need DATABASE_URL and MIGRATION_DATABASE_URL (run them through `npm test`).");
  }
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`Refusing to run integration tests against non-local database host ${host}`);
  }
}
