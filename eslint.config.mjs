// ESLint with typescript-eslint's type-checked recommended rules; formatting is Prettier's (eslint-config-prettier).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['build/', 'dist/', 'examples/dist/', 'examples/dist-fleet/', 'imports/', 'coverage/', 'node_modules/', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { project: './tsconfig.eslint.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Manifests, configs and API answers are untyped JSON by nature: the code that reads them narrows every field
    // through lib/manifests/access (tolerant readers), so member access on their loose types is allowed there.
    files: [
      'lib/check/**',
      'lib/manifests/**',
      'lib/validation/**',
      'lib/planning/model-config.ts',
      'lib/planning/model-files.ts',
      'lib/planning/quantization-config.ts',
      'lib/planning/calibration.ts',
      'lib/s3/model-store.ts',
      'test/**',
      'bench/**',
    ],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // a synth loads the library but reads no YAML: the YAML library (about 70 modules) is loaded on the first YAML
    // text, through lib/manifests/yaml-documents (yamlLib, parseOne); elsewhere in lib/ only its types are imported
    files: ['lib/**'],
    ignores: ['lib/manifests/yaml-documents.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'yaml',
              allowTypeImports: true,
              message: 'read YAML through lib/manifests/yaml-documents (parseOne, yamlLib), which loads the library lazily',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**'],
    rules: {
      // jest's expect.any/objectContaining return any by design
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  prettier,
);
