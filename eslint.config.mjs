import drizzle from "eslint-plugin-drizzle";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: [".next/**", "node_modules/**", ".data/**", "drizzle/**", "test-results/**", "test-results-cluster/**", "playwright-report/**", "next-env.d.ts", "*.mjs"] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    // The plain-JavaScript modules the server entry runs without a build step, linted like the rest.
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ["lib/*.mjs", "scripts/*.mjs"] }, tsconfigRootDir: import.meta.dirname } },
    plugins: { drizzle },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // An update or delete without WHERE would touch every row the tenant can see.
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
    },
  },
);
