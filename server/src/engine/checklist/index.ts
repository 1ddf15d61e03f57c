/** The readiness checklist: curated items, statuses from an analysis, manual ticks, Markdown report. */
export * from './items';
export * from './model';
export * from './manual';
export * from './report';
export * from './wire';
