import { MoveError, TenantMover, moveDatabasesFromEnv, type MoveResult } from "@/db/tenant-move";
import { ConfigError, parseServerEnv } from "@/lib/env";
import { prepareEnvironment } from "./lib/local-env";

const usage = `Usage:
  npm run tenant:move -- <slug> <target>     move a tenant's rows to a placement ("shared" or a TENANT_DATABASES name)
  npm run tenant:move -- --resume <slug>     continue an interrupted move
  npm run tenant:move -- --rollback <slug>   undo a move that has not flipped yet`;

const args = process.argv.slice(2).filter((a) => a !== "--");
const flag = args.find((a) => a.startsWith("--"));
const [first, second] = args.filter((a) => !a.startsWith("--"));
if (!first || (!flag && !second) || (flag && !["--resume", "--rollback"].includes(flag))) {
  console.error(usage);
  process.exit(2);
}

const { env, pg } = await prepareEnvironment({ seed: false });
let mover: TenantMover | null = null;
try {
  mover = new TenantMover(moveDatabasesFromEnv(parseServerEnv(env)));
  const onPhase = (phase: string) => console.log(`… ${phase}`);
  const result: MoveResult =
    flag === "--resume" ? await mover.resume(first, { onPhase }) : flag === "--rollback" ? await mover.rollback(first) : await mover.move(first, second!, { hooks: { onPhase } });
  console.log(`${result.slug}: ${result.source} → ${result.target}: ${result.phase}`);
  if (result.tables.length > 0) {
    console.table(result.tables.map((t) => ({ table: t.table, rows: t.target.rows, checksum: t.target.checksum.slice(0, 12), match: t.source.checksum === t.target.checksum && t.source.rows === t.target.rows })));
  }
  if (result.pauseMs !== null) console.log(`writes paused for ${result.pauseMs} ms; copied ${result.copied.initial} rows, then ${result.copied.delta} changed rows`);
  console.log("Servers pick up the new placement within seconds (directory cache), or at once on their next call to the old database.");
} catch (error) {
  if (error instanceof MoveError || error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 1;
  } else throw error;
} finally {
  await mover?.close();
  await pg?.stop();
}
