// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** Importing a provider package's root loads every resource class it has (seconds per import). */
const providerRoots = ["@cdktf/provider-aws", "@cdktf/provider-kubernetes", "@cdktf/provider-helm"];
const deepImportsOnly = {
  paths: providerRoots.map((name) => ({
    name,
    message: `Import the resource you need from '${name}/lib/<resource>' instead of the package root.`,
  })),
};

export default tseslint.config(
  // .stryker-tmp*/ holds mutation testing's sandboxes (mutated copies of the sources) while it runs.
  { ignores: ["node_modules/", "dist/", "cdktf.out/", "coverage/", "test/fixtures/lint/", ".stryker-tmp*/", "reports/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { require: "readonly", module: "writable", process: "readonly", __dirname: "readonly", console: "readonly" },
    },
    rules: {
      "no-restricted-imports": ["error", deepImportsOnly],
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.name='require'][arguments.0.value=/^@cdktf\\u002Fprovider-(aws|kubernetes|helm)$/]",
          message: "Require the resource you need from '<provider>/lib/<resource>' instead of the package root.",
        },
      ],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      // Prettier wraps code at 140 (.prettierrc.json) but never breaks a string or a comment: messages stay
      // whole for grep, comments are wrapped by hand.
      "max-len": ["error", { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
    },
  },
  {
    files: ["**/*.js", "**/*.cjs"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);

export { deepImportsOnly };
