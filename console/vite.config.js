// The bundle Django serves as static files (console/static/console/). Fixed file
// names and a single chunk keep the build byte-for-byte reproducible from the
// lockfile, which tests/console/test_bundle.py checks.
import { defineConfig } from 'vite';

export default defineConfig({
  base: '/static/console/',
  esbuild: { jsx: 'automatic' },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: process.env.CONSOLE_OUT_DIR || 'static/console',
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
    rollupOptions: {
      input: 'src/main.jsx',
      // MUI marks its modules "use client" (a server-components hint that a
      // browser bundle has no use for).
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
      output: {
        entryFileNames: 'console.js',
        assetFileNames: 'console[extname]',
        inlineDynamicImports: true,
      },
    },
  },
});
