import { prepareEnvironment, printUrls } from "./lib/local-env";
import { runServer } from "./lib/run-next";

const { env, pg } = await prepareEnvironment({ seed: !process.env.DATABASE_URL });
printUrls(env);
runServer("start", { hostname: env.BIND_HOST ?? "localhost", port: env.PORT ?? "3000" }, env, pg, { worker: process.env.START_WORKER !== "false" });
