// Shared by the resolvers and the Custom UI: the only place resolver keys are spelled.
export const RESOLVER_KEYS = {
  panel: { getPanel: 'getPanel' },
  admin: {
    getAdminState: 'getAdminState',
    savePolicy: 'savePolicy',
    createRecommendedFields: 'createRecommendedFields',
    planWorkflowSetup: 'planWorkflowSetup',
    applyWorkflowSetup: 'applyWorkflowSetup',
    runSelfTest: 'runSelfTest',
    startEvidenceExport: 'startEvidenceExport',
    getEvidenceExport: 'getEvidenceExport',
    downloadEvidenceExport: 'downloadEvidenceExport',
    getSiteOptions: 'getSiteOptions',
    getExportContext: 'getExportContext',
    listPipelines: 'listPipelines',
    createPipeline: 'createPipeline',
    rotatePipelineSecret: 'rotatePipelineSecret',
    revokePipeline: 'revokePipeline',
  },
  ruleConfig: { getRuleOptions: 'getRuleOptions', compileRule: 'compileRule' },
} as const;
