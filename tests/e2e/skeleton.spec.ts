import { expect, test, type Page } from '@playwright/test';
import { e2eEngine } from './support/engine';

const ARTIFACTS = 'tests/e2e/artifacts';
const engine = e2eEngine();

/** Console errors and page errors, collected per test: a clean page has none. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

test.describe('walking skeleton in the browser', () => {
  test('opens the sample project with shapes on the nodes and totals', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(engine.url);

    await expect(page.getByTestId('graph-name')).toHaveText('tiny_resnet');
    const stem = page.getByTestId('node-stem_conv');
    await expect(stem.getByTestId('node-shape')).toHaveText('32×64×64');
    await expect(stem.getByTestId('node-params')).toHaveText('864 params');
    await expect(stem.getByTestId('node-flops')).toHaveText('7.08 MFLOPs');
    await expect(page.getByTestId('node-stage1_a_conv').getByTestId('node-shape')).toHaveText('64×16×16');
    await expect(page.getByTestId('node-stage1_a_conv').getByTestId('node-params')).toHaveText('18.4 k params');
    await expect(page.getByTestId('node-head').getByTestId('node-shape')).toHaveText('10');
    await expect(page.locator('[data-invalid]')).toHaveCount(0);

    await expect(page.getByTestId('status-problems')).toHaveText('graph ok');
    await expect(page.getByTestId('total-params')).toHaveText('727 k params');
    await expect(page.getByTestId('total-flops')).toHaveText('80.7 MFLOPs');
    await expect(page.getByTestId('total-activations')).toContainText('MiB activations / sample');
    await expect(page.getByTestId('graph-totals')).toContainText('727 k');

    // The backend is detected lazily by the engine (it loads the wasm backend).
    await expect(page.getByTestId('backend-badge')).toHaveText(/^(wasm|cpu|tensorflow|webgpu|webgl)/, { timeout: 45_000 });
    // The token leaves the address bar once read.
    expect(page.url()).not.toContain('token=');
    await page.screenshot({ path: `${ARTIFACTS}/editor.png` });
    expect(errors).toEqual([]);
  });

  test('inspects a node', async ({ page }) => {
    await page.goto(engine.url);
    await page.getByTestId('node-stem_conv').click();
    const inspector = page.getByTestId('node-inspector');
    await expect(inspector).toContainText('Conv2d');
    await expect(inspector).toContainText('stem_conv');
    await expect(inspector.getByTestId('node-params-table')).toContainText('outChannels32');
    await expect(inspector.getByTestId('node-params-table')).toContainText('dilation1');
    await page.screenshot({ path: `${ARTIFACTS}/inspector.png` });
  });

  test('lists the finished run and draws its loss curves', async ({ page }) => {
    const errors = watchErrors(page);
    await page.goto(engine.url);
    await page.getByTestId('rail-runs').click();
    const run = page.getByTestId(`run-${engine.runId}`);
    await expect(run.getByTestId('run-status')).toHaveText('finished');
    await expect(run.getByTestId('run-headline')).toContainText(/val\/top1 \d+\.\d %/);
    await expect(run).toContainText('wasm');
    await run.click();
    await expect(page.getByTestId('training-view')).toBeVisible();
    const chart = page.getByTestId('loss-chart');
    await expect(chart.locator('canvas')).toHaveCount(1);
    await expect(chart).toContainText('train/loss');
    await expect(chart).toContainText('val/loss');
    const box = await chart.locator('canvas').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    await page.screenshot({ path: `${ARTIFACTS}/runs.png` });
    expect(errors).toEqual([]);
  });

  test('lists templates with their size and opens another one', async ({ page }) => {
    await page.goto(engine.url);
    const resnet = page.getByTestId('template-resnet18');
    await expect(resnet).toContainText('11.7 M params');
    await expect(resnet).toContainText('3.64 GFLOPs');
    await resnet.click();
    await expect(page.getByTestId('graph-name')).toHaveText('resnet18');
    await expect(page.getByTestId('total-params')).toHaveText('11.7 M params');
    await page.screenshot({ path: `${ARTIFACTS}/resnet18.png` });
  });

  test('lists registry blocks by category with their docs', async ({ page }) => {
    await page.goto(engine.url);
    await page.getByTestId('rail-blocks').click();
    await expect(page.getByTestId('block-group-convolution').getByTestId('block-Conv2d')).toContainText('2-D convolution');
    await expect(page.getByTestId('block-group-head')).toContainText('ClassificationHead');
    await page.screenshot({ path: `${ARTIFACTS}/blocks.png` });
  });

  test('the API refuses calls without the right token', async ({ request }) => {
    const missing = await request.post(`${engine.origin}/api/listRuns`, { data: {} });
    expect(missing.status()).toBe(401);
    const wrong = await request.post(`${engine.origin}/api/listRuns`, { data: {}, headers: { authorization: 'Bearer wrong' } });
    expect(wrong.status()).toBe(401);
    const right = await request.post(`${engine.origin}/api/listRuns`, { data: {}, headers: { authorization: `Bearer ${engine.token}` } });
    expect(right.status()).toBe(200);
  });

  test('without a token the page says how to get one', async ({ page }) => {
    await page.goto(`${engine.origin}/`);
    await expect(page.getByTestId('no-engine')).toContainText('#token=');
  });
});
