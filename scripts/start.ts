import { prepareEnvironment, printUrls } from "./lib/local-env";
import { hasCompleteBuild, nextBuild } from "./lib/next-build";
import { runServer } from "./lib/run-next";

process.env.NEXT_TELEMETRY_DISABLED ??= "1";
if (!hasCompleteBuild()) {
  console.log("No complete production build in .next: running `npm run build` first.");
  if (!(await nextBuild())) process.exit(1);
}

const { env, pg } = await prepareEnvironment({ seed: !process.env.DATABASE_URL });
printUrls(env);
runServer("start", { hostname: env.BIND_HOST ?? "localhost", port: env.PORT ?? "3000" }, env, pg, { worker: process.env.START_WORKER !== "false" });
