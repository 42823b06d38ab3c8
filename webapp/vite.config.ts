import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The bundle lands where Maven packs resources: the module's jar carries it as webapp/**,
// and chat-http's shaded chat-node.jar serves it at / (WebClientRoutes).
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'target/classes/webapp',
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npm run dev` against a node on 8080: REST and the socket go to it.
    proxy: { '/api': 'http://127.0.0.1:8080', '/ws': { target: 'ws://127.0.0.1:8080', ws: true } },
  },
});
