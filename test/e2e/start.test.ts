import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startWorkbench } from './harness';

test('npm start without an Electron binary or display says why in one line and serves the workbench', async () => {
  const wb = await startWorkbench([], { DISPLAY: '', WAYLAND_DISPLAY: '' });
  try {
    const text = wb.output.join('');
    const reason = text.split('\n').filter((l) => l.startsWith('Electron not started:'));
    assert.equal(reason.length, 1);
    assert.match(reason[0], /(Electron binary is not downloaded|no display).*serving the workbench on localhost instead\.$/);
    const page = await fetch(wb.url);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>DeepTriage<\/title>/);
  } finally {
    await wb.stop();
  }
});
