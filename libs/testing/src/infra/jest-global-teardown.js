module.exports = async () => {
  for (const started of globalThis.__CRM_INFRA__ ?? []) await started.stop();
};
