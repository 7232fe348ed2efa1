// Opens each HTML audit report in headless Chromium (Debian's, driven by playwright-core)
// and checks it the way a client reads it:
//   - no horizontal scroll at 1,280 px nor at 375 px (document scrollWidth <= viewport);
//   - printed on A4 (print stylesheet), no page is wider than the paper and no code block
//     is cut: every <pre> wraps inside its box;
//   - every internal link (#anchor) has its target, and the page loads nothing external;
//   - the chart is there, with a bar per row of the per-service table.
// It saves a screenshot per width and a PDF per report into OUT_DIR.
//
//   node check-report.mjs OUT_DIR REPORT.html [REPORT.html ...]
import { chromium } from "playwright-core";
import path from "node:path";
import fs from "node:fs";

const [outDir, ...reports] = process.argv.slice(2);
if (!outDir || reports.length === 0) {
  console.error("usage: node check-report.mjs OUT_DIR REPORT.html [REPORT.html ...]");
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

const failures = [];
const fail = (report, what) => failures.push(`${path.basename(report)}: ${what}`);

for (const report of reports) {
  const url = "file://" + path.resolve(report);
  const stem = path.basename(report, ".html");
  const context = await browser.newContext();
  const page = await context.newPage();
  const external = [];
  page.on("request", (request) => {
    if (!request.url().startsWith("file://")) external.push(request.url());
  });

  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(url);
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
    }));
    if (scrollWidth > innerWidth) {
      fail(report, `scrolls sideways at ${width} px: ${scrollWidth} px wide`);
    }
    const shot = path.join(outDir, `${stem}-${width}.png`);
    await page.screenshot({ path: shot, fullPage: width === 1280 });
    console.log(`${shot}: ${scrollWidth} px of ${innerWidth} px`);
  }

  const broken = await page.evaluate(() =>
    [...document.querySelectorAll('a[href^="#"]')]
      .map((a) => a.getAttribute("href").slice(1))
      .filter((id) => !document.getElementById(id)),
  );
  broken.forEach((id) => fail(report, `link to #${id} has no target`));

  const chart = await page.evaluate(() => ({
    bars: document.querySelectorAll("svg.chart text[text-anchor='end']").length,
    rows: document.querySelectorAll("h3 + svg.chart + table tr").length - 1,
  }));
  if (chart.rows > 0 && chart.bars !== chart.rows) {
    fail(report, `chart has ${chart.bars} bars for ${chart.rows} services`);
  }

  // A4 at 96 dpi is 794 px wide; the print stylesheet's margins are 15 mm each side.
  await page.emulateMedia({ media: "print" });
  await page.setViewportSize({ width: 794 - 2 * 57, height: 1000 });
  const cut = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
    pre: [...document.querySelectorAll("pre")].filter((pre) => pre.scrollWidth > pre.clientWidth + 1).length,
  }));
  if (cut.page > 0) fail(report, `printed page is ${cut.page} px wider than A4`);
  if (cut.pre > 0) fail(report, `${cut.pre} code block(s) cut when printed`);
  const pdf = path.join(outDir, `${stem}.pdf`);
  await page.pdf({ path: pdf, format: "A4", preferCSSPageSize: true });
  console.log(`${pdf}: printed`);

  if (external.length > 0) fail(report, `loads external resources: ${external.join(", ")}`);
  await context.close();
}

await browser.close();
if (failures.length > 0) {
  console.error(failures.map((f) => `FAIL ${f}`).join("\n"));
  process.exit(1);
}
console.log(`${reports.length} report(s) pass the browser checks`);
