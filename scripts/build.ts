import { nextBuild } from "./lib/next-build";

process.exit((await nextBuild()) ? 0 : 1);
