import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { ChatNode } from './support/chatNode';
import { createRoom, enter, log, memberPresence, openRoom, screenshot, send, seesOnce, shown, statusText } from './support/ui';
import { eventually } from './support/wait';

// Two users in two browser contexts against one real node, in the order a conversation goes.
const run = Date.now().toString(36);
const ALICE = `alice_${run}`;
const BOB = `bob_${run}`;
const LOBBY = `lobby ${run}`;
const SECRET = `secret ${run}`;
const DELIVERY_MS = 2000;

let node: ChatNode;
let browser: Browser;
let contexts: BrowserContext[] = [];
let alice: Page;
let bob: Page;
const said: string[] = [];

async function newPage(width = 1280, height = 800): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width, height } });
  contexts.push(ctx);
  return ctx.newPage();
}

async function say(from: Page, to: Page, text: string, withinMs = DELIVERY_MS): Promise<number> {
  await send(from, text);
  said.push(text);
  const ms = await seesOnce(to, text, withinMs);
  await seesOnce(from, text, withinMs);
  return ms;
}

beforeAll(async () => {
  node = await ChatNode.start();
  browser = await launchChromium();
  alice = await newPage();
  bob = await newPage();
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await node?.kill9();
});

describe('web client in Chromium against a real node', () => {
  test('sign up, create a public room, and chat both ways within 2 s', async () => {
    await alice.goto(node.url);
    await alice.getByLabel('Username').waitFor();
    await screenshot(alice, 'sign-in');
    await enter(alice, node.url, ALICE, 'Create account');
    await createRoom(alice, LOBBY, false);

    await enter(bob, node.url, BOB, 'Create account');
    await screenshot(bob, 'room-list');
    await openRoom(bob, LOBBY);
    await log(bob).getByText(`joined`).first().waitFor();

    const toBob = await say(alice, bob, `hello bob ${run}`);
    const toAlice = await say(bob, alice, `hi alice ${run}`);
    console.log(`[e2e] delivery alice→bob ${toBob} ms, bob→alice ${toAlice} ms`);
    await screenshot(alice, 'chat');
  });

  test('typing shows on the other screen, and presence changes', async () => {
    await bob.getByRole('textbox', { name: 'Message' }).pressSequentially('I am typing a longer answer', { delay: 80 });
    await eventually('alice sees bob typing', () => alice.locator('.typing').innerText(), (t) => t.includes(BOB) && t.includes('typing'));
    await bob.getByRole('textbox', { name: 'Message' }).fill('');

    await eventually('bob online', () => memberPresence(alice, BOB), (t) => t.includes('online'));
    await bob.getByRole('button', { name: 'Set away' }).click();
    await eventually('bob away', () => memberPresence(alice, BOB), (t) => t.includes('away'));
    await bob.getByRole('button', { name: 'Set online' }).click();
    await eventually('bob online again', () => memberPresence(alice, BOB), (t) => t.includes('online'));
  });

  test('edits and deletes apply in place on the other screen', async () => {
    const text = `a message to change ${run}`;
    await say(alice, bob, text);
    said.splice(said.indexOf(text), 1); // it will not stay as said
    const line = log(alice).getByRole('article').filter({ hasText: text });
    await line.hover();
    await line.getByRole('button', { name: 'Edit' }).click();
    await alice.getByRole('textbox', { name: 'Edit message' }).fill(`changed ${run}`);
    await alice.getByRole('textbox', { name: 'Edit message' }).press('Enter');
    await seesOnce(bob, `changed ${run}`, DELIVERY_MS);
    expect(await shown(bob, text)).toBe(0);

    const changed = log(alice).getByRole('article').filter({ hasText: `changed ${run}` });
    await changed.hover();
    await changed.getByRole('button', { name: 'Delete' }).click();
    await eventually('bob sees the delete', () => shown(bob, `changed ${run}`), (n) => n === 0);
    expect(await log(bob).getByText('message deleted').count()).toBe(1);
  });

  test('a private room is joined through its invite link', async () => {
    await createRoom(alice, SECRET, true);
    await alice.getByRole('button', { name: 'Invite' }).click();
    const url = (await alice.getByRole('dialog', { name: 'Invite link' }).getByText(/\/invite\//).innerText()).trim();
    expect(url).toMatch(/\/invite\/[A-Za-z0-9_-]+$/);
    await screenshot(alice, 'invite');

    await bob.goto(url);
    await bob.getByRole('heading', { name: SECRET }).waitFor();
    await bob.getByRole('navigation', { name: 'Rooms' }).getByRole('button', { name: SECRET, exact: true }).waitFor();
    await say(bob, alice, `psst ${run}`);
    expect(await bob.evaluate(() => location.pathname)).toBe('/');
  });

  test('kill -9 and restart mid-conversation: nothing lost, nothing twice', async () => {
    await openRoom(alice, LOBBY);
    await openRoom(bob, LOBBY);
    await say(alice, bob, `before the crash ${run}`);

    const t0 = Date.now();
    const phase = (what: string) => console.log(`[e2e] +${Date.now() - t0} ms ${what}`);
    await node.kill9();
    phase('killed');
    for (const p of [alice, bob]) await eventually('Reconnecting shown', () => statusText(p), (t) => t.includes('Reconnecting'));
    const whileDown = `sent while the node was down ${run}`;
    await send(alice, whileDown);
    said.push(whileDown);
    expect(await shown(alice, whileDown)).toBe(1); // pending, shown once
    await screenshot(alice, 'reconnecting');

    phase('sent while down');
    const readyMs = await node.launch();
    const deliveredMs = await seesOnce(bob, whileDown, 30_000);
    console.log(`[e2e] node restarted in ${readyMs} ms; the message sent while down reached bob ${deliveredMs} ms after`);
    for (const p of [alice, bob]) await eventually('banner gone', () => statusText(p), (t) => !t.includes('Reconnecting'), 15_000);
    phase('banners gone');
    await say(bob, alice, `after the restart ${run}`);
    phase('chatted after the restart');

    for (const [who, p] of [['alice', alice], ['bob', bob]] as const) {
      await openRoom(p, LOBBY);
      for (const text of said.filter((t) => !t.startsWith('psst'))) {
        expect(await shown(p, text), `${who} shows "${text}" once`).toBe(1);
      }
      expect(await log(p).getByText('sending…').count(), `${who} has nothing pending`).toBe(0);
    }
  });

  test('a phone-width viewport keeps the message box and Send usable', async () => {
    const phone = await newPage(390, 844);
    await enter(phone, node.url, ALICE, 'Sign in');
    await screenshot(phone, 'room-list-phone');
    await openRoom(phone, LOBBY);
    const box = await phone.getByRole('textbox', { name: 'Message' }).boundingBox();
    const button = await phone.getByRole('button', { name: 'Send', exact: true }).boundingBox();
    for (const b of [box!, button!]) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(390);
      expect(b.y + b.height).toBeLessThanOrEqual(844);
      expect(b.width).toBeGreaterThan(40);
    }
    await say(phone, bob, `from my phone ${run}`);
    await screenshot(phone, 'chat-phone');
  });
});
