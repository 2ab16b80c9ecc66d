import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '#config';
import { DomainError } from '#domain';
import { render, type Locale, type MailData, type RenderedMail } from './templates.js';

/** One e-mail the system wrote to a user, as the web app's inbox shows it. */
export interface MessageView {
  id: string;
  kind: string;
  subject: string;
  text: string;
  itemId: string | null;
  projectId: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export interface MessagePage {
  items: MessageView[];
  total: number;
  unread: number;
}

interface MessageRow {
  id: string;
  template: string;
  data: MailData;
  created_at: Date;
  read_at: Date | null;
}

const LINKED = (kind: 'items' | 'projects'): RegExp =>
  new RegExp(`/${kind}/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})`);

/** The recipient's e-mail rows of the outbox (every e-mail has one, sent or not yet). */
const MINE = `kind = 'email' AND (payload->>'userId')::uuid = $1`;

/**
 * Messages (消息): the e-mails the system wrote to a user, readable in the app whatever became of
 * the e-mail itself, with a read mark. A user reads only their own: another's message is a 404.
 */
@Injectable()
export class MessagesService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(userId: string, query: { page: number; pageSize: number; unreadOnly?: boolean }): Promise<MessagePage> {
    const filter = query.unreadOnly ? `${MINE} AND read_at IS NULL` : MINE;
    const [rows, [counts]] = await Promise.all([
      this.dataSource.query<MessageRow[]>(
        `SELECT id, payload->>'template' AS template, payload->'data' AS data, created_at, read_at
           FROM outbox WHERE ${filter} ORDER BY id DESC LIMIT $2 OFFSET $3`,
        [userId, query.pageSize, (query.page - 1) * query.pageSize],
      ),
      this.dataSource.query<{ total: number; unread: number }[]>(
        `SELECT count(*)::int AS total, count(*) FILTER (WHERE read_at IS NULL)::int AS unread FROM outbox WHERE ${MINE}`,
        [userId],
      ),
    ]);
    return { items: rows.map((r) => this.view(r)), total: query.unreadOnly ? counts.unread : counts.total, unread: counts.unread };
  }

  async unreadCount(userId: string): Promise<number> {
    const [{ unread }] = await this.dataSource.query<{ unread: number }[]>(
      `SELECT count(*)::int AS unread FROM outbox WHERE ${MINE} AND read_at IS NULL`,
      [userId],
    );
    return unread;
  }

  /** Marks one of the user's messages read (again is harmless); someone else's is not found. */
  async markRead(userId: string, id: string): Promise<void> {
    if (!/^[0-9]{1,18}$/.test(id)) throw DomainError.notFound('message', id);
    const [, count] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE outbox SET read_at = coalesce(read_at, now()) WHERE ${MINE} AND id = $2`,
      [userId, id],
    );
    if (count === 0) throw DomainError.notFound('message', id);
  }

  async markAllRead(userId: string): Promise<void> {
    await this.dataSource.query(`UPDATE outbox SET read_at = now() WHERE ${MINE} AND read_at IS NULL`, [userId]);
  }

  private view(r: MessageRow): MessageView {
    const mail = renderOrPlain(r.template, this.config.mail.locale, r.data);
    return {
      id: String(r.id),
      kind: r.template,
      subject: mail.subject,
      text: mail.text,
      itemId: LINKED('items').exec(r.data.link)?.[1] ?? null,
      projectId: LINKED('projects').exec(r.data.link)?.[1] ?? null,
      createdAt: r.created_at,
      readAt: r.read_at,
    };
  }
}

/** A row whose template is gone (an older release's) still shows: its item and link. */
function renderOrPlain(template: string, locale: Locale, data: MailData): Pick<RenderedMail, 'subject' | 'text'> {
  try {
    return render(template, locale, data);
  } catch {
    return { subject: `${data.itemCode} ${data.itemTitle}`, text: data.link };
  }
}
