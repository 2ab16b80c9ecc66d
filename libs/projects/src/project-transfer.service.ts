import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, type Actor, type MilestoneTemplateEntry } from '#domain';
import { OrgUnitsService } from '#org';
import { writeTable, type ExportFormat, type ReportFile } from '#statistics';
import { dateAtShare, type ProjectFilter } from './project-fields.js';
import { ProjectsService } from './projects.service.js';
import { projectTable, readProjectTable, type ImportProblem } from './project-workbook.js';

/** At most this many projects per import (a plan's tables hold tens to a few hundred). */
export const MAX_IMPORT_ROWS = 2000;
export const MAX_EXPORT_ROWS = 10_000;

export interface ImportResult {
  created: number;
  projects: { row: number; id: string; code: string }[];
}

/**
 * Import of a project table from .xlsx and export of the ledger. An import is all or nothing:
 * every row is checked (fields, units and counties by name or alias, codes unique in the file and
 * in the ledger) and any problem rejects the file with the full list, writing nothing.
 */
@Injectable()
export class ProjectTransferService {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(ProjectsService) private readonly projects: ProjectsService,
    @Inject(OrgUnitsService) private readonly units: OrgUnitsService,
  ) {}

  async import(actor: Actor, buffer: Buffer): Promise<ImportResult> {
    const { template } = await this.projects.template();
    const { rows, problems } = await readProjectTable(
      buffer,
      template.map((t) => t.name),
    );
    if (rows.length > MAX_IMPORT_ROWS) problems.push({ row: 0, column: '', message: `at most ${MAX_IMPORT_ROWS} projects per file` });
    const unitIds = new Map<string, string | null>();
    const resolve = async (name: string): Promise<string | null> => {
      if (!unitIds.has(name)) unitIds.set(name, (await this.units.resolve(name))?.id ?? null);
      return unitIds.get(name)!;
    };
    const seen = new Map<string, number>();
    for (const r of rows) {
      if (r.code && seen.has(r.code))
        problems.push({ row: r.row, column: '项目编号', message: `${r.code} also on row ${seen.get(r.code)}` });
      seen.set(r.code, r.row);
      for (const u of r.units) if (!(await resolve(u))) problems.push({ row: r.row, column: '责任单位', message: `unknown unit ${u}` });
      if (r.county && !(await resolve(r.county))) problems.push({ row: r.row, column: '县区', message: `unknown county ${r.county}` });
    }
    const taken = await this.dataSource.query<{ code: string }[]>(`SELECT code FROM project WHERE code = ANY($1::text[])`, [
      [...seen.keys()],
    ]);
    for (const t of taken) problems.push({ row: seen.get(t.code)!, column: '项目编号', message: `${t.code} is already in the ledger` });
    if (problems.length) throw importRejected(problems);

    const created: ImportResult['projects'] = [];
    await this.dataSource
      .transaction(async (m) => {
        for (const r of rows) {
          const plannedStart = r.plannedStart ?? `${r.startYear}-01-01`;
          const plannedEnd = r.plannedEnd ?? `${r.endYear}-12-31`;
          const project = await this.projects.create(
            actor,
            {
              code: r.code,
              name: r.name,
              category: r.category,
              countyUnitId: r.county ? await resolve(r.county) : null,
              source: r.source,
              description: r.description,
              plannedInvestment: r.plannedInvestment,
              priorInvestment: r.priorInvestment,
              startYear: r.startYear,
              endYear: r.endYear,
              plannedStart,
              plannedEnd,
              responsibleUnitIds: (await Promise.all(r.units.map(resolve))) as string[],
              yearPlans: r.yearPlans,
              milestones: milestonesFor(template, r.milestoneDates, plannedStart, plannedEnd),
            },
            m,
          );
          created.push({ row: r.row, id: project.id, code: project.code });
        }
      })
      .catch((e: unknown) => {
        // A row's own check (e.g. plans above the total) names the row it came from.
        if (e instanceof DomainError && e.kind === 'validation') {
          const row = rows[created.length]?.row ?? 0;
          const fields = (e.details?.fields as { field: string; messages: string[] }[] | undefined) ?? [];
          throw importRejected(fields.flatMap((f) => f.messages.map((message) => ({ row, column: f.field, message }))));
        }
        throw e;
      });
    return { created: created.length, projects: created };
  }

  async export(actor: Actor, filter: Omit<ProjectFilter, 'page' | 'pageSize'>, format: ExportFormat): Promise<ReportFile> {
    const projects = (await this.projects.matching(actor, filter)).slice(0, MAX_EXPORT_ROWS);
    const milestones = await this.dataSource.query<{ project_id: string; name: string; planned: string; actual: string | null }[]>(
      `SELECT project_id, name, to_char(planned_date, 'YYYY-MM-DD') AS planned, to_char(actual_date, 'YYYY-MM-DD') AS actual
         FROM milestone WHERE project_id = ANY($1::uuid[]) ORDER BY project_id, seq`,
      [projects.map((p) => p.id)],
    );
    const byProject = new Map<string, { name: string; plannedDate: string; actualDate: string | null }[]>();
    for (const m of milestones) {
      const list = byProject.get(m.project_id) ?? [];
      list.push({ name: m.name, plannedDate: m.planned, actualDate: m.actual });
      byProject.set(m.project_id, list);
    }
    const details = projects.map((p) => ({ ...p, milestones: byProject.get(p.id) ?? [] }));
    const { template } = await this.projects.template();
    const years = [...new Set(details.flatMap((d) => d.yearPlans.map((y) => y.year)))].sort();
    const body = await writeTable(
      projectTable(
        details,
        template.map((t) => t.name),
        years,
      ),
      format,
    );
    return { filename: `重点工程项目.${format}`, format, body };
  }
}

function milestonesFor(template: MilestoneTemplateEntry[], given: Record<string, string>, start: string, end: string) {
  return template.map((t) => ({ name: t.name, plannedDate: given[t.name] ?? dateAtShare(start, end, t.share) }));
}

function importRejected(problems: ImportProblem[]): DomainError {
  const sorted = [...problems].sort((a, b) => a.row - b.row);
  return new DomainError('unprocessable', 'IMPORT_REJECTED', `The project table has ${problems.length} problem(s); nothing was imported`, {
    problems: sorted.slice(0, 500),
  });
}
