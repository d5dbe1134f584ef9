/**
 * The requirement themes of ETSI TS 104 033 V1.1.1 (2026-05), named as public
 * summaries name them. Its clause numbers are not cited: they were not public.
 */
export const THEMES = {
  access: "identity and access control",
  integrity: "integrity protection",
  data: "data protection",
  audit: "secure audit",
  incident: "incident response",
  resilience: "resilience",
  assets: "AI asset protection",
  accelerators: "shared accelerators",
  inference: "inference protection",
  ailogs: "AI logs",
  training: "training recovery",
} as const;

export type ThemeKey = keyof typeof THEMES;

/** How reports cite a theme: `TS 104 033: secure audit`. */
export const themeReference = (key: ThemeKey): string => `TS 104 033: ${THEMES[key]}`;
