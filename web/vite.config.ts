/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// `npm run dev` serves the app with hot reload and sends the API and config.json to the local
// stack (`make run`, port 3000), so the browser sees one origin as it does when the stack serves dist/.
const stack = process.env.INBOX_STACK_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  server: { proxy: { "/inbox": stack, "/config.json": stack } },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true },
  test: { environment: "jsdom", include: ["src/**/*.test.{ts,tsx}"] },
});
