// Bench only (server/bench/): a 404 unless BENCH_MODE=1.
export { benchTrpcFloorGET as GET } from "@/server/bench/trpc-floor-route";

export const dynamic = "force-dynamic";
