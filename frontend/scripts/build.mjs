// Copies the dashboard's static sources into dist/. The React + Vite build replaces this when the
// dashboard grows beyond a placeholder; the node serves whatever lands in dist/.
import { cpSync, mkdirSync, rmSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
cpSync(join(root, "src"), dist, { recursive: true });

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
writeFileSync(join(dist, "build-info.json"), JSON.stringify({ name: pkg.name, version: pkg.version }) + "\n");
console.log(`dashboard built into ${dist}`);
