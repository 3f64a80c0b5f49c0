/** The diagnosis supervisor: an explicit graph over a typed state. */
export { supervise, SUPERVISOR_ENGINE, type SuperviseOptions } from './supervise.js';
export { DEFAULT_POLICY, type SupervisorPolicy, type SupervisorState, type WorkItem, type Narrative } from './state.js';
export { routeItem, guardCause, causeFromHits } from './route.js';
export { runGraph, GraphError } from './graph.js';
