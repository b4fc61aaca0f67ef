import { StatusPage } from "@/app/status-page";

export default function Forbidden() {
  return (
    <StatusPage code={403} title="No access" message="Your account is not a member of this workspace, or your role does not allow this page." />
  );
}
