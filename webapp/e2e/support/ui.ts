import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { OUT_DIR } from './chatNode';
import { eventually } from './wait';

/** Page actions by the accessible names the issue fixes as the client's contract. */
export const PASSWORD = 'correct-horse-battery';

export async function enter(page: Page, url: string, user: string, how: 'Sign in' | 'Create account'): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: how, exact: true }).click();
  await page.getByRole('navigation', { name: 'Rooms' }).waitFor();
}

export async function createRoom(page: Page, name: string, priv: boolean): Promise<void> {
  await page.getByRole('button', { name: 'New room' }).click();
  await page.getByLabel('Room name').fill(name);
  if (priv) await page.getByRole('checkbox', { name: 'Private' }).check();
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.getByRole('heading', { name }).waitFor();
}

export async function openRoom(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name, exact: true }).click();
  await page.getByRole('heading', { name }).waitFor();
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
}

export const log = (page: Page) => page.getByRole('log', { name: 'Messages' });

/** How many times the timeline shows this exact text (pending or delivered). */
export const shown = (page: Page, text: string) => log(page).getByText(text, { exact: true }).count();

/** Waits until the text shows exactly once; answers how long that took. */
export async function seesOnce(page: Page, text: string, timeoutMs: number): Promise<number> {
  const t0 = Date.now();
  await eventually(`"${text}" shown once`, () => shown(page, text), (n) => n === 1, timeoutMs);
  return Date.now() - t0;
}

export async function memberPresence(page: Page, user: string): Promise<string> {
  return page.getByRole('list', { name: 'Members' }).getByRole('listitem').filter({ hasText: user }).innerText();
}

export async function statusText(page: Page): Promise<string> {
  return page.getByRole('status').innerText({ timeout: 1000 });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(OUT_DIR, 'screenshots', `${name}.png`) });
}
