import { prepareEnvironment, printUrls } from "./lib/local-env";
import { runServer } from "./lib/run-next";

const { env, pg } = await prepareEnvironment({ seed: true });
printUrls(env);
runServer("dev", { hostname: "localhost", port: env.PORT ?? "3000" }, env, pg, { worker: true });
