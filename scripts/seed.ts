import { prepareEnvironment } from "./lib/local-env";

const { pg } = await prepareEnvironment({ seed: true });
console.log("Demo data present.");
await pg?.stop();
