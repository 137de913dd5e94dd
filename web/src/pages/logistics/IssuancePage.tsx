import { useRef, useState } from 'react';
import { Button, Card, Checkbox, Descriptions, Empty, Form, Input, Modal, Popconfirm, Radio, Segmented, Space, Table, Timeline } from 'antd';
import type { InputRef } from 'antd';
import { CreditCardOutlined, IdcardOutlined, SearchOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useT } from '../../i18n/index.tsx';
import { formatDateTime } from '../../lib/time.ts';
import { CardStatusTag, useLabel, type CardDetail, type CardInfo, type PrefabricatedWaiting } from './shared.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

interface HandOverValues {
  identityChecked: boolean;
  collectedBy: 'HOLDER' | 'AGENT';
  agentName?: string;
}

/** 发卡: find the holder's card, check identity, hand it over; activation and loss for issued cards. */
export default function IssuancePage() {
  const t = useT();
  const { showError } = useFeedback();
  const [by, setBy] = useState<'applicationNo' | 'citizenId'>('applicationNo');
  const [query, setQuery] = useState('');
  const [cards, setCards] = useState<CardInfo[] | null>(null);
  const [prefabricated, setPrefabricated] = useState<PrefabricatedWaiting[]>([]);
  const [busy, setBusy] = useState(false);

  const find = async () => {
    const q = query.trim();
    if (!q) return;
    setBusy(true);
    try {
      const res =
        by === 'applicationNo' ? await api.get<FindAnswer>('/cards/find', { applicationNo: q }) : await api.post<FindAnswer>('/cards/find', { citizenId: q });
      setCards(res.items);
      setPrefabricated(res.prefabricated);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  const replace = (card: CardInfo) => setCards((list) => (list ?? []).map((c) => (c.id === card.id ? card : c)));
  // A personalised prefabricated card leaves the waiting list and joins the cards (for activation).
  const prefabIssued = (applicationId: string, card: CardInfo) => {
    setPrefabricated((list) => list.filter((p) => p.applicationId !== applicationId));
    setCards((list) => [...(list ?? []), card]);
  };

  return (
    <div data-testid="page-issuance">
      <PageHeader title={t('logistics.menu.issuance')} />
      <Card size="small" style={{ marginBottom: 16 }}>
        <Space wrap>
          <Segmented
            value={by}
            onChange={(v) => {
              setBy(v as 'applicationNo' | 'citizenId');
              setQuery('');
              setCards(null);
              setPrefabricated([]);
            }}
            options={[
              { value: 'applicationNo', label: t('logistics.issue.byNo') },
              { value: 'citizenId', label: t('logistics.issue.byId') },
            ]}
            data-testid="issue-by"
          />
          <Input
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onPressEnter={find}
            placeholder={by === 'applicationNo' ? t('logistics.issue.applicationNo') : t('logistics.issue.citizenId')}
            autoComplete="off"
            className="cf-mono"
            style={{ width: 280 }}
            data-testid="issue-query"
          />
          <Button type="primary" icon={<SearchOutlined />} loading={busy} onClick={find} data-testid="issue-find">
            {t('logistics.issue.find')}
          </Button>
        </Space>
      </Card>
      {cards && cards.length === 0 && prefabricated.length === 0 && <Empty description={t('logistics.issue.notFoundAny')} data-testid="issue-not-found" />}
      {prefabricated.map((p) => (
        <PrefabPanel key={p.applicationId} waiting={p} onIssued={(card) => prefabIssued(p.applicationId, card)} />
      ))}
      {cards?.map((c) => <CardPanel key={c.id} card={c} onChange={replace} />)}
      {cards === null && (
        <WaitingList
          onPick={(applicationNo) => {
            setBy('applicationNo');
            setQuery(applicationNo);
            setBusy(true);
            api
              .get<FindAnswer>('/cards/find', { applicationNo })
              .then((res) => {
                setCards(res.items);
                setPrefabricated(res.prefabricated);
              })
              .catch(showError)
              .finally(() => setBusy(false));
          }}
        />
      )}
    </div>
  );
}

/** The cards waiting at this counter, longest first: whom to call, and a quick way to open one. */
function WaitingList({ onPick }: { onPick: (applicationNo: string) => void }) {
  const t = useT();
  const [page, setPage] = useState({ current: 1, size: 20 });
  const { data, loading } = useLoad(
    (signal) => api.get<{ items: CardInfo[]; total: number }>('/cards/waiting', { limit: page.size, offset: (page.current - 1) * page.size }, { signal }),
    [page.current, page.size],
  );
  return (
    <Card size="small" title={t('logistics.issue.waitingTitle')} data-testid="issue-waiting">
      <Table<CardInfo>
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={data?.items ?? []}
        locale={{ emptyText: t('logistics.issue.waitingEmpty') }}
        pagination={{ current: page.current, pageSize: page.size, total: data?.total ?? 0, onChange: (current, size) => setPage({ current, size }) }}
        columns={[
          { title: t('logistics.issue.applicationNo'), dataIndex: 'applicationNo', render: (v: string) => <span className="cf-mono">{v}</span> },
          { title: t('logistics.issue.holder'), dataIndex: 'nameMasked' },
          { title: t('logistics.issue.phone'), dataIndex: 'phoneMasked', render: (v: string) => <span className="cf-mono">{v}</span> },
          { title: t('logistics.issue.cardNo'), dataIndex: 'cardNo', render: (v: string | null) => <span className="cf-mono">{v ?? '—'}</span> },
          { title: t('logistics.issue.receivedAt'), dataIndex: 'receivedAt', render: (v: string | null) => formatDateTime(v) },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 100,
            render: (_, c) => (
              <Button size="small" type="link" onClick={() => onPick(c.applicationNo)} data-testid={`issue-waiting-open-${c.id}`}>
                {t('logistics.issue.open')}
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}

interface FindAnswer {
  items: CardInfo[];
  prefabricated: PrefabricatedWaiting[];
}

interface PrefabValues {
  cardNo: string;
  chipUid: string;
  identityChecked: boolean;
}

const CARD_NO = /^[0-9A-Za-z]{6,32}$/;
const chipDigits = (v: string) => v.replace(/[\s:-]/g, '');

/**
 * A MATCHED prefabricated (预制卡) application with no card yet: the clerk takes a blank card, scans or
 * types its number, reads the chip UID, checks the applicant's identity and issues it on the spot.
 */
function PrefabPanel({ waiting, onIssued }: { waiting: PrefabricatedWaiting; onIssued: (card: CardDetail) => void }) {
  const t = useT();
  const { showError, showSuccess } = useFeedback();
  const [form] = Form.useForm<PrefabValues>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const chipRef = useRef<InputRef>(null);

  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const card = await api.post<CardDetail>(`/applications/${encodeURIComponent(waiting.applicationId)}/issue-prefabricated`, {
        cardNo: v.cardNo.trim(),
        chipUid: v.chipUid.trim(),
        identityChecked: v.identityChecked === true,
      });
      showSuccess(t('logistics.prefab.issued', { cardNo: card.cardNo ?? '' }));
      setOpen(false);
      onIssued(card);
    } catch (err) {
      showError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid={`issue-prefab-panel-${waiting.applicationId}`}
      title={
        <Space>
          <CreditCardOutlined />
          <span>{t('logistics.prefab.waiting', { applicationNo: waiting.applicationNo })}</span>
        </Space>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('logistics.issue.holder')}>{waiting.nameMasked}</Descriptions.Item>
        <Descriptions.Item label={t('logistics.issue.citizenIdMasked')}>
          <span className="cf-mono">{waiting.citizenIdMasked}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('logistics.issue.phone')}>{waiting.phoneMasked}</Descriptions.Item>
        <Descriptions.Item label={t('logistics.issue.applicationNo')}>
          <span className="cf-mono">{waiting.applicationNo}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('logistics.programme')}>{waiting.programmeName}</Descriptions.Item>
      </Descriptions>
      <Button
        type="primary"
        style={{ marginTop: 8 }}
        onClick={() => {
          form.resetFields();
          setOpen(true);
        }}
        data-testid={`issue-prefab-${waiting.applicationId}`}
      >
        {t('logistics.prefab.start')}
      </Button>
      <Modal
        open={open}
        title={t('logistics.prefab.title')}
        onCancel={() => setOpen(false)}
        onOk={submit}
        confirmLoading={busy}
        okText={t('logistics.prefab.submit')}
        okButtonProps={{ 'data-testid': 'issue-prefab-submit' } as Record<string, string>}
        destroyOnHidden
      >
        <Form<PrefabValues> form={form} layout="vertical" name="prefab" initialValues={{ identityChecked: false }}>
          <Form.Item
            name="cardNo"
            label={t('logistics.prefab.cardNo')}
            extra={t('logistics.prefab.cardNoHint')}
            rules={[{ validator: (_, v?: string) => (CARD_NO.test((v ?? '').trim()) ? Promise.resolve() : Promise.reject(new Error(t('logistics.prefab.cardNoRule')))) }]}
          >
            {/* A scanner ends with Enter: move on to the chip UID instead of submitting. */}
            <Input autoFocus autoComplete="off" className="cf-mono" maxLength={64} onPressEnter={() => chipRef.current?.focus()} data-testid="issue-prefab-cardno" />
          </Form.Item>
          <Form.Item
            name="chipUid"
            label={t('logistics.prefab.chipUid')}
            extra={t('logistics.prefab.chipUidHint')}
            rules={[
              {
                validator: (_, v?: string) => {
                  const d = chipDigits((v ?? '').trim());
                  return /^[0-9A-Fa-f]{8,32}$/.test(d) && d.length % 2 === 0 ? Promise.resolve() : Promise.reject(new Error(t('logistics.prefab.chipUidRule')));
                },
              },
            ]}
          >
            <Input ref={chipRef} autoComplete="off" className="cf-mono" maxLength={64} data-testid="issue-prefab-chipuid" />
          </Form.Item>
          <Form.Item
            name="identityChecked"
            valuePropName="checked"
            rules={[{ validator: (_, v: boolean) => (v ? Promise.resolve() : Promise.reject(new Error(t('logistics.issue.identityRule')))) }]}
          >
            <Checkbox data-testid="issue-prefab-identity">{t('logistics.prefab.identity')}</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

function CardPanel({ card, onChange }: { card: CardInfo; onChange: (c: CardInfo) => void }) {
  const t = useT();
  const label = useLabel();
  const { can } = useAuth();
  const { showError, showSuccess } = useFeedback();
  const [form] = Form.useForm<HandOverValues>();
  const [handing, setHanding] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [events, setEvents] = useState<CardDetail['events'] | null>(null);
  const collectedBy = Form.useWatch('collectedBy', form);
  const path = `/cards/${encodeURIComponent(card.id)}`;
  const ssc = card.cardKind === 'SOCIAL_SECURITY_CARD';

  const act = async (key: string, call: () => Promise<CardDetail>, done: string) => {
    setBusy(key);
    try {
      const res = await call();
      onChange(res);
      setEvents(res.events);
      showSuccess(done);
      return true;
    } catch (err) {
      showError(err);
      return false;
    } finally {
      setBusy(null);
    }
  };

  const handOver = async () => {
    const v = await form.validateFields();
    const ok = await act(
      'issue',
      () => api.post<CardDetail>(`${path}/issue`, { identityChecked: v.identityChecked === true, collectedBy: v.collectedBy, ...(v.collectedBy === 'AGENT' ? { agentName: v.agentName?.trim() } : {}) }),
      t('logistics.issue.issued'),
    );
    if (ok) setHanding(false);
  };

  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid={`issue-card-${card.id}`}
      title={
        <Space>
          <IdcardOutlined />
          <span className="cf-mono">{card.cardNo}</span>
          <CardStatusTag status={card.status} />
        </Space>
      }
      extra={
        <Button size="small" type="link" onClick={() => api.get<CardDetail>(path).then((d) => setEvents(d.events), showError)} data-testid={`issue-timeline-${card.id}`}>
          {t('logistics.issue.timeline')}
        </Button>
      }
    >
      <Descriptions size="small" column={{ xs: 1, md: 3 }}>
        <Descriptions.Item label={t('logistics.issue.holder')}>{card.nameMasked}</Descriptions.Item>
        <Descriptions.Item label={t('logistics.issue.citizenIdMasked')}>
          <span className="cf-mono">{card.citizenIdMasked}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('logistics.issue.phone')}>{card.phoneMasked}</Descriptions.Item>
        <Descriptions.Item label={t('logistics.issue.applicationNo')}>
          <span className="cf-mono">{card.applicationNo}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('logistics.programme')}>{card.programmeName}</Descriptions.Item>
        <Descriptions.Item label={t('logistics.receivedAt')}>{formatDateTime(card.receivedAt)}</Descriptions.Item>
        {card.lostTempUntil && <Descriptions.Item label={t('logistics.status')}>{t('logistics.issue.lostUntil', { date: formatDateTime(card.lostTempUntil) })}</Descriptions.Item>}
      </Descriptions>
      <Space wrap style={{ marginTop: 8 }}>
        {card.status === 'RECEIVED' && (
          <Button
            type="primary"
            onClick={() => {
              form.resetFields();
              setHanding(true);
            }}
            data-testid={`issue-handover-${card.id}`}
          >
            {t('logistics.issue.handOver')}
          </Button>
        )}
        {ssc && card.status === 'ISSUED' && (
          <>
            <Button
              disabled={!!card.socialActivatedAt}
              loading={busy === 'social'}
              onClick={() => act('social', () => api.post<CardDetail>(`${path}/activate`, { function: 'SOCIAL' }), t('logistics.issue.activated'))}
              data-testid={`issue-activate-social-${card.id}`}
            >
              {card.socialActivatedAt ? `${t('logistics.issue.activateSocial')} ✓` : t('logistics.issue.activateSocial')}
            </Button>
            <Button
              disabled={!!card.financialActivatedAt}
              loading={busy === 'financial'}
              onClick={() => act('financial', () => api.post<CardDetail>(`${path}/activate`, { function: 'FINANCIAL' }), t('logistics.issue.activated'))}
              data-testid={`issue-activate-financial-${card.id}`}
            >
              {card.financialActivatedAt ? `${t('logistics.issue.activateFinancial')} ✓` : t('logistics.issue.activateFinancial')}
            </Button>
          </>
        )}
        {can('card.loss') && card.status === 'ISSUED' && (
          <Popconfirm
            title={t('logistics.issue.lossTempConfirm')}
            onConfirm={() => act('lossTemp', () => api.post<CardDetail>(`${path}/loss`, { kind: 'TEMP' }), t('logistics.issue.done'))}
            okButtonProps={{ 'data-testid': 'issue-loss-temp-confirm' } as Record<string, string>}
          >
            <Button loading={busy === 'lossTemp'} data-testid={`issue-loss-temp-${card.id}`}>
              {t('logistics.issue.lossTemp')}
            </Button>
          </Popconfirm>
        )}
        {can('card.loss') && (card.status === 'ISSUED' || card.status === 'LOST_TEMP') && (
          <Popconfirm
            title={t('logistics.issue.lossFormalConfirm')}
            onConfirm={() => act('lossFormal', () => api.post<CardDetail>(`${path}/loss`, { kind: 'FORMAL' }), t('logistics.issue.done'))}
            okButtonProps={{ 'data-testid': 'issue-loss-formal-confirm' } as Record<string, string>}
          >
            <Button danger loading={busy === 'lossFormal'} data-testid={`issue-loss-formal-${card.id}`}>
              {t('logistics.issue.lossFormal')}
            </Button>
          </Popconfirm>
        )}
        {can('card.loss') && card.status === 'LOST_TEMP' && (
          <Button loading={busy === 'lift'} onClick={() => act('lift', () => api.post<CardDetail>(`${path}/lift-loss`), t('logistics.issue.done'))} data-testid={`issue-lift-${card.id}`}>
            {t('logistics.issue.lift')}
          </Button>
        )}
      </Space>
      {events && (
        <Timeline
          style={{ marginTop: 16 }}
          data-testid={`issue-events-${card.id}`}
          items={events.map((e) => ({
            key: e.seq,
            content: (
              <span>
                {formatDateTime(e.at)} · {label(`logistics.cardEvent.${e.type}`)} → {label(`logistics.card.${e.toStatus}`)} {e.actorName ? `· ${e.actorName}` : ''}
              </span>
            ),
          }))}
        />
      )}
      <Modal
        open={handing}
        title={t('logistics.issue.handOverTitle', { cardNo: card.cardNo ?? '' })}
        onCancel={() => setHanding(false)}
        onOk={handOver}
        confirmLoading={busy === 'issue'}
        okText={t('logistics.issue.handOver')}
        okButtonProps={{ 'data-testid': 'issue-handover-submit' } as Record<string, string>}
        destroyOnHidden
      >
        <Form<HandOverValues> form={form} layout="vertical" name="handover" initialValues={{ collectedBy: 'HOLDER', identityChecked: false }}>
          <Form.Item name="collectedBy" label={t('logistics.issue.collectedBy')}>
            <Radio.Group data-testid="issue-collected-by">
              <Radio value="HOLDER" data-testid="issue-collected-holder">
                {t('logistics.issue.holderSelf')}
              </Radio>
              <Radio value="AGENT" data-testid="issue-collected-agent">
                {t('logistics.issue.agent')}
              </Radio>
            </Radio.Group>
          </Form.Item>
          {collectedBy === 'AGENT' && (
            <Form.Item name="agentName" label={t('logistics.issue.agentName')} rules={[{ required: true, whitespace: true, message: t('logistics.issue.agentRule') }]}>
              <Input maxLength={50} data-testid="issue-agent-name" />
            </Form.Item>
          )}
          <Form.Item
            name="identityChecked"
            valuePropName="checked"
            rules={[{ validator: (_, v: boolean) => (v ? Promise.resolve() : Promise.reject(new Error(t('logistics.issue.identityRule')))) }]}
          >
            <Checkbox data-testid="issue-identity-checked">{t('logistics.issue.identityChecked')}</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
