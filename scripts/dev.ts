import { prepareEnvironment, printUrls } from "./lib/local-env";
import { runNext } from "./lib/run-next";

const { env, pg } = await prepareEnvironment({ seed: true });
printUrls(env);
runNext(["dev", "--hostname", "localhost", "--port", env.PORT ?? "3000"], env, pg, { worker: true });
