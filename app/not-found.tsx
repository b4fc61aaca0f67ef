import { StatusPage } from "@/app/status-page";

export default function NotFound() {
  return <StatusPage code={404} title="Not found" message="There is nothing at this address." />;
}
