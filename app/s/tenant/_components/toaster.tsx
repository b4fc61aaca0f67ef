"use client";

import { Toaster as Sonner } from "sonner";

// Top right: on a phone Sonner spans the width between its offsets; its centred position shifts
// the toast half off the left edge there.
export function Toaster() {
  return <Sonner position="top-right" richColors closeButton />;
}
