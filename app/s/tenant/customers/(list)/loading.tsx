import { PageSkeleton } from "../../_components/ui";

export default function Loading() {
  return <PageSkeleton />;
}
