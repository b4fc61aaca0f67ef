import { prepareEnvironment, printUrls } from "./lib/local-env";
import { runNext } from "./lib/run-next";

const { env, pg } = await prepareEnvironment({ seed: !process.env.DATABASE_URL });
printUrls(env);
runNext(["start", "--hostname", env.BIND_HOST ?? "localhost", "--port", env.PORT ?? "3000"], env, pg, { worker: process.env.START_WORKER !== "false" });
