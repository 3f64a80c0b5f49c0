/** Rule diagnosis: DriveFeatures + vehicle + knowledge base in, findings out. */
export { diagnoseRules, type RuleDiagnosis, type DiagnoseOptions, type TraceStepValue } from './diagnose-rules.js';
export { selectCause, type CauseSelection } from './select-cause.js';
export { evaluateRule, type RuleOutcome } from './evaluate-rule.js';
export { detectAnomalies, type Anomaly } from './anomalies.js';
export { baselineAnomalies } from './baseline-anomalies.js';
export { learnBaseline, HealthyBaseline, PlatformBaseline, type HealthyDrive } from './healthy-baseline.js';
export { fieldProfile, type FieldProfile } from './signal-stats.js';
