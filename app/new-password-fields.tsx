"use client";

import type { UseFormRegisterReturn } from "react-hook-form";
import { Field } from "@/app/field";

/** A new password and its repetition, with the policy in words (the server enforces it). */
export function NewPasswordFields(props: {
  password: UseFormRegisterReturn;
  confirm: UseFormRegisterReturn;
  errors: { password?: string | undefined; confirm?: string | undefined };
}) {
  return (
    <>
      <Field
        label="New password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters. A few unrelated words make a good one; common passwords are refused."
        error={props.errors.password}
        {...props.password}
      />
      <Field label="Repeat the new password" type="password" autoComplete="new-password" error={props.errors.confirm} {...props.confirm} />
    </>
  );
}
