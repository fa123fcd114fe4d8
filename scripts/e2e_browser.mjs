// Drives headless Chromium through the newsroom page: paste the seed article, submit,
// check the reading view, save a screenshot. Called by scripts/e2e_browser.sh, which
// starts the server and passes BASE_URL, ARTICLE and SCREENSHOT.
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const base = process.env.BASE_URL;
const article = readFileSync(process.env.ARTICLE, 'utf8');
const screenshot = process.env.SCREENSHOT;
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Offline: any request that leaves the server under test is a failure.
  const foreign = [];
  page.on('request', (r) => { if (!r.url().startsWith(base)) foreign.push(r.url()); });

  await page.goto(`${base}/`);
  check((await page.getAttribute('html', 'lang')) === 'en', 'the form page declares lang="en"');
  // Keyboard: the skip link comes first, then the text area is reachable by Tab.
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.classList.contains('skip')),
    'Tab focuses the skip link first');
  const textarea = page.getByLabel('Article text or HTML');
  await textarea.fill(article);
  await Promise.all([
    page.waitForURL(`${base}/`, { waitUntil: 'load' }),
    page.getByRole('button', { name: 'Annotate' }).click(),
  ]);
  await page.waitForSelector('article.text');

  // Every "Kerry" in the article body sits inside a PERSON mark.
  const kerry = await page.evaluate(() => {
    const walker = document.createTreeWalker(document.querySelector('article.text'), NodeFilter.SHOW_TEXT);
    let total = 0; let marked = 0;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.parentElement.closest('.speaker-badge, h1, .meta, .legend')) continue;
      const hits = n.data.split('Kerry').length - 1;
      total += hits;
      if (n.parentElement.closest('mark.ent-PERSON')) marked += hits;
    }
    return { total, marked };
  });
  check(kerry.total > 0 && kerry.marked === kerry.total,
    `Kerry's mentions are marked as PERSON (${kerry.marked}/${kerry.total})`);

  const badges = await page.locator('article.text p .speaker-badge').allTextContents();
  const byKerry = badges.filter((b) => b.includes('John Kerry')).length;
  console.log(`     speaker badges: ${badges.map((b) => b.replace('said by ', '')).join(' | ')}`);
  check(byKerry > 0, `quotes show "John Kerry" as speaker (${byKerry} of ${badges.length} quotes)`);
  check((await page.locator('aside.panel h3', { hasText: 'John Kerry' }).count()) === 1,
    'the side panel groups quotes under "John Kerry"');
  check((await page.locator('details summary', { hasText: 'JSON' }).count()) === 1,
    'the JSON is one click away');
  check(foreign.length === 0, `no request leaves the server (${foreign.join(', ') || 'none'})`);

  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`     screenshot: ${screenshot}`);
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(`e2e: ${failures.length} check(s) failed`);
  process.exit(1);
}
console.log('e2e: all checks passed');
