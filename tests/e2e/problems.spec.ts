import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { e2eEngine, ROOT } from './support/engine';

const engine = e2eEngine();

/**
 * A graph with a bad edge, served in place of the sample template: the UI must show the
 * broken node red with the reason, list it under Problems, and count it in the status bar.
 */
test('a shape error turns the node red with the reason', async ({ page }) => {
  const graph = JSON.parse(readFileSync(`${ROOT}/templates/tiny_resnet.json`, 'utf8'));
  // Feed the residual Add from the stem instead of the downsampling branch: [32,64,64] vs [64,32,32].
  const edge = graph.edges.find((e: { from: { node: string }; to: { node: string } }) => e.from.node === 'stage1_down_bn' && e.to.node === 'stage1_add');
  edge.from.node = 'stem_relu';
  await page.route('**/api/getTemplate', (route) => route.fulfill({ json: { graph } }));

  await page.goto(engine.url);
  const add = page.getByTestId('node-stage1_add');
  await expect(add).toHaveAttribute('data-invalid', 'true');
  await expect(add.getByTestId('node-error')).toContainText('[32,64,64]');
  await expect(page.getByTestId('status-problems')).toHaveText(/^\d+ problems?$/);
  await expect(page.getByTestId('problems')).toContainText('stage1_add');
  await page.getByTestId('problems').getByRole('button').first().click();
  await expect(page.getByTestId('node-inspector')).toContainText('stage1_add');
  // Selecting the problem brings its node into view.
  await expect(add).toBeInViewport();
  await page.screenshot({ path: 'tests/e2e/artifacts/problems.png' });
});
