// What a person does on the web client, step by step, for the e2e tests.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const screenshotDir = fileURLToPath(new URL('../../../../test-results/store-web/', import.meta.url));

/** Waiting for a notification pushed by the server: generous, because CI machines are slow. */
export const arrival = { timeout: 20_000 };

export interface UserPage {
  context: BrowserContext;
  page: Page;
}

/**
 * Lets a test hide the tab (`window.__hidden = true`) and see the system notifications the page
 * shows (`window.__notifications`), while the real Notification API still does the work.
 */
export const watchSystemNotifications = `
  window.__hidden = false;
  window.__notifications = [];
  Object.defineProperty(document, 'visibilityState', {
    configurable: true,
    get: () => (window.__hidden ? 'hidden' : 'visible'),
  });
  window.Notification = new Proxy(window.Notification, {
    construct(target, args) {
      window.__notifications.push({ title: args[0], body: args[1] && args[1].body });
      return Reflect.construct(target, args);
    },
  });
`;

/** A browser context of its own (cookies, localStorage) for one person, signed in. */
export async function signIn(
  browser: Browser,
  url: string,
  login: string,
  password = login,
  options: { initScript?: string } = {},
): Promise<UserPage> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 860 } });
  if (options.initScript) await context.addInitScript(options.initScript);
  const page = await context.newPage();
  await page.goto(url);
  await logIn(page, login, password);
  return { context, page };
}

export async function logIn(page: Page, login: string, password = login): Promise<void> {
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('current-user').waitFor();
}

export async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export interface OrderLine {
  product: string;
  color: string;
  size: string;
  quantity: number;
}

/** The manager fills a new order's form (header and items) without saving it. */
export async function fillNewOrder(
  page: Page,
  order: { customer: string; warehouse: string; courier: string; status: string; lines: OrderLine[] },
): Promise<void> {
  await page.goto(new URL('#/orders/new', page.url()).toString());
  const form = page.getByTestId('order-form');
  await form.getByLabel('Customer').selectOption({ label: order.customer });
  await form.getByLabel('Warehouse').selectOption({ label: order.warehouse });
  await form.getByLabel('Courier').selectOption({ label: order.courier });
  await form.getByLabel('Status', { exact: true }).selectOption({ label: order.status });
  for (const [index, line] of order.lines.entries()) {
    const n = index + 1;
    if (index > 0) await form.getByRole('button', { name: 'Add line' }).click();
    await form.getByLabel(`Product, No. ${n}`).selectOption({ label: line.product });
    await form.getByLabel(`Color, No. ${n}`).selectOption({ label: line.color });
    await form.getByLabel(`Size, No. ${n}`).selectOption({ label: line.size });
    await form.getByLabel(`Quantity, No. ${n}`).fill(String(line.quantity));
  }
}

/** Clicks Post and waits for the order to be posted; returns the order's number and id. */
export async function postOrder(page: Page): Promise<{ number: string; id: string }> {
  // Wait for this very posting's answer: the mark may already say Posted from an earlier one.
  const answered = page.waitForResponse(
    (r) => r.request().method() === 'POST' && /\/api\/orders\/[^/]+\/post$/.test(new URL(r.url()).pathname),
  );
  await page.getByTestId('order-form').getByRole('button', { name: 'Post', exact: true }).click();
  const answer = await answered;
  if (!answer.ok()) throw new Error(`Posting failed: ${answer.status()} ${await answer.text()}`);
  await page
    .getByTestId('posted-mark')
    .filter({ hasText: /^Posted$/ })
    .waitFor();
  const heading = await page.getByRole('heading', { level: 1 }).textContent();
  const number = /Order No\. (\S+)/.exec(heading ?? '')?.[1] ?? '';
  const id = (await page.getByTestId('order-form').getAttribute('data-order-id')) ?? '';
  return { number, id };
}

/**
 * How the end-to-end tests start the store (`startStoreProcess(e2eStore)`): the demo data, quiet
 * logs, and each test file's own server and address, so the login limit is kept out of the way.
 */
export const e2eStore = { env: { LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT: '1000' } };
