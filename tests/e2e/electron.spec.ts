import { _electron as electron, expect, test } from '@playwright/test';
import { join } from 'node:path';
// @ts-expect-error -- plain ESM script without type declarations
import { electronBinary } from '../../electron/start.mjs';
import { ROOT } from './support/engine';

const binary: string | null = electronBinary();
const SKIP_MESSAGE = "Electron's binary is not installed here (it cannot be downloaded); the desktop smoke test is skipped.";
if (!binary) console.log(SKIP_MESSAGE);

/**
 * The desktop shell, where Electron's binary is installed. Elsewhere (CI machines without
 * network) it is skipped, and the shell is covered by the build and its unit tests.
 */
test.describe('desktop app', () => {
  test.skip(!binary, SKIP_MESSAGE);

  test('opens the workbench in a hardened window', async () => {
    const app = await electron.launch({ executablePath: binary!, args: [ROOT], cwd: ROOT, env: { ...process.env, VISIONBENCH_STORE: join(ROOT, '.vb-store', 'e2e-electron.sqlite') } });
    try {
      const window = await app.firstWindow();
      await expect(window.getByTestId('graph-name')).toHaveText('tiny_resnet', { timeout: 60_000 });
      await expect(window.getByTestId('node-stem_conv').getByTestId('node-shape')).toHaveText('32×64×64');
      expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await window.evaluate(() => Object.keys((window as unknown as { visionbench: object }).visionbench).sort())).toEqual(['invoke', 'onEvent']);
      await window.screenshot({ path: 'tests/e2e/artifacts/electron.png' });
    } finally {
      await app.close();
    }
  });
});
