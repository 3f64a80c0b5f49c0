/** Signature matrix for the compute and vehicle faults (0xA…, 0xB…, 0xC…, 0xD…). */
import { faultMatrix } from './testing/fault-matrix.js';

faultMatrix('ABCD');
