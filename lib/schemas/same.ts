/**
 * Compile-time proof that a list kept here for client bundles names exactly the values of the
 * database enum (imported as a type only, so Drizzle never reaches the browser).
 */
export type SameMembers<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
