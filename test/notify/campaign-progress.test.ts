import { beforeAll, describe, expect, it } from 'vitest';
import { addBlock } from '../../src/modules/notify/blocklist.ts';
import type { Session } from '../helpers/app.ts';
import { useHarness } from '../helpers/app.ts';
import { seedLifecycle } from '../lifecycle/fixtures.ts';
import { approvedTemplate, colleague, registerSignature, type TemplateBody } from './send-fixtures.ts';
import { dispatcherFor, gatewayTo, simulator } from './harness.ts';

const h = useHarness();
let author: Session;
let pickup: TemplateBody;

interface CampaignView {
  id: string;
  recipients: number;
  queued: number;
  blocked: number;
  progress: Record<'queued' | 'submitted' | 'delivered' | 'failed' | 'expired' | 'held' | 'blocked', number> & { finished: boolean };
}

beforeAll(async () => {
  const lc = await seedLifecycle(h());
  author = lc.manager;
  const approver = await colleague(h(), 'progress_approver', lc.city.city.id);
  const signatureId = await registerSignature(h(), author, '常州市公安局');
  pickup = await approvedTemplate(h(), author, approver, { name: 'pickup', signatureId, body: '{name}您好，您的证件已可领取。' });
});

const get = async (id: string) => {
  const res = await h().request('GET', `/api/v1/sms/campaigns/${id}`, { session: author });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as CampaignView;
};

describe('live campaign progress', () => {
  it('counts the messages by status as the dispatcher moves them, until the campaign is finished', async () => {
    // One recipient opted out of this signature before: queued as BLOCKED, never sent.
    await addBlock(h().ctx, h().ctx.db.orm, { phone: '13800000904', signature: '常州市公安局', createdBy: 'test' });
    const csv = 'phone,name\n13800000901,张三\n13800000902,李四\n13800000903,王五\n13800000904,赵六\n';
    const res = await h().request('POST', '/api/v1/sms/campaigns', {
      session: author,
      body: { templateId: pickup.id, channel: 'NOTIFICATION', name: '进度', requestKey: 'progress-1', quietHoursExempt: true, recipients: { source: 'CSV', csv } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as CampaignView;
    expect(created).toMatchObject({ recipients: 4, queued: 3, blocked: 1 });
    expect(created.progress).toEqual({ queued: 3, submitted: 0, delivered: 0, failed: 0, expired: 0, held: 0, blocked: 1, finished: false });

    // The SMSC fails one in three receipts (seeded), so the counts split between delivered and failed.
    // Receipts come 3 s after each submit: long enough to see the messages SUBMITTED on a busy machine.
    const sim = await simulator({ receipts: { delayMs: 3_000, failureRate: 0.34, seed: 7 } });
    const gateway = gatewayTo(sim);
    const dispatcher = dispatcherFor(h().ctx, gateway, { provider: 'progress' });
    dispatcher.attach();
    await gateway.start();
    try {
      await dispatcher.dispatchOnce();
      await dispatcher.drain();
      const running = await get(created.id);
      expect(running.progress).toMatchObject({ queued: 0, submitted: 3, blocked: 1, finished: false });
      let done = running;
      for (const deadline = Date.now() + 20_000; !done.progress.finished && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 50));
        done = await get(created.id);
      }
      expect(done.progress.delivered + done.progress.failed).toBe(3);
      expect(done.progress.delivered).toBe(sim.stats().delivered);
      expect(done.progress.failed).toBe(sim.stats().failed);
      expect(done.progress).toMatchObject({ queued: 0, submitted: 0, blocked: 1 });
      const list = (await h().request('GET', '/api/v1/sms/campaigns', { session: author })).json() as { items: CampaignView[] };
      expect(list.items.find((c) => c.id === created.id)!.progress).toEqual(done.progress);
    } finally {
      await gateway.stop({ graceMs: 0 });
      await sim.stop();
    }
  });
});
