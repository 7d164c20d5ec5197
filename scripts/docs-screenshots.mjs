// Refreshes the screenshots used by the docs from the latest e2e run (e2e/artifacts/, written by `npm run e2e`),
// so the docs show the current UI. Run: npm run e2e && node scripts/docs-screenshots.mjs
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'e2e', 'artifacts');
const to = join(root, 'docs', 'screenshots');
const pages = [
  'onboarding-welcome',
  'onboarding-create-words',
  'wallet-overview-after-send',
  'wallet-send-review',
  'page-mining',
  'page-explorer',
  'explorer-epoch',
  'page-node',
  'page-settings',
];
mkdirSync(to, { recursive: true });
const missing = pages.filter((p) => !existsSync(join(from, `${p}.png`)));
if (missing.length > 0) {
  console.error(`missing e2e screenshots (run npm run e2e first): ${missing.join(', ')}`);
  process.exit(1);
}
for (const p of pages) copyFileSync(join(from, `${p}.png`), join(to, `${p}.png`));
console.log(`copied ${pages.length} screenshots to docs/screenshots/`);
