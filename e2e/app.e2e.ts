/**
 * End-to-end: the same suite through both doors of the app (e2e/support/app-door.ts): the built renderer in
 * Chromium against the headless host, and the Electron app where its binary exists. Each test gets a fresh
 * RUSTCHAIN_HOME with a real dev-mode node (1-second slots, 5-slot epochs) and waits on what the UI shows
 * (pushed events), never on fixed sleeps. Screenshots land in e2e/artifacts/.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { criticalAxeViolations, screenshot } from './support/browser.js';
import { appDoors, type OpenApp } from './support/app-door.js';
import { cliHasCommand } from './support/host-process.js';
import { loadVectorsText } from '../test/support/vectors.js';
import { actor, fingerprintTemplates, signedAttestation } from '../test/node/support/actors.js';

const DEV_MNEMONIC = 'test test test test test test test test test test test junk';
const PASSWORD = 'correct horse battery staple';

const hasNode = cliHasCommand('node');
const hasWallet = hasNode && cliHasCommand('wallet');
if (!hasNode) console.warn('e2e node flows skipped: the `rustchain node` command is not built');
else if (!hasWallet) console.warn('e2e wallet flows skipped: the `rustchain wallet` command is not built');

let opened: OpenApp | null = null;
let page: Page;
const consoleErrors: string[] = [];

async function expectAccessible(name: string): Promise<void> {
  await screenshot(page, name);
  const critical = await criticalAxeViolations(page);
  expect(critical, `${name}: ${JSON.stringify(critical, null, 1)}`).toEqual([]);
}

async function waitForSyncedNode(): Promise<void> {
  await page.getByTestId('node-sync').filter({ hasText: 'Synced' }).waitFor({ timeout: 60_000 });
}

async function createWallet(): Promise<string> {
  await page.getByRole('button', { name: /Create a new wallet/ }).click();
  const words = await page.getByTestId('mnemonic-words').locator('li span:last-child').allTextContents();
  expect(words).toHaveLength(24);
  await expectAccessible('onboarding-create-words');
  await page.getByLabel('I have written down all 24 words in order.').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  const quizInputs = page.locator('[data-testid^="quiz-"]');
  await quizInputs.first().waitFor();
  expect(await quizInputs.count()).toBe(4);
  // A wrong answer is refused first.
  for (let i = 0; i < 4; i++) await quizInputs.nth(i).fill('wrong');
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(/do(es)? not match/);
  for (let i = 0; i < 4; i++) {
    const id = (await quizInputs.nth(i).getAttribute('data-testid')) as string;
    const position = Number(id.replace('quiz-', ''));
    await quizInputs.nth(i).fill(words[position - 1] as string);
  }
  await expectAccessible('onboarding-create-quiz');
  await page.getByRole('button', { name: 'Check' }).click();
  await setPassword('Create wallet');
  await page.getByTestId('wallet-page').waitFor();
  return (await page.getByTestId('active-address').getAttribute('title')) as string;
}

async function setPassword(submit: string): Promise<void> {
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Repeat password').fill(PASSWORD);
  await page.getByLabel('I understand that a lost password cannot be recovered.').check();
  await expectAccessible('onboarding-password');
  await page.getByRole('button', { name: submit }).click();
}

async function restoreDevAccount(): Promise<void> {
  await page.getByRole('button', { name: /Restore a wallet/ }).click();
  await page.getByTestId('restore-phrase').fill('test test test test test test test test test test tesst junk');
  await page.getByText(/Did you mean: .*test/).waitFor();
  await expectAccessible('onboarding-restore-phrase-typo');
  await page.getByTestId('restore-phrase').fill(DEV_MNEMONIC);
  await page.getByRole('button', { name: 'Continue' }).click();
  const lightclient = page.getByTestId('candidate-lightclient_sha256');
  await lightclient.waitFor();
  await expect(lightclient.getAttribute('aria-checked')).resolves.toBe('true');
  await expect(lightclient.textContent()).resolves.toContain('100,000');
  await expectAccessible('onboarding-restore-derivation');
  await page.getByRole('button', { name: 'Continue' }).click();
  await setPassword('Restore wallet');
  await page.getByTestId('wallet-page').waitFor();
  await page.getByTestId('balance-total').filter({ hasText: '100,000' }).waitFor();
}

describe.each(appDoors())('desktop app through $name', (door) => {
  const skipDoor = door.unavailable !== null;
  beforeAll(async () => {
    if (!skipDoor) await door.setup();
  });
  afterAll(async () => {
    if (!skipDoor) await door.teardown();
  });
  beforeEach(async () => {
    if (skipDoor) return;
    opened = await door.open({ slotSeconds: 1, epochSlots: 5 });
    page = opened.page;
    consoleErrors.length = 0;
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
  });
  afterEach(async () => {
    await opened?.close();
    opened = null;
  });

  it.skipIf(skipDoor)('shows the app shell with live node status on every page', async () => {
    await page.getByTestId('node-status').waitFor();
    if (hasNode) {
      await waitForSyncedNode();
      await page.getByTestId('network-badge').filter({ hasText: 'devnet' }).waitFor();
      const first = Number(await page.getByTestId('node-epoch').textContent());
      await page.getByTestId('node-committed').filter({ hasText: /^\d+$/ }).waitFor({ timeout: 30_000 });
      expect(Number.isInteger(first)).toBe(true);
    }
    await page.getByTestId('onboarding').waitFor();
    await expectAccessible('onboarding-welcome');
    for (const nav of ['mining', 'explorer', 'node', 'settings']) {
      await page.locator(`[data-nav="${nav}"]`).click();
      await page.getByTestId(`${nav}-page`).waitFor();
      await expectAccessible(`page-${nav}-empty`);
    }
    expect(consoleErrors.filter((e) => /Content Security Policy/i.test(e))).toEqual([]);
  });

  it.skipIf(skipDoor || !hasWallet)('creates a wallet and passes the quiz', async () => {
    await waitForSyncedNode();
    const address = await createWallet();
    expect(address).toMatch(/^RTC[0-9a-f]{40}$/);
    await expectAccessible('wallet-overview-new');
    await page.getByRole('tab', { name: 'Receive' }).click();
    await expect(page.getByTestId('receive-address').textContent()).resolves.toBe(address);
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    await expectAccessible('wallet-receive');
  });

  it.skipIf(skipDoor || !hasWallet)('restores the funded dev account from its mnemonic', async () => {
    await waitForSyncedNode();
    await restoreDevAccount();
    await expectAccessible('wallet-overview-funded');
  });

  it.skipIf(skipDoor || !hasWallet)('sends to another wallet: pending, then confirmed after settlement', async () => {
    await waitForSyncedNode();
    const recipient = await createWallet();
    await page.locator('[data-nav="settings"]').click();
    await page.getByRole('button', { name: 'Add or restore another wallet' }).click();
    await restoreDevAccount();
    await page.getByRole('tab', { name: 'Send' }).click();
    await page.getByTestId('send-to').fill(recipient);
    await page.getByTestId('send-amount').fill('12.5');
    await page.getByTestId('send-memo').fill('e2e');
    await page.getByRole('button', { name: 'Review' }).click();
    const message = await page.getByTestId('send-message').textContent();
    expect(message).toContain(`"to":"${recipient}"`);
    expect(message).toContain('"amount":12.5');
    expect(message).toContain('"chain_id":"rustchain-devnet-dev"');
    await expectAccessible('wallet-send-review');
    await page.getByTestId('send-password').fill('not the password');
    await page.getByRole('button', { name: 'Sign and send' }).click();
    await page.getByText('Wrong password.').waitFor();
    await page.getByTestId('send-password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign and send' }).click();
    await page.getByRole('tab', { name: 'History' }).click();
    const history = page.getByTestId('history-table');
    await history.locator('tr', { hasText: 'Sent' }).locator('[data-status="pending"]').waitFor({ timeout: 30_000 });
    await expectAccessible('wallet-history-pending');
    await history.locator('tr', { hasText: 'Sent' }).locator('[data-status="confirmed"]').waitFor({ timeout: 60_000 });
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByTestId('balance-total').filter({ hasText: '99,987.5' }).waitFor();
    await expectAccessible('wallet-overview-after-send');
  });

  it.skipIf(skipDoor || !hasWallet)('locks and unlocks, with a message for a wrong password', async () => {
    await waitForSyncedNode();
    await createWallet();
    await page.locator('[data-nav="settings"]').click();
    await page.getByTestId('lock-now').click();
    await page.locator('[data-nav="wallet"]').click();
    await page.getByTestId('unlock-screen').waitFor();
    await page.getByTestId('unlock-password').fill('wrong password');
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByTestId('unlock-error').filter({ hasText: 'Wrong password' }).waitFor();
    await expectAccessible('unlock-wrong-password');
    await page.getByTestId('unlock-password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.getByTestId('wallet-page').waitFor();
  });

  it.skipIf(skipDoor || !hasNode)('node page shows the epoch, the data folder and the database size', async () => {
    await waitForSyncedNode();
    await page.locator('[data-nav="node"]').click();
    await page.getByTestId('node-page').waitFor();
    await page.getByTestId('node-page-epoch').filter({ hasText: /^\d+$/ }).waitFor();
    await page
      .getByTestId('node-db-size')
      .filter({ hasText: /\d+(\.\d+)? (B|KiB|MiB)/ })
      .waitFor({ timeout: 30_000 });
    await expect(page.getByTestId('node-data-dir').textContent()).resolves.toContain(opened!.home);
    await page.getByTestId('node-log').filter({ hasText: 'epoch committed' }).waitFor({ timeout: 30_000 });
    await expectAccessible('page-node');
  });

  it.skipIf(skipDoor || !hasNode)(
    'starts mining and shows the accepted attestation (weight 0 on a VM, with the reason)',
    async () => {
      await waitForSyncedNode();
      await page.locator('[data-nav="mining"]').click();
      await page.getByTestId('mining-page').waitFor();
      await page.getByRole('button', { name: 'Start mining' }).click();
      await page
        .getByTestId('miner-status-line')
        .filter({ hasText: /Attested/ })
        .waitFor({ timeout: 120_000 });
      await page.getByTestId('attestation-history').locator('tr[data-outcome="accepted"]').first().waitFor();
      await page.getByTestId('fingerprint-checks').locator('li').nth(5).waitFor();
      await expectAccessible('page-mining');
      await page.getByRole('button', { name: 'Stop mining' }).click();
      await page.getByTestId('miner-status-line').filter({ hasText: 'Not mining.' }).waitFor();
    },
  );

  it.skipIf(skipDoor || !hasWallet)('explorer finds the epoch, the address and the transaction', async () => {
    await waitForSyncedNode();
    await page.getByRole('button', { name: /Restore a wallet/ }).waitFor();
    await restoreDevAccount();
    const address = (await page.getByTestId('active-address').getAttribute('title')) as string;
    await page.getByRole('tab', { name: 'Send' }).click();
    await page.getByTestId('send-to').fill('RTC' + '1'.repeat(40));
    await page.getByTestId('send-amount').fill('1');
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByTestId('send-password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign and send' }).click();
    await page.getByRole('tab', { name: 'History' }).click();
    const sent = page.getByTestId('history-table').locator('tr', { hasText: 'Sent' });
    await sent.locator('[data-status="confirmed"]').waitFor({ timeout: 60_000 });
    const txHash = (await sent.first().getAttribute('data-tx')) as string;
    const epoch = (await sent.first().locator('td').nth(2).textContent()) as string;

    await page.locator('[data-nav="explorer"]').click();
    await page.getByTestId('explorer-page').waitFor();
    await page.getByTestId('epoch-list').locator('[data-epoch]').first().waitFor();
    await page.getByTestId('net-epoch').filter({ hasText: /^\d+$/ }).waitFor();
    await expectAccessible('page-explorer');
    const search = async (q: string) => {
      await page.getByTestId('explorer-search').fill(q);
      await page.getByRole('button', { name: 'Search' }).click();
    };
    await search(epoch);
    await page.getByTestId('epoch-detail').getByText(`Epoch ${epoch}`).waitFor();
    await page
      .getByTestId('epoch-transfers')
      .locator('tr', { hasText: txHash.slice(0, 12) })
      .waitFor();
    await expectAccessible('explorer-epoch');
    await search(txHash);
    await page.getByTestId('tx-status').filter({ hasText: 'confirmed' }).waitFor();
    await expect(page.getByTestId('tx-detail').textContent()).resolves.toContain(address);
    await expectAccessible('explorer-tx');
    await search(address);
    await page.getByTestId('address-balance').filter({ hasText: '99,999' }).waitFor();
    await expectAccessible('explorer-address');
  });

  it.skipIf(skipDoor || !hasNode)(
    'a rewarded miner (passing vector fingerprint) shows its reward in the explorer',
    async () => {
      await waitForSyncedNode();
      await page.locator('[data-nav="node"]').click();
      const peer = await page.getByTestId('node-peers').filter({ hasText: 'http://' }).textContent();
      const nodeUrl = /http:\/\/127\.0\.0\.1:\d+/.exec(peer ?? '')?.[0];
      expect(nodeUrl).toBeDefined();
      // A test key attests real-hardware measurements from the spec's vectors through the node's HTTP API.
      const tpl = fingerprintTemplates(loadVectorsText('fingerprint-validation')).get('x86_modern_real_hardware');
      const miner = actor(7);
      const challenge = (await (
        await fetch(`${nodeUrl}/attest/challenge`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ miner: miner.address }),
        })
      ).json()) as { nonce: string };
      const submitted = await fetch(`${nodeUrl}/attest/submit`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: signedAttestation(miner, challenge.nonce, tpl!.attestation),
      });
      expect(submitted.status).toBe(200);

      await page.locator('[data-nav="explorer"]').click();
      await page.getByTestId('explorer-search').fill(miner.address);
      // The miner is known at once; its reward appears once the epoch settles (search again until then).
      for (let i = 0; i < 8; i++) {
        await page.getByRole('button', { name: 'Search' }).click();
        const rewards = page.getByTestId('miner-rewards').locator('li');
        await page.getByTestId('miner-detail').or(page.getByTestId('explorer-search-error')).waitFor();
        if ((await rewards.count()) > 0) break;
        await page.getByTestId('node-committed').filter({ hasText: /^\d+$/ }).waitFor();
        const committed = await page.getByTestId('node-committed').textContent();
        await page
          .getByTestId('node-committed')
          .filter({ hasNotText: committed ?? '' })
          .waitFor({ timeout: 30_000 });
      }
      await page.getByTestId('miner-rewards').locator('li').first().filter({ hasText: 'RTC' }).waitFor();
      await expectAccessible('explorer-miner-rewarded');
    },
  );
});
