// Bench only (server/bench/): a 404 unless BENCH_MODE=1.
export { benchFloorGET as GET } from "@/server/bench/floor-route";

export const dynamic = "force-dynamic";
