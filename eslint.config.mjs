// Lint: typescript-eslint's recommended rules, plus the one rule this project cannot live
// without: provider classes are imported by resource path. A root import of
// @cdktf/provider-azurerm loads ~1,500 modules (seconds and ~400 MB on every synth and test).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdktf.out/', 'cdktf.out.*/', 'dist/', '.gen/', 'coverage/', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['azurerm', 'azuread', 'helm', 'kubernetes', 'random'].map((name) => ({
            name: `@cdktf/provider-${name}`,
            message: `Import by resource path instead, for example @cdktf/provider-${name}/lib/provider: the package root loads every resource binding.`,
          })),
          patterns: [
            {
              regex: '^@cdktf/provider-[a-z]+/lib/?$',
              message: 'Import by resource path, for example @cdktf/provider-azurerm/lib/kubernetes-cluster.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
