// One labelled input for every surface; the workspace's form kit already has it.
export { InputField as Field } from "@/app/s/tenant/_components/form";
