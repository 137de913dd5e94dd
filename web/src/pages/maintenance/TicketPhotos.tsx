import { useEffect, useState } from 'react';
import { Button, Card, Empty, Image, Space, Typography, Upload } from 'antd';
import { CameraOutlined, EyeOutlined } from '@ant-design/icons';
import { api, fetchBlob } from '../../api/client.ts';
import { useFeedback } from '../../components/feedback.ts';
import { useLoad } from '../../components/useLoad.ts';
import { useT } from '../../i18n/index.tsx';

interface Photo {
  id: string;
  contentType: string;
  bytes: number;
  uploadedByName: string | null;
  createdAtLocal: string;
}

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/** Sends one photo of a ticket; the server checks its bytes and size. */
export async function uploadTicketPhoto(ticketId: string, file: File): Promise<void> {
  await api.post(`/maintenance/tickets/${encodeURIComponent(ticketId)}/photos`, { photoBase64: await base64Of(file) });
}

/** The photos of a ticket: listed without their bytes, each shown only when asked (every view is audited). */
export function TicketPhotos({ ticketId, mayAdd }: { ticketId: string; mayAdd: boolean }) {
  const t = useT();
  const { showError, showSuccess } = useFeedback();
  const [uploading, setUploading] = useState(false);
  const [shown, setShown] = useState<Record<string, string>>({});
  const { data, reload } = useLoad((signal) => api.get<{ items: Photo[] }>(`/maintenance/tickets/${encodeURIComponent(ticketId)}/photos`, undefined, { signal }), [ticketId]);

  useEffect(() => () => Object.values(shown).forEach((url) => URL.revokeObjectURL(url)), [shown]);

  const upload = async (file: File) => {
    setUploading(true);
    try {
      await uploadTicketPhoto(ticketId, file);
      showSuccess(t('maint.photo.uploaded'));
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setUploading(false);
    }
  };
  const show = async (p: Photo) => {
    try {
      const blob = await fetchBlob(`/maintenance/tickets/${encodeURIComponent(ticketId)}/photos/${p.id}`);
      setShown((s) => ({ ...s, [p.id]: URL.createObjectURL(blob) }));
    } catch (err) {
      showError(err);
    }
  };

  return (
    <Card
      size="small"
      title={t('maint.photo.title')}
      data-testid="ticket-photos"
      extra={
        mayAdd && (
          <Upload
            accept="image/jpeg,image/png"
            showUploadList={false}
            beforeUpload={(file) => {
              void upload(file);
              return false;
            }}
          >
            <Button icon={<CameraOutlined />} loading={uploading} data-testid="ticket-photo-add">
              {t('maint.photo.add')}
            </Button>
          </Upload>
        )
      }
    >
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {`${t('maint.photo.hint')} · ${t('maint.photo.viewAudited')}`}
        </Typography.Text>
        {(data?.items.length ?? 0) === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('maint.photo.none')} />}
        {data?.items.map((p) => (
          <Space key={p.id} wrap align="start" data-testid={`ticket-photo-${p.id}`}>
            {shown[p.id] ? (
              <Image src={shown[p.id]} width={160} alt={p.createdAtLocal} />
            ) : (
              <Button size="small" icon={<EyeOutlined />} onClick={() => void show(p)} data-testid="ticket-photo-show">
                {t('maint.photo.show')}
              </Button>
            )}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {`${p.createdAtLocal} · ${p.uploadedByName ?? ''} · ${Math.ceil(p.bytes / 1024)} KB`}
            </Typography.Text>
          </Space>
        ))}
      </Space>
    </Card>
  );
}
