// End to end in Chromium: the manager's orders and order form (validation next to the fields,
// posting, the stock report), the language switch, a courier kept away from another's order by
// URL, and the administrator's start-up command.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserAvailable, launchBrowser } from './harness/browser.js';
import { startStoreProcess, type StoreProcess } from '@vestnik/store/testing';
import { e2eStore } from './harness/pages.js';
import { fillNewOrder, postOrder, signIn } from './harness/pages.js';
import type { UserPage } from './harness/pages.js';

const run = browserAvailable();
/** Lists and reports load after a short debounce and a request: give them time on a busy machine. */
const patience = { timeout: 15_000 };

describe.skipIf(!run)('web client: manager and administrator', { timeout: 90_000 }, () => {
  let store: StoreProcess;
  let browser: Browser;
  let manager: UserPage;

  beforeAll(async () => {
    [store, browser] = await Promise.all([startStoreProcess(e2eStore), launchBrowser()]);
    manager = await signIn(browser, store.url, 'manager');
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await store?.dispose();
  });

  it('shows who is logged in, in which role, in English or Russian', async () => {
    const { page } = manager;
    await expect
      .poll(() => page.getByTestId('current-user').textContent(), patience)
      .toContain('Olga Manager');
    await expect.poll(() => page.getByTestId('current-user').textContent(), patience).toContain('Manager');
    await page.getByLabel('Language').selectOption('ru');
    await page.getByRole('link', { name: 'Заказы' }).waitFor();
    expect(await page.getByTestId('current-user').textContent()).toContain('Менеджер');
    await page.getByLabel('Язык').selectOption('en');
    await page.getByRole('link', { name: 'Orders' }).waitFor();
  });

  it('signs in with the keyboard alone', async () => {
    const context = await browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(store.url);
    await page.getByLabel('Login').waitFor();
    await page.keyboard.type('admin');
    await page.keyboard.press('Tab');
    await page.keyboard.type('admin');
    await page.keyboard.press('Enter');
    await page.getByTestId('current-user').waitFor();
    expect(await page.getByTestId('current-user').textContent()).toContain('Administrator');
    await context.close();
  });

  it('lists orders with search and filters', async () => {
    const { page } = manager;
    await page.goto(`${store.url}/#/orders`);
    const rows = page.locator('table.grid tbody tr');
    await expect.poll(() => rows.count(), patience).toBeGreaterThanOrEqual(3);
    const customers = async () =>
      (await rows.allTextContents()).map((row) => /Anna|Boris|Coffee/.exec(row)?.[0]);
    await page.getByRole('search').getByLabel('Search').fill('Coffee');
    await expect.poll(customers, patience).toEqual(['Coffee']);
    await page.getByRole('search').getByLabel('Search').fill('');
    await page.getByRole('search').getByLabel('Posted').selectOption('false');
    await expect.poll(customers, patience).toEqual(['Anna']);
  });

  it('shows the validation errors next to the fields they concern', async () => {
    const { page } = manager;
    await page.goto(`${store.url}/#/orders/new`);
    const form = page.getByTestId('order-form');
    await form.getByLabel('Status', { exact: true }).selectOption({ label: 'In work' });
    await form.getByLabel('Product, No. 1').selectOption({ label: 'Cap' });
    await form.getByLabel('Quantity, No. 1').fill('0');
    await form.getByRole('button', { name: 'Save', exact: true }).click();
    const quantityError = page.locator('[id^="err-line-"][id$="-quantity"]');
    await quantityError.waitFor();
    expect(await quantityError.textContent()).toMatch(/quantity/i);
    expect(await form.getByLabel('Quantity, No. 1').getAttribute('aria-invalid')).toBe('true');
    // Saved as a draft after fixing the quantity; posting it then needs a customer and a warehouse.
    await form.getByLabel('Quantity, No. 1').fill('3');
    await form.getByRole('button', { name: 'Post', exact: true }).click();
    await page.getByTestId('form-errors').waitFor();
    const customerError = page.locator('#order-customerId-error');
    await customerError.waitFor();
    expect(await page.locator('#order-customerId').getAttribute('aria-invalid')).toBe('true');
  });

  it('posts an order: the stock report shows its quantities, another courier cannot open it by URL', async () => {
    const { page } = manager;
    await page.goto(`${store.url}/#/stock`);
    const total = page.getByTestId('stock-total');
    await total.waitFor();
    const before = Number(await total.textContent());

    await fillNewOrder(page, {
      customer: 'Anna Smirnova',
      warehouse: 'North warehouse',
      courier: 'Ivan Petrov',
      status: 'In work',
      lines: [
        { product: 'Sneakers', color: 'White', size: 'XL', quantity: 4 },
        { product: 'Cap', color: 'Red', size: 'S', quantity: 3 },
      ],
    });
    expect(await page.getByTestId('order-total').textContent()).toBe('392.00');
    const order = await postOrder(page);
    expect(order.number).toMatch(/^\d{6}$/);

    await page.goto(`${store.url}/#/stock`);
    await expect
      .poll(async () => Number(await page.getByTestId('stock-total').textContent()), patience)
      .toBe(before + 7);

    // Cancel posting removes the movements again.
    await page.goto(`${store.url}/#/orders/${order.id}`);
    await page.getByRole('button', { name: 'Cancel posting' }).click();
    await page.getByTestId('posted-mark').filter({ hasText: 'Not posted' }).waitFor();
    await page.goto(`${store.url}/#/stock`);
    await expect
      .poll(async () => Number(await page.getByTestId('stock-total').textContent()), patience)
      .toBe(before);
    await page.goto(`${store.url}/#/orders/${order.id}`);
    await postOrder(page);

    const courier2 = await signIn(browser, store.url, 'courier2');
    await courier2.page.goto(`${store.url}/#/orders/${order.id}`);
    await courier2.page.getByTestId('order-error').waitFor();
    expect(await courier2.page.getByTestId('order-error').textContent()).toContain('No such order');
    await courier2.context.close();
  });

  it("runs the administrator's start-up command and shows its report and the status", async () => {
    const admin = await signIn(browser, store.url, 'admin');
    const { page } = admin;
    await page.goto(`${store.url}/#/admin`);
    await page.getByTestId('status-registered').waitFor();
    expect(await page.getByTestId('status-registered').textContent()).toBe('Yes');
    expect(await page.getByTestId('status-participants').textContent()).toBe('2');
    await page.getByRole('button', { name: 'Start working with the collaboration system' }).click();
    await page.getByTestId('start-report').waitFor();
    expect(await page.getByTestId('start-report').textContent()).toContain('nothing changed');

    await page.getByRole('link', { name: 'Users and roles' }).click();
    await page.getByRole('checkbox', { name: 'Courier: courier2' }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Courier: courier2' }).isChecked()).toBe(true);
    await admin.context.close();
  });
});
