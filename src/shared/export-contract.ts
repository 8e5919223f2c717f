// Contract between the admin resolver's evidence export and the admin page's "Auditor evidence"
// section. Imports only zod, so the Custom UI bundle can use it.
import { z } from 'zod';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Largest sample the in-app export builds (the CLI has no such cap). */
export const MAX_EXPORT_SAMPLE = 100;

/** `startEvidenceExport`: the observation period (dates, `to` inclusive), optional JQL, and the sample. */
export const StartExportPayloadSchema = z
  .object({
    from: z.string().regex(DATE, 'Use a date such as 2026-01-01'),
    to: z.string().regex(DATE, 'Use a date such as 2026-06-30'),
    /** Defaults to the change tickets of the admin page's project and issue type. */
    jql: z.string().trim().max(2_000).optional(),
    size: z.number().int().min(1, 'Sample at least 1 ticket').max(MAX_EXPORT_SAMPLE, `Sample at most ${MAX_EXPORT_SAMPLE} tickets`),
    seed: z.number().int().min(0).max(0xffff_ffff, 'Use a seed from 0 to 4294967295'),
  })
  .refine((p) => p.from <= p.to, { path: ['to'], message: 'The period must end on or after its start' });
export type StartExportPayload = z.infer<typeof StartExportPayloadSchema>;

export const ExportFileSchema = z.object({ name: z.string(), contentType: z.enum(['application/json', 'text/html']) });
export type ExportFile = z.infer<typeof ExportFileSchema>;

/** Where an export job is. `files` is filled when it is done. */
export const ExportStatusSchema = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  phase: z.enum(['population', 'sample', 'packs', 'done']),
  spec: z.object({ jql: z.string(), from: z.string(), to: z.string(), size: z.number().int(), seed: z.number().int() }),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string().nullable(),
  progress: z.object({ pagesRead: z.number().int(), ticketsRead: z.number().int(), inPeriod: z.number().int(), packsDone: z.number().int(), packsTotal: z.number().int().nullable() }),
  population: z.object({ count: z.number().int(), hash: z.string() }).nullable(),
  summary: z.object({ exceptions: z.number().int(), ticketsWithExceptions: z.number().int(), unreadable: z.number().int() }).nullable(),
  /** Why it failed, in plain words, with what to do. */
  error: z.string().nullable(),
  files: z.array(ExportFileSchema),
});
export type ExportStatus = z.infer<typeof ExportStatusSchema>;

/** `getEvidenceExport`: the latest job, or null when none was started. */
export const ExportStatusResultSchema = z.object({ job: ExportStatusSchema.nullable() });

/** `downloadEvidenceExport`: one file of a finished job, by the name `files` lists. */
export const DownloadExportPayloadSchema = z.object({ jobId: z.string().min(1).max(64), file: z.string().min(1).max(200) });
export const DownloadExportResultSchema = z.object({ name: z.string(), contentType: ExportFileSchema.shape.contentType, content: z.string() });
export type DownloadExportResult = z.infer<typeof DownloadExportResultSchema>;
