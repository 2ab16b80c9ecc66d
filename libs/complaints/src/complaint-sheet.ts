import { DomainError, isIsoDate, pollutionTypesFromText, POLLUTION_LABELS, type PollutionType } from '#domain';
import type { Cell, Sheet } from '#office';

/** The fields of the inspection team's case list, and the headers (common variants) that name them. */
export const CASE_FIELDS = [
  'caseNo',
  'teamNo',
  'receivedOn',
  'content',
  'county',
  'address',
  'pollutionTypes',
  'keyCase',
  'contactName',
  'contactPhone',
] as const;
export type CaseField = (typeof CASE_FIELDS)[number];

export const CASE_HEADER: Record<CaseField, string> = {
  caseNo: '受理编号',
  teamNo: '督察组交办编号',
  receivedOn: '受理日期',
  content: '举报内容',
  county: '行政区域',
  address: '污染地址',
  pollutionTypes: '污染类型',
  keyCase: '重点件',
  contactName: '举报人',
  contactPhone: '联系电话',
};

const VARIANTS: Record<CaseField, string[]> = {
  caseNo: ['受理编号', '案件编号', '编号', '序号', '件号'],
  teamNo: ['督察组交办编号', '督察组编号', '交办编号', '原编号', '转办编号'],
  receivedOn: ['受理日期', '受理时间', '交办日期', '收件日期', '转办日期'],
  content: ['举报内容', '信访内容', '反映问题', '反映内容', '问题描述', '来信来电内容'],
  county: ['行政区域', '行政区', '区县', '所属区县', '属地', '县区'],
  address: ['污染地址', '地址', '详细地址', '被举报地址'],
  pollutionTypes: ['污染类型', '类型', '举报类型'],
  keyCase: ['重点件', '是否重点', '是否重点件'],
  contactName: ['举报人', '信访人', '来信人'],
  contactPhone: ['联系电话', '电话', '联系方式'],
};

const normal = (s: string): string => s.replace(/\s+/g, '').replace(/[（(].*[)）]/g, '');

export function fieldOfHeader(text: string): CaseField | null {
  const t = normal(text);
  return CASE_FIELDS.find((f) => VARIANTS[f].includes(t)) ?? null;
}

export interface CaseSheetRow {
  row: number;
  caseNo: string;
  teamNo: string | null;
  receivedOn: string | null;
  content: string;
  county: string;
  address: string;
  pollutionTypes: PollutionType[];
  keyCase: boolean;
  contactName: string;
  contactPhone: string;
}

export interface RowError {
  row: number;
  column: string;
  value: string;
  message: string;
}

const text = (c: Cell | undefined): string => c?.text.trim() ?? '';

/** Reads the case list: the header within the first 10 rows (by its names), then each row, every problem named. */
export function readCaseSheet(sheet: Sheet): { rows: CaseSheetRow[]; errors: RowError[]; columns: Partial<Record<CaseField, string>> } {
  if (sheet.formulaCells.length > 0) {
    throw new DomainError('unprocessable', 'FORMULAS_NOT_ACCEPTED', 'The sheet contains formulas; paste them as values and import again', {
      cells: sheet.formulaCells,
    });
  }
  let header: { index: number; cols: Partial<Record<CaseField, number>> } | null = null;
  sheet.rows.slice(0, 10).forEach((r, index) => {
    const cols: Partial<Record<CaseField, number>> = {};
    r.cells.forEach((c, col) => {
      const f = c ? fieldOfHeader(c.text) : null;
      if (f && cols[f] === undefined) cols[f] = col;
    });
    if (Object.keys(cols).length >= 3 && (!header || Object.keys(cols).length > Object.keys(header.cols).length)) header = { index, cols };
  });
  const found = header as { index: number; cols: Partial<Record<CaseField, number>> } | null;
  if (!found || found.cols.caseNo === undefined || found.cols.content === undefined || found.cols.county === undefined) {
    throw new DomainError(
      'unprocessable',
      'CASE_HEADER_NOT_FOUND',
      'No case list header in the first 10 rows: it needs 受理编号, 举报内容 and 行政区域 (or their variants)',
      {
        required: [CASE_HEADER.caseNo, CASE_HEADER.content, CASE_HEADER.county],
      },
    );
  }
  const cols = found.cols;
  const rows: CaseSheetRow[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  for (const r of sheet.rows.slice(found.index + 1)) {
    const get = (f: CaseField): Cell | undefined => (cols[f] === undefined ? undefined : r.cells[cols[f]]);
    if (CASE_FIELDS.every((f) => !text(get(f)))) continue;
    const err = (f: CaseField, message: string) => errors.push({ row: r.row, column: CASE_HEADER[f], value: text(get(f)), message });
    const caseNo = text(get('caseNo'));
    if (!caseNo) err('caseNo', 'is required');
    else if (caseNo.length > 60) err('caseNo', 'is longer than 60 characters');
    else if (seen.has(caseNo)) err('caseNo', `repeats row ${seen.get(caseNo)}`);
    else seen.set(caseNo, r.row);
    const content = text(get('content'));
    if (!content) err('content', 'is required');
    else if (content.length > 10000) err('content', 'is longer than 10,000 characters');
    const county = text(get('county'));
    if (!county) err('county', 'is required');
    const dateCell = get('receivedOn');
    const receivedOn =
      dateCell?.date ??
      (text(dateCell)
        ? text(dateCell)
            .replace(/[./年月]/g, '-')
            .replace(/日$/, '')
        : null);
    if (receivedOn !== null && !isIsoDate(receivedOn)) err('receivedOn', 'is not a date (YYYY-MM-DD)');
    const types = pollutionTypesFromText(text(get('pollutionTypes')));
    if (types.unknown.length)
      err('pollutionTypes', `unknown type(s) ${types.unknown.join('、')}: use ${Object.values(POLLUTION_LABELS).join('/')}`);
    const key = text(get('keyCase'));
    rows.push({
      row: r.row,
      caseNo,
      teamNo: text(get('teamNo')) || null,
      receivedOn: receivedOn && isIsoDate(receivedOn) ? receivedOn : null,
      content,
      county,
      address: text(get('address')).slice(0, 500),
      pollutionTypes: types.types.length ? types.types : ['other'],
      keyCase: ['是', '重点', '重点件', 'Y', 'TRUE', '√'].includes(key),
      contactName: text(get('contactName')).slice(0, 100),
      contactPhone: text(get('contactPhone')).slice(0, 40),
    });
  }
  return {
    rows,
    errors,
    columns: Object.fromEntries(Object.entries(cols).map(([f, c]) => [f, text(sheet.rows[found.index].cells[c])])),
  };
}
