// Times the dashboard's complete load (every panel filled: body[data-loaded]) in headless Chromium, against a
// running API: node load.mjs <url> <read key> [runs]. Prints each run in ms (the first with an empty cache) and
// the median of the warm ones. Uses Debian's /usr/bin/chromium (scripts/install-test-tools.sh installs it).
import { chromium } from 'playwright-core';

const [url, key, runsText = '6'] = process.argv.slice(2);
const runs = Number(runsText);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
await context.addInitScript(k => sessionStorage.setItem('catalog.readKey', k), key);
const times = [];
for (let run = 0; run < runs; run++) {
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${url}/dashboard?range=30d`);
  await page.waitForFunction(() => document.body.dataset.loaded, null, { timeout: 120_000, polling: 10 });
  times.push(Date.now() - started);
  await page.close();
}
await browser.close();
const warm = times.slice(1).sort((a, b) => a - b);
console.log(`dashboard load, ms: first ${times[0]}, then ${times.slice(1).join(', ')}; warm median ${warm[Math.floor((warm.length - 1) / 2)]}`);
