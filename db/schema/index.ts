export * from "./_shared";
export * from "./accounts";
export * from "./audit";
export * from "./email";
export * from "./invoices";
export * from "./projects";
export * from "./tenants";
export * from "./users";
